package node_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/owner"
)

func TestDoWithAndWithoutOwnerAgree(t *testing.T) {
	home := t.TempDir()
	ctx := context.Background()
	created, err := node.OpIdentityCreate.Do(ctx, home, "test", node.CreateIdentityParams{Name: "Ada"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(created.PeerID, "12D3KooW") || !strings.Contains(strings.Join(created.Addrs, " "), "/ip4/127.0.0.1/tcp/") {
		t.Fatalf("created = %+v, want a 12D3KooW peer ID and dialable addrs (loopback among them)", created)
	}
	local, err := node.OpIdentityShow.Do(ctx, home, "test", node.None{})
	if err != nil {
		t.Fatal(err)
	}

	n, err := node.Open(home, "the desktop app", clock.Real{})
	if err != nil {
		t.Fatal(err)
	}
	sctx, cancel := context.WithCancel(ctx)
	go n.Serve(sctx)
	defer func() { cancel(); n.Close() }()
	var remote node.IdentityInfo
	deadline := time.Now().Add(3 * time.Second)
	for {
		remote, err = node.OpIdentityShow.Ask(ctx, home, node.None{})
		if err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	if remote.PeerID != local.PeerID || remote.SSHPublicKey != local.SSHPublicKey || remote.Fingerprint != local.Fingerprint {
		t.Fatalf("through the owner %+v, locally %+v: want the same identity", remote, local)
	}
	if _, err := node.Open(home, "workdiary serve", clock.Real{}); !errors.Is(err, owner.ErrBusy) {
		t.Fatalf("second owner: err = %v, want ErrBusy", err)
	}
	_, err = node.OpIdentityCreate.Do(ctx, home, "test", node.CreateIdentityParams{Name: "Eve"})
	if !errors.Is(err, identity.ErrExists) {
		t.Fatalf("create through the owner on an initialised folder: err = %v, want %q", err, identity.ErrExists)
	}
}

func TestShowWithoutIdentity(t *testing.T) {
	_, err := node.OpIdentityShow.Do(context.Background(), t.TempDir(), "test", node.None{})
	if !errors.Is(err, identity.ErrNoIdentity) {
		t.Fatalf("err = %v, want ErrNoIdentity", err)
	}
}
