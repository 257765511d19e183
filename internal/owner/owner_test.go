package owner_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/owner"
)

func TestSecondOwnerIsRefusedWithTheHolder(t *testing.T) {
	dir := t.TempDir()
	l, err := owner.Acquire(dir, "the desktop app")
	if err != nil {
		t.Fatal(err)
	}
	_, err = owner.Acquire(dir, "workdiary serve")
	if !errors.Is(err, owner.ErrBusy) || !strings.Contains(err.Error(), "the desktop app") {
		t.Fatalf("second Acquire: err = %v, want ErrBusy naming the desktop app", err)
	}
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
	l2, err := owner.Acquire(dir, "workdiary serve")
	if err != nil {
		t.Fatalf("Acquire after Release: %v", err)
	}
	l2.Release()
}

func TestCallReachesOwnerAndFallsBackWithout(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	if err := owner.Call(ctx, dir, "id", nil, nil); !errors.Is(err, owner.ErrNoOwner) {
		t.Fatalf("Call with no owner: err = %v, want ErrNoOwner", err)
	}
	l, err := owner.Acquire(dir, "test owner")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- l.Serve(sctx, func(_ context.Context, method string, p json.RawMessage) (any, error) {
			if method == "fail" {
				return nil, errors.New("owner says no")
			}
			var in struct{ N int }
			_ = json.Unmarshal(p, &in)
			return map[string]any{"method": method, "n": in.N + 1}, nil
		})
	}()
	waitForSocket(t, dir)
	st, err := os.Stat(owner.SocketPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Mode().Perm(); got != 0o600 {
		t.Fatalf("socket mode = %o, want 600", got)
	}
	var out struct {
		Method string
		N      int
	}
	if err := owner.Call(ctx, dir, "echo", map[string]int{"N": 41}, &out); err != nil {
		t.Fatal(err)
	}
	if out.Method != "echo" || out.N != 42 {
		t.Fatalf("Call = %+v, want echo 42", out)
	}
	var re *owner.RemoteError
	if err := owner.Call(ctx, dir, "fail", nil, nil); !errors.As(err, &re) || re.Msg != "owner says no" {
		t.Fatalf("Call fail: err = %v, want RemoteError 'owner says no'", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if err := owner.Call(ctx, dir, "echo", nil, nil); !errors.Is(err, owner.ErrNoOwner) {
		t.Fatalf("Call after the owner stopped: err = %v, want ErrNoOwner", err)
	}
}

func TestStaleSocketIsReplaced(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(owner.SocketPath(dir), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := owner.Call(context.Background(), dir, "x", nil, nil); !errors.Is(err, owner.ErrNoOwner) {
		t.Fatalf("Call on a stale socket file: err = %v, want ErrNoOwner", err)
	}
	l, err := owner.Acquire(dir, "test owner")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go l.Serve(ctx, func(context.Context, string, json.RawMessage) (any, error) { return "ok", nil })
	waitForSocket(t, dir)
	var s string
	if err := owner.Call(ctx, dir, "x", nil, &s); err != nil || s != "ok" {
		t.Fatalf("Call = %q, %v; want ok", s, err)
	}
}

func waitForSocket(t *testing.T, dir string) {
	t.Helper()
	for i := 0; i < 200; i++ {
		if err := owner.Call(context.Background(), dir, "ping", nil, nil); !errors.Is(err, owner.ErrNoOwner) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("control socket never came up")
}
