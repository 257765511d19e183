package node_test

import (
	"context"
	"errors"
	"testing"

	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/owner"
)

// A session lives in its owner: without one, track.start is refused
// rather than run in a command that closes the folder at once.
func TestTrackStartNeedsAnOwner(t *testing.T) {
	err := node.Do(context.Background(), t.TempDir(), "test", node.MethodTrackStart, node.TrackParams{Contract: "x", Memo: "m"}, nil)
	if !errors.Is(err, owner.ErrNoOwner) {
		t.Fatalf("track.start without an owner: err = %v; want ErrNoOwner", err)
	}
}
