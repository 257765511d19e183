package node

import (
	"context"
	"errors"
	"sync/atomic"

	"github.com/workdiary/workdiary/internal/relocate"
)

// ErrNoMove: the folder's owner (`serve`, a foreground `track`, the
// resident agent) does not move its folder while it runs; only the
// desktop app does, in its window.
var ErrNoMove = errors.New("the owner of this data folder does not move it while it runs")

// MoveParams are the parameters of OpFolderMove.
type MoveParams struct {
	To string `json:"to"`
}

// MoveResult says where the folder goes and how: Copy when the new place
// is on another disk, so the folder is copied, verified and then removed.
type MoveResult struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Copy  bool   `json:"copy"`
	Bytes int64  `json:"bytes"`
	// ChosenBy is what named the old place when it was not found
	// (config.ChosenBy: "--home" or WORKDIARY_HOME): it still names the
	// old place, so the program started that way must be changed.
	ChosenBy string `json:"chosen_by,omitempty"`
}

// moveHook is the owner's move: it checks the new place, answers, and
// then closes the node, moves the folder and opens it in the new place.
type moveHook func(ctx context.Context, p MoveParams) (MoveResult, error)

type moveHolder struct{ hook atomic.Pointer[moveHook] }

// OnMove lets this node's folder be moved by OpFolderMove: f checks the
// new place (a refusal is its error, with nothing stopped) and then, after
// answering, stops recording and sync, moves the folder and carries on in
// the new place. Without it the op fails with ErrNoMove.
func (n *Node) OnMove(f func(ctx context.Context, p MoveParams) (MoveResult, error)) {
	h := moveHook(f)
	n.move.hook.Store(&h)
}

func (n *Node) moveOp(ctx context.Context, p MoveParams) (MoveResult, error) {
	f := n.move.hook.Load()
	if f == nil {
		return MoveResult{}, ErrNoMove
	}
	return (*f)(ctx, p)
}

// CheckMove says whether the folder can move to the new place, and how,
// changing nothing: the refusals are relocate's (inside the folder, not
// empty, a file, no room).
func (n *Node) CheckMove(to string) (MoveResult, error) {
	p, err := relocate.Mover{}.Check(n.Home, to)
	return ResultOf(p), err
}

// ResultOf is a plan as the op reports it.
func ResultOf(p relocate.Plan) MoveResult {
	return MoveResult{From: p.From, To: p.To, Copy: p.Copy, Bytes: p.Bytes}
}
