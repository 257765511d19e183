package identity_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/workdiary/workdiary/internal/identity"
)

func TestCreateLoadRefuseOverwrite(t *testing.T) {
	dir := t.TempDir()
	id, err := identity.Create(dir, "Ada Lovelace")
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dir, "identity.key"))
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Mode().Perm(); got != 0o600 {
		t.Fatalf("key file mode = %o, want 600", got)
	}
	before, _ := os.ReadFile(filepath.Join(dir, "identity.key"))

	if _, err := identity.Create(dir, "Mallory"); !errors.Is(err, identity.ErrExists) {
		t.Fatalf("second Create: err = %v, want ErrExists", err)
	}
	after, _ := os.ReadFile(filepath.Join(dir, "identity.key"))
	if !bytes.Equal(before, after) {
		t.Fatal("second Create changed the key file")
	}

	got, err := identity.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got.PeerID() != id.PeerID() || got.Name != "Ada Lovelace" {
		t.Fatalf("Load = %s %q, want %s %q", got.PeerID(), got.Name, id.PeerID(), "Ada Lovelace")
	}
	if p := got.PeerID().String(); !strings.HasPrefix(p, "12D3KooW") {
		t.Fatalf("peer ID %q does not start with 12D3KooW", p)
	}
	if k := got.SSHPublicKey(); !strings.HasPrefix(k, "ssh-ed25519 ") || !strings.HasSuffix(k, " Ada_Lovelace") {
		t.Fatalf("SSH key %q is not an ssh-ed25519 line with the name", k)
	}
	if f := got.Fingerprint(); len(f) != 19 || strings.Count(f, "-") != 3 {
		t.Fatalf("fingerprint %q is not four groups of four", f)
	}
}

func TestLoadMissingAndCorrupt(t *testing.T) {
	dir := t.TempDir()
	if _, err := identity.Load(dir); !errors.Is(err, identity.ErrNoIdentity) {
		t.Fatalf("Load empty dir: err = %v, want ErrNoIdentity", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "identity.key"), []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := identity.Load(dir); err == nil || !strings.Contains(err.Error(), "corrupt") {
		t.Fatalf("Load corrupt key: err = %v, want a 'corrupt' error", err)
	}
}

func TestBadNames(t *testing.T) {
	for _, name := range []string{"", "   ", "a\nb", strings.Repeat("x", 81)} {
		if _, err := identity.Create(t.TempDir(), name); !errors.Is(err, identity.ErrBadName) {
			t.Errorf("Create(%q): err = %v, want ErrBadName", name, err)
		}
	}
}
