package timesheet

import (
	"bytes"
	"crypto/ed25519"
	"fmt"

	"github.com/workdiary/workdiary/internal/cose"
)

// Sign sets ts.SignedBy from signer's role in the contract (the employer,
// or the contractor for a proof of delivery) and returns the timesheet as
// signed, its JSON bytes and a COSE_Sign1 over exactly those bytes.
func Sign(ts Timesheet, signer ed25519.PrivateKey) (Timesheet, []byte, []byte, error) {
	if len(signer) != ed25519.PrivateKeySize {
		return Timesheet{}, nil, nil, fmt.Errorf("%w: signing key is %d bytes, want %d", ErrBadInput, len(signer), ed25519.PrivateKeySize)
	}
	role, err := roleOf(ts, signer.Public().(ed25519.PublicKey))
	if err != nil {
		return Timesheet{}, nil, nil, err
	}
	ts.SignedBy = role
	doc, err := ts.Encode()
	if err != nil {
		return Timesheet{}, nil, nil, err
	}
	msg, err := cose.Sign(signer, doc)
	if err != nil {
		return Timesheet{}, nil, nil, fmt.Errorf("sign timesheet: %w", err)
	}
	return ts, doc, msg, nil
}

// roleOf says which party pub is, from the keys the timesheet names.
func roleOf(ts Timesheet, pub ed25519.PublicKey) (string, error) {
	emp, err1 := partyKey(ts.Employer)
	con, err2 := partyKey(ts.Contractor)
	switch {
	case err1 != nil || err2 != nil:
		return "", fmt.Errorf("%w: party key: %v", ErrMalformed, firstErr(err1, err2))
	case pub.Equal(emp):
		return SignedByEmployer, nil
	case pub.Equal(con):
		return SignedByContractor, nil
	}
	return "", fmt.Errorf("%w: the signing key is neither the employer's nor the contractor's", ErrBadInput)
}

// openSigned verifies timesheet.cose and that its payload is doc byte for
// byte, and returns the signer's key.
func openSigned(msg, doc []byte) (ed25519.PublicKey, error) {
	m, err := cose.Open(msg)
	if err != nil {
		return nil, classify(fileSig, err)
	}
	if !bytes.Equal(m.Payload, doc) {
		return nil, fmt.Errorf("%w: %s differs from the timesheet signed in %s", ErrTampered, fileDoc, fileSig)
	}
	return m.Signer, nil
}

// checkSigner makes sure the signer is the party signed_by names.
func checkSigner(ts Timesheet, signer ed25519.PublicKey) (Party, error) {
	want, ok := map[string]Party{SignedByEmployer: ts.Employer, SignedByContractor: ts.Contractor}[ts.SignedBy]
	key, err := partyKey(want)
	if !ok || err != nil {
		return Party{}, fmt.Errorf("%w: %s: signed_by %q does not name a party with a valid key", ErrMalformed, fileDoc, ts.SignedBy)
	}
	if !signer.Equal(key) {
		return Party{}, fmt.Errorf("%s: %w: signed by %s, but signed_by says the %s (%s)",
			fileSig, ErrBadSignature, fingerprint(signer), ts.SignedBy, want.Fingerprint)
	}
	return want, nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
