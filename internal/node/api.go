package node

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/workdiary/workdiary/internal/clock"
	"github.com/workdiary/workdiary/internal/owner"
)

// Op is one operation a process can ask a node for: its wire name, its
// parameters P and its result R. Every op is declared once, in ops.go; the
// control socket (Handle), the command line (Do, Ask) and the desktop app
// (Run) all reach the node through the same value, so a caller cannot send
// parameters of one op to another or read the wrong result.
type Op[P, R any] struct {
	Name string
	run  func(*Node, context.Context, P) (R, error)
	// ownerOnly: the op makes sense only in a long-running owner (a
	// tracking session would end with a command's own opening).
	ownerOnly bool
}

// Run runs the op on an opened node, in this process.
func (o Op[P, R]) Run(ctx context.Context, n *Node, p P) (R, error) {
	return o.run(n, ctx, p)
}

// Do runs the op against the data folder home: through its owner when one
// runs, otherwise by opening the folder for the length of the call. role
// names the caller in "folder in use" messages. An owner-only op without a
// running owner fails with owner.ErrNoOwner.
//
// The folder may be held without a socket for a moment: by an owner that
// is starting (it takes the lock before it listens) or by another command.
// Do then tries again, pausing longer each time, for up to owner.Patience.
func (o Op[P, R]) Do(ctx context.Context, home, role string, p P) (R, error) {
	var r R
	deadline := time.Now().Add(owner.Patience)
	pause := 20 * time.Millisecond
	for {
		err := o.ask(ctx, home, p, &r)
		if !errors.Is(err, owner.ErrNoOwner) {
			return r, err
		}
		if o.ownerOnly {
			return r, fmt.Errorf("%w of %s", err, home)
		}
		err = o.local(ctx, home, role, p, &r)
		if !errors.Is(err, owner.ErrBusy) || time.Now().After(deadline) {
			return r, err
		}
		select {
		case <-ctx.Done():
			return r, err
		case <-time.After(pause):
		}
		pause = min(2*pause, 250*time.Millisecond)
	}
}

// Ask runs the op only in the owner of home: owner.ErrNoOwner when none
// runs.
func (o Op[P, R]) Ask(ctx context.Context, home string, p P) (R, error) {
	var r R
	err := o.ask(ctx, home, p, &r)
	return r, err
}

func (o Op[P, R]) ask(ctx context.Context, home string, p P, r *R) error {
	err := owner.Call(ctx, home, o.Name, p, r)
	if re, ok := errors.AsType[*owner.RemoteError](err); ok {
		return remoteError(re)
	}
	return err
}

// local opens the folder for the call. The result goes through JSON like
// the owner's answer, so the caller sees exactly what the owner would have
// sent.
func (o Op[P, R]) local(ctx context.Context, home, role string, p P, r *R) error {
	n, err := Open(home, role, clock.Real{})
	if err != nil {
		return err
	}
	defer n.Close()
	out, err := o.run(n, ctx, p)
	if err != nil {
		return err
	}
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, r)
}

// handler runs an op on the wire: parameters decoded once, the result
// encoded by the control socket.
type handler func(ctx context.Context, n *Node, params json.RawMessage) (any, error)

// ops is the table Handle dispatches by name; op fills it as ops.go
// declares each op.
var ops = map[string]handler{}

// op declares an op and enters it in the table.
func op[P, R any](name string, run func(*Node, context.Context, P) (R, error)) Op[P, R] {
	if _, dup := ops[name]; dup {
		panic("node: op " + name + " declared twice")
	}
	ops[name] = func(ctx context.Context, n *Node, raw json.RawMessage) (any, error) {
		var p P
		if err := decodeParams(raw, &p); err != nil {
			return nil, err
		}
		return run(n, ctx, p)
	}
	return Op[P, R]{Name: name, run: run}
}

// OpNames lists the names of every op, for tests and docs.
func OpNames() []string {
	names := make([]string, 0, len(ops))
	for name := range ops {
		names = append(names, name)
	}
	return names
}

// Handle runs the op named method on this node (the control socket's
// handler).
func (n *Node) Handle(ctx context.Context, method string, params json.RawMessage) (any, error) {
	h, ok := ops[method]
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownOp, method)
	}
	out, err := h(ctx, n, params)
	if err != nil {
		return nil, withCode(err)
	}
	return out, nil
}

func decodeParams(raw json.RawMessage, v any) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("bad parameters: %w", err)
	}
	return nil
}

// Serve answers control requests until ctx ends.
func (n *Node) Serve(ctx context.Context) error {
	return n.lock.Serve(ctx, n.Handle)
}
