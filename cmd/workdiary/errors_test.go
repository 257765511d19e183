package main

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock"
	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/owner"
	"github.com/workdiary/workdiary/internal/p2p"
)

// The command line says what to do about the conditions the domain
// reports, in the same words whether it opened the folder itself or asked
// the running app through the control socket (the condition crosses the
// socket as a code; the words are added here).
func TestErrorWording(t *testing.T) {
	for _, viaOwner := range []bool{false, true} {
		home := t.TempDir()
		if viaOwner {
			serveOwner(t, home)
		}
		mode := map[bool]string{false: "alone", true: "through the owner"}[viaOwner]
		expect := func(want string, args ...string) {
			t.Helper()
			r := cli(t, append([]string{"--home", home}, args...)...)
			if r.code != 1 || !strings.Contains(r.stderr, want) {
				t.Errorf("%s: workdiary %s: exit %d, stderr %q; want exit 1 saying %q", mode, strings.Join(args, " "), r.code, r.stderr, want)
			}
		}
		expect("no identity yet in "+home+"; run `workdiary init --name NAME` or open the desktop app", "id")
		must(t, "--home", home, "init", "--name", "Ada")
		expect(`no such contract: no contract ID starts with "ffff"; see `+"`workdiary contract list`", "log", "--contract", "ffff")
		expect("an identity already exists in this data folder", "init", "--name", "Eve")
		expect("say what to approve; give --all, --through TIME, or segment IDs", "approve", "--contract", "ffff")
	}
}

// A folder another process owns: the folder's lock says who has it, the
// command line what to do (the app says it in its own words).
func TestBusyFolderWording(t *testing.T) {
	home := t.TempDir()
	lock, err := owner.AcquireOwner(context.Background(), home, "workdiary serve", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Release()
	r := cli(t, "--home", home, "id")
	if r.code != 1 || !strings.Contains(r.stderr, "workdiary serve already runs on "+home) || !strings.Contains(r.stderr, "close it first, or use --home to pick another data folder") {
		t.Errorf("id in a folder serve holds: exit %d, stderr %q; want exit 1 naming serve and saying what to do", r.code, r.stderr)
	}
}

// serveOwner runs an owner on home, as the desktop app does, until the
// test ends, and waits until it answers.
func serveOwner(t *testing.T, home string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	n, err := node.OpenOwner(ctx, home, "the desktop app", clock.Real{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	go n.Serve(ctx)
	t.Cleanup(func() { cancel(); n.Close() })
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, err := node.OpContractList.Ask(ctx, home, node.None{})
		if !errors.Is(err, owner.ErrNoOwner) || time.Now().After(deadline) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A round that failed because only a public relay reaches the other side
// says here what to do about it (the window says it in its own words);
// any other failure is shown as the node worded it.
func TestSyncFailureAdvice(t *testing.T) {
	limited := node.SyncResult{Error: p2p.ErrRelayedOnly.Error(), Path: p2p.PathLimited}
	if got := syncFailure(limited); !strings.HasPrefix(got, limited.Error) || !strings.Contains(got, "workdiary serve --relay") || !strings.Contains(got, "sync --export / --import") {
		t.Errorf("relayed only: %q; want the error, then the own relay and the file as what to do", got)
	}
	other := node.SyncResult{Error: "the counterpart is offline"}
	if got := syncFailure(other); got != other.Error {
		t.Errorf("another failure: %q; want %q unchanged", got, other.Error)
	}
}
