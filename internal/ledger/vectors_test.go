package ledger

import (
	"crypto/ed25519"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/workdiary/workdiary/internal/cose"
)

// describe writes vectors.txt: every derived value another implementation
// needs to check itself against, step by step.
func (v vectors) describe(t *testing.T) string {
	var sb strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&sb, format+"\n", args...) }
	p("Workdiary ledger test vectors (docs/format.md). Hex is lowercase.")
	for _, party := range []struct {
		role string
		key  ed25519.PrivateKey
		note NoteKey
	}{{"contractor", contractorKey, v.contractor}, {"employer", employerKey, v.employ}} {
		vkey, err := party.note.VerifierKey()
		if err != nil {
			t.Fatal(err)
		}
		p("\n%s Ed25519 seed:  %x", party.role, party.key.Seed())
		p("%s public key:   %x", party.role, party.note.Public)
		p("%s note name:    %s (its libp2p peer ID)", party.role, party.note.Name)
		p("%s note key hash: %08x", party.role, party.note.KeyHash())
		p("%s note verifier key: %s", party.role, vkey)
	}
	logID := LogIDOf(testContract, pub(contractorKey))
	p("\ncontract ID: %x", testContract)
	p("log ID = SHA-256(\"workdiary/log/v1\\n\" || contract ID || contractor public key)")
	p("       = %s", logID)
	p("checkpoint origin: %s", Checkpoint{LogID: logID}.Origin())
	for _, s := range v.entries {
		v.describeEntry(t, p, s)
	}
	v.describeTree(t, p)
	p("\ncheckpoint.note (signed by the contractor):\n%s", v.signed)
	p("checkpoint-cosigned.note (then cosigned by the employer):\n%s", v.cosigned)
	p("--- after the checkpoint, an entry with limits (key 14 = %d: %s)", v.limited.Entry.Limits, v.limited.Entry.Limits)
	v.describeEntry(t, p, v.limited)
	return sb.String()
}

func (v vectors) describeEntry(t *testing.T, p func(string, ...any), s Signed) {
	m, err := cose.Open(s.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	e := s.Entry
	p("\n--- entry-%d.hex: seq %d, %s, segment %s", e.Seq, e.Seq, e.Kind, fmtTime(e.Start))
	p("payload (%d bytes), CBOR diagnostic notation:\n%s", len(m.Payload), strings.TrimSuffix(diagnose(t, m.Payload), "\n"))
	if e.Seq == 2 {
		// Spell out what Ed25519 signs once, for a short entry, and prove it here.
		protected := s.Bytes[4:unprotectedAt]
		toSign, err := cose.Marshal([]any{"Signature1", protected, []byte{}, m.Payload})
		if err != nil {
			t.Fatal(err)
		}
		sig := s.Bytes[len(s.Bytes)-ed25519.SignatureSize:]
		if !ed25519.Verify(s.Signer, toSign, sig) {
			t.Fatal("the Sig_structure described in vectors.txt is not what was signed")
		}
		p("protected header (%d bytes): %x", len(protected), protected)
		p("Sig_structure, the bytes Ed25519 signs (%d bytes):\n%s", len(toSign), strings.TrimSuffix(wrapHex(toSign), "\n"))
		p("signature: %x", sig)
		p("signed entry (%d bytes):\n%s", len(s.Bytes), strings.TrimSuffix(wrapHex(s.Bytes), "\n"))
	} else {
		p("signed entry: %d bytes (the .hex file)", len(s.Bytes))
	}
	p("entry hash = SHA-256(signed entry)         = %x", s.Hash)
	p("leaf hash  = SHA-256(0x00 || signed entry) = %x", LeafHash(s.Bytes))
}

func (v vectors) describeTree(t *testing.T, p func(string, ...any)) {
	leaves := leafHashes(v.bytes())
	p("\nMerkle tree over the three entries:")
	for n := range len(leaves) + 1 {
		p("root of size %d: %x", n, MerkleRoot(leaves[:n]))
	}
	incl, err := InclusionProof(leaves, 1)
	if err != nil {
		t.Fatal(err)
	}
	cons, err := ConsistencyProof(leaves, 2)
	if err != nil {
		t.Fatal(err)
	}
	p("inclusion proof of leaf index 1 (seq 2) in size 3: %s", hexList(incl))
	p("consistency proof from size 2 to size 3: %s", hexList(cons))
}

func hexList(hs [][32]byte) string {
	var parts []string
	for _, h := range hs {
		parts = append(parts, hex.EncodeToString(h[:]))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
