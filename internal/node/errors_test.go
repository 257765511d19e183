package node

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/owner"
)

// A handler's error keeps its condition across the control socket: the
// first condition of wireErrors it carries, on every run, comes back on
// the caller's side as the same sentinel with the owner's text.
func TestWireCodesAreFixedAndRoundTrip(t *testing.T) {
	both := fmt.Errorf("approve: %w", errors.Join(contract.ErrNotFound, identity.ErrNoIdentity))
	for range 50 {
		if got := wireCode(both); got != "no-identity" {
			t.Fatalf("wireCode(%v) = %q; want no-identity every time", both, got)
		}
	}
	for _, w := range wireErrors {
		sent := withCode(fmt.Errorf("op: %w", w.err))
		c, ok := errors.AsType[owner.Coded](sent)
		if !ok {
			t.Fatalf("%v: no code attached", w.err)
		}
		back := remoteError(&owner.RemoteError{Msg: sent.Error(), Code: c.WireCode()})
		if !errors.Is(back, w.err) || back.Error() != sent.Error() {
			t.Errorf("code %s came back as %v (errors.Is %v); want %v with the owner's text", w.code, back, errors.Is(back, w.err), w.err)
		}
	}
	if back := remoteError(&owner.RemoteError{Msg: "x", Code: "from-a-newer-owner"}); errors.Is(back, ErrUnknownOp) || back.Error() != "x" {
		t.Errorf("an unknown code came back as %v; want the text alone", back)
	}
}

// Every op in the table decodes its parameters before it runs: a request
// with parameters of the wrong shape is refused, whatever the op, and an
// op the node does not know is ErrUnknownOp.
func TestHandleDecodesBeforeRunning(t *testing.T) {
	n := OpenTestNode(t, clocktest.New(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)), "Ada")
	names := OpNames()
	if len(names) < 20 {
		t.Fatalf("the table has %d ops: %v", len(names), names)
	}
	for _, name := range names {
		_, err := n.Handle(context.Background(), name, json.RawMessage(`[1, 2]`))
		if err == nil || !strings.HasPrefix(err.Error(), "bad parameters") {
			t.Errorf("%s with an array for parameters: err = %v; want bad parameters", name, err)
		}
	}
	if _, err := n.Handle(context.Background(), "diary.frobnicate", nil); !errors.Is(err, ErrUnknownOp) {
		t.Errorf("an unknown op: err = %v; want ErrUnknownOp", err)
	}
}
