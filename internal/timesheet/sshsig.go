package timesheet

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha512"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/crypto/ssh"
)

// SSHNamespace is the sshsig namespace of a bundle's detached signature;
// `ssh-keygen -Y verify -n` must be given the same.
const SSHNamespace = "workdiary-timesheet"

// The OpenSSH signature format (PROTOCOL.sshsig in the OpenSSH sources).
const (
	sshsigMagic   = "SSHSIG"
	sshsigVersion = 1
	sshsigHash    = "sha512"
	armorBegin    = "-----BEGIN SSH SIGNATURE-----"
	armorEnd      = "-----END SSH SIGNATURE-----"
	armorColumns  = 70
)

// SignSSH returns an armored detached OpenSSH signature of data by key in
// SSHNamespace, as `ssh-keygen -Y sign -n workdiary-timesheet` would make.
func SignSSH(data []byte, key ed25519.PrivateKey) ([]byte, error) {
	signer, err := ssh.NewSignerFromKey(key)
	if err != nil {
		return nil, fmt.Errorf("sshsig: %w", err)
	}
	sig, err := signer.Sign(nil, sshsigSignedData(SSHNamespace, sshsigHash, data)) // Ed25519 needs no randomness
	if err != nil {
		return nil, fmt.Errorf("sshsig: %w", err)
	}
	var blob []byte
	blob = append(blob, sshsigMagic...)
	blob = binary.BigEndian.AppendUint32(blob, sshsigVersion)
	for _, field := range [][]byte{signer.PublicKey().Marshal(), []byte(SSHNamespace), nil, []byte(sshsigHash), ssh.Marshal(sig)} {
		blob = appendString(blob, field)
	}
	return armor(blob), nil
}

// sshsigSignedData is what the SSH signature covers: the magic, namespace,
// reserved, hash algorithm and the hash of the message.
func sshsigSignedData(namespace, hashAlg string, data []byte) []byte {
	h := sha512.Sum512(data)
	out := []byte(sshsigMagic)
	for _, field := range [][]byte{[]byte(namespace), nil, []byte(hashAlg), h[:]} {
		out = appendString(out, field)
	}
	return out
}

// VerifySSHSig checks an armored detached signature of data against one
// line of an allowed_signers file, as `ssh-keygen -Y verify` does for
// SSHNamespace with hash sha512.
func VerifySSHSig(data, armored []byte, allowedSignersLine string) error {
	want, err := parseAllowedSigner(allowedSignersLine)
	if err != nil {
		return err
	}
	blob, err := dearmor(armored)
	if err != nil {
		return err
	}
	f, err := splitSSHSig(blob)
	if err != nil {
		return err
	}
	switch {
	case !bytes.Equal(f.publicKey, want.Marshal()):
		return fmt.Errorf("%w: sshsig: signed by another key than the allowed signer's", ErrBadSignature)
	case f.namespace != SSHNamespace:
		return fmt.Errorf("%w: sshsig: namespace %q, want %q", ErrBadSignature, f.namespace, SSHNamespace)
	case f.hashAlg != sshsigHash:
		return fmt.Errorf("%w: sshsig: hash %q, want %q", ErrBadSignature, f.hashAlg, sshsigHash)
	}
	var sig ssh.Signature
	if err := ssh.Unmarshal(f.signature, &sig); err != nil {
		return fmt.Errorf("%w: sshsig: signature: %v", ErrMalformed, err)
	}
	if err := want.Verify(sshsigSignedData(f.namespace, f.hashAlg, data), &sig); err != nil {
		return fmt.Errorf("%w: sshsig: %v", ErrBadSignature, err)
	}
	return nil
}

type sshsigFields struct {
	publicKey, signature         []byte
	namespace, reserved, hashAlg string
}

func splitSSHSig(blob []byte) (sshsigFields, error) {
	bad := fmt.Errorf("%w: not an SSHSIG version %d signature", ErrMalformed, sshsigVersion)
	rest, ok := bytes.CutPrefix(blob, []byte(sshsigMagic))
	if !ok || len(rest) < 4 || binary.BigEndian.Uint32(rest) != sshsigVersion {
		return sshsigFields{}, bad
	}
	rest = rest[4:]
	var parts [5][]byte
	for i := range parts {
		if parts[i], rest, ok = readString(rest); !ok {
			return sshsigFields{}, bad
		}
	}
	if len(rest) != 0 {
		return sshsigFields{}, bad
	}
	return sshsigFields{publicKey: parts[0], namespace: string(parts[1]), reserved: string(parts[2]),
		hashAlg: string(parts[3]), signature: parts[4]}, nil
}

// allowedSignersLine is an allowed_signers line restricted to our namespace.
func allowedSignersLine(principal, sshPublicKey string) string {
	return fmt.Sprintf("%s namespaces=%q %s", principal, SSHNamespace, sshPublicKey)
}

// parseAllowedSigner reads "principals [options] keytype base64 [comment]"
// and checks that the options, if any, allow SSHNamespace.
func parseAllowedSigner(line string) (ssh.PublicKey, error) {
	fields := strings.Fields(line)
	i := slices.IndexFunc(fields, func(f string) bool { return strings.HasPrefix(f, "ssh-") })
	if i < 1 {
		return nil, fmt.Errorf("%w: allowed signers line: want principal, options and an ssh-ed25519 key", ErrMalformed)
	}
	for _, opt := range strings.Split(strings.Join(fields[1:i], " "), ",") {
		if v, ok := strings.CutPrefix(opt, "namespaces="); ok && !slices.Contains(strings.Split(strings.Trim(v, `"`), ","), SSHNamespace) {
			return nil, fmt.Errorf("%w: allowed signers line does not allow namespace %s", ErrBadSignature, SSHNamespace)
		}
	}
	k, _, _, _, err := ssh.ParseAuthorizedKey([]byte(strings.Join(fields[i:], " ")))
	if err != nil {
		return nil, fmt.Errorf("%w: allowed signers line: %v", ErrMalformed, err)
	}
	return k, nil
}

func armor(blob []byte) []byte {
	enc := base64.StdEncoding.EncodeToString(blob)
	var b strings.Builder
	b.WriteString(armorBegin + "\n")
	for len(enc) > armorColumns {
		b.WriteString(enc[:armorColumns] + "\n")
		enc = enc[armorColumns:]
	}
	b.WriteString(enc + "\n" + armorEnd + "\n")
	return []byte(b.String())
}

func dearmor(armored []byte) ([]byte, error) {
	s := strings.TrimSpace(string(armored))
	body, ok := strings.CutPrefix(s, armorBegin)
	if body, ok2 := strings.CutSuffix(body, armorEnd); ok && ok2 {
		blob, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(body), ""))
		if err == nil {
			return blob, nil
		}
	}
	return nil, fmt.Errorf("%w: not an armored SSH signature", ErrMalformed)
}

func appendString(b, s []byte) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
	return append(b, s...)
}

func readString(b []byte) (s, rest []byte, ok bool) {
	if len(b) < 4 || uint64(binary.BigEndian.Uint32(b)) > uint64(len(b)-4) {
		return nil, nil, false
	}
	n := binary.BigEndian.Uint32(b)
	return b[4 : 4+n], b[4+n:], true
}
