package identity

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	"golang.org/x/crypto/ssh"
)

// Errors callers tell apart.
var (
	ErrExists     = errors.New("an identity already exists in this data folder")
	ErrNoIdentity = errors.New("no identity yet")
	ErrBadName    = errors.New("name must be 1 to 80 printable characters")
)

const (
	keyFile  = "identity.key"
	infoFile = "identity.json"
)

// Identity is the installation's key and the name its owner chose.
type Identity struct {
	Name string
	key  ed25519.PrivateKey
}

type info struct {
	Name string `json:"name"`
}

// Create makes a new key in dir. It refuses when one exists, so an identity
// (and every signature made with it) can never be silently replaced.
func Create(dir, name string) (*Identity, error) {
	name = strings.TrimSpace(name)
	if err := checkName(name); err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(dir, keyFile)); err == nil {
		return nil, fmt.Errorf("%w (%s); it is kept as it is", ErrExists, filepath.Join(dir, keyFile))
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate key: %w", err)
	}
	id := &Identity{Name: name, key: key}
	raw, err := crypto.MarshalPrivateKey(id.libp2pKey())
	if err != nil {
		return nil, fmt.Errorf("encode key: %w", err)
	}
	// O_EXCL: if two processes race to create, exactly one wins.
	if err := writeExclusive(filepath.Join(dir, keyFile), raw); err != nil {
		return nil, err
	}
	meta, _ := json.Marshal(info{Name: name})
	if err := os.WriteFile(filepath.Join(dir, infoFile), meta, 0o600); err != nil {
		return nil, fmt.Errorf("write %s: %w", infoFile, err)
	}
	return id, nil
}

// Load reads the identity in dir, or returns ErrNoIdentity.
func Load(dir string) (*Identity, error) {
	raw, err := os.ReadFile(filepath.Join(dir, keyFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w in %s", ErrNoIdentity, dir)
	}
	if err != nil {
		return nil, fmt.Errorf("read identity: %w", err)
	}
	pk, err := crypto.UnmarshalPrivateKey(raw)
	if err != nil {
		return nil, fmt.Errorf("read identity %s: corrupt key file: %w", filepath.Join(dir, keyFile), err)
	}
	edRaw, err := pk.Raw()
	if err != nil || pk.Type() != crypto.Ed25519 || len(edRaw) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("read identity %s: not an Ed25519 key", filepath.Join(dir, keyFile))
	}
	id := &Identity{key: ed25519.PrivateKey(edRaw)}
	if meta, err := os.ReadFile(filepath.Join(dir, infoFile)); err == nil {
		var in info
		if json.Unmarshal(meta, &in) == nil {
			id.Name = in.Name
		}
	}
	return id, nil
}

func writeExclusive(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%w (%s); it is kept as it is", ErrExists, path)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}

func checkName(name string) error {
	if name == "" || len([]rune(name)) > 80 {
		return ErrBadName
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return ErrBadName
		}
	}
	return nil
}

// PrivateKey is the signing key.
func (id *Identity) PrivateKey() ed25519.PrivateKey { return id.key }

// PublicKey is the verifying key.
func (id *Identity) PublicKey() ed25519.PublicKey { return id.key.Public().(ed25519.PublicKey) }

// Libp2pKey is the key in the form libp2p hosts take.
func (id *Identity) Libp2pKey() crypto.PrivKey { return id.libp2pKey() }

func (id *Identity) libp2pKey() crypto.PrivKey {
	k, err := crypto.UnmarshalEd25519PrivateKey(id.key)
	if err != nil {
		panic(fmt.Sprintf("identity: ed25519 key rejected by libp2p: %v", err))
	}
	return k
}

// PeerID names the installation on the network (12D3KooW…).
func (id *Identity) PeerID() peer.ID { return PeerIDOf(id.PublicKey()) }

// PeerIDOf derives the peer ID of any Ed25519 public key.
func PeerIDOf(pub ed25519.PublicKey) peer.ID {
	k, err := crypto.UnmarshalEd25519PublicKey(pub)
	if err != nil {
		return ""
	}
	p, err := peer.IDFromPublicKey(k)
	if err != nil {
		return ""
	}
	return p
}

// Fingerprint is the short form people compare out of band.
func (id *Identity) Fingerprint() string { return Fingerprint(id.PublicKey()) }

// Fingerprint of any Ed25519 public key: the first 80 bits of its SHA-256,
// in base32, grouped by four, e.g. "K7QX-2M4P-ZA3F-9JDE".
func Fingerprint(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	s := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:10])
	return s[0:4] + "-" + s[4:8] + "-" + s[8:12] + "-" + s[12:16]
}

// SSHPublicKey is the public key as an OpenSSH authorized_keys line, with
// the owner's name as comment, so `ssh-keygen -Y verify` can check our
// signatures.
func (id *Identity) SSHPublicKey() string { return SSHPublicKey(id.PublicKey(), id.Name) }

// SSHPublicKey renders any Ed25519 public key as an OpenSSH line.
func SSHPublicKey(pub ed25519.PublicKey, comment string) string {
	k, err := ssh.NewPublicKey(pub)
	if err != nil {
		return ""
	}
	line := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(k)))
	if comment != "" {
		line += " " + strings.Join(strings.Fields(comment), "_")
	}
	return line
}
