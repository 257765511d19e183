package node_test

import (
	"context"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock"
	"github.com/workdiary/workdiary/internal/node"
)

// A command run while an owner is starting (it holds the folder but does
// not listen yet) waits for the owner's socket instead of failing, even
// when the owner takes seconds to come up.
func TestDoWaitsForAStartingOwner(t *testing.T) {
	home := t.TempDir()
	ctx := context.Background()
	if _, err := node.OpIdentityCreate.Do(ctx, home, "test", node.CreateIdentityParams{Name: "Ada"}); err != nil {
		t.Fatal(err)
	}
	n, err := node.OpenOwner(ctx, home, "workdiary serve", clock.Real{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	sctx, cancel := context.WithCancel(ctx)
	defer func() { cancel(); n.Close() }()
	const startup = 4 * time.Second
	time.AfterFunc(startup, func() { go n.Serve(sctx) })
	start := time.Now()
	info, err := node.OpIdentityShow.Do(ctx, home, "workdiary id", node.None{})
	if err != nil {
		t.Fatalf("id while the owner starts (%v before it listens): %v", startup, err)
	}
	if took := time.Since(start); took < startup-100*time.Millisecond || info.Name != "Ada" {
		t.Fatalf("id answered %+v after %v; want Ada, from the owner once it listens", info, took)
	}
}
