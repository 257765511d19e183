package owner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"time"
)

// ErrNoOwner means no process owns the data folder right now: the caller
// may open the folder itself.
var ErrNoOwner = errors.New("no owner is running")

const (
	socketName  = "control.sock"
	maxMessage  = 64 << 20
	callTimeout = 5 * time.Minute
)

// Handler answers one control request. params is the caller's JSON; the
// result is marshalled back as JSON.
type Handler func(ctx context.Context, method string, params json.RawMessage) (any, error)

type request struct {
	Method string          `json:"method"`
	Params json.RawMessage `json:"params,omitempty"`
}

type response struct {
	Result json.RawMessage `json:"result,omitempty"`
	Error  string          `json:"error,omitempty"`
	Code   string          `json:"code,omitempty"`
}

// RemoteError is an error the owner returned; its text is the owner's, and
// Code the code of the condition, when the handler's error carries one.
type RemoteError struct {
	Msg  string
	Code string
}

// Coded is an error that names its condition with a code for the caller's
// side of the socket (the handler's own mapping; see Serve).
type Coded interface {
	error
	WireCode() string
}

func (e *RemoteError) Error() string { return e.Msg }

// SocketPath is the control socket of a data folder.
func SocketPath(dir string) string { return filepath.Join(dir, socketName) }

// Serve answers control requests on the folder's socket until ctx ends.
// Only the lock holder may serve: a stale socket left by a crashed owner is
// removed first, which is safe because holding the lock proves no other
// owner is alive. The socket is owner-only (0600 in a 0700 folder).
func (l *Lock) Serve(ctx context.Context, h Handler) error {
	path := SocketPath(l.dir)
	_ = os.Remove(path)
	ln, err := net.Listen("unix", path)
	if err != nil {
		return fmt.Errorf("control socket %s: %w", path, err)
	}
	// Windows keeps the socket private through the folder's ACL
	// (%LOCALAPPDATA% is the user's own); mode bits mean nothing there.
	if runtime.GOOS != "windows" {
		if err := os.Chmod(path, 0o600); err != nil {
			ln.Close()
			return fmt.Errorf("control socket %s: %w", path, err)
		}
	}
	go func() {
		<-ctx.Done()
		ln.Close()
	}()
	for {
		conn, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				_ = os.Remove(path)
				return nil
			}
			return fmt.Errorf("control socket: %w", err)
		}
		l.inflight.Add(1)
		go func() {
			defer l.inflight.Done()
			serveConn(ctx, conn, h)
		}()
	}
}

// Drain waits, up to d, for the control requests being answered to
// finish: an owner that ends because a request told it to (`track stop`
// to a foreground `track`) still sends that request its answer.
func (l *Lock) Drain(d time.Duration) {
	done := make(chan struct{})
	go func() { l.inflight.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(d):
	}
}

func serveConn(ctx context.Context, conn net.Conn, h Handler) {
	defer conn.Close()
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	var req request
	if err := json.NewDecoder(io.LimitReader(conn, maxMessage)).Decode(&req); err != nil {
		writeResponse(conn, response{Error: fmt.Sprintf("bad control request: %v", err)})
		return
	}
	_ = conn.SetReadDeadline(time.Time{})
	result, err := h(ctx, req.Method, req.Params)
	if err != nil {
		resp := response{Error: err.Error()}
		if c, ok := errors.AsType[Coded](err); ok {
			resp.Code = c.WireCode()
		}
		writeResponse(conn, resp)
		return
	}
	b, err := json.Marshal(result)
	if err != nil {
		writeResponse(conn, response{Error: fmt.Sprintf("encode result: %v", err)})
		return
	}
	writeResponse(conn, response{Result: b})
}

func writeResponse(conn net.Conn, r response) {
	_ = conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
	_ = json.NewEncoder(conn).Encode(r)
}

// Call asks the owner of dir to run method. It returns ErrNoOwner when no
// owner listens, so the caller can open the folder itself; an error the
// owner reports comes back as *RemoteError.
func Call(ctx context.Context, dir, method string, params, result any) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "unix", SocketPath(dir))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ENOENT) || nobodyListens(err) {
			return ErrNoOwner
		}
		return fmt.Errorf("reach the owner of %s: %w", dir, err)
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	} else {
		_ = conn.SetDeadline(time.Now().Add(callTimeout))
	}
	raw, err := json.Marshal(params)
	if err != nil {
		return fmt.Errorf("encode %s request: %w", method, err)
	}
	if err := json.NewEncoder(conn).Encode(request{Method: method, Params: raw}); err != nil {
		return fmt.Errorf("send %s to the owner: %w", method, err)
	}
	var resp response
	if err := json.NewDecoder(io.LimitReader(conn, maxMessage)).Decode(&resp); err != nil {
		return fmt.Errorf("read the owner's answer to %s: %w", method, err)
	}
	if resp.Error != "" {
		return &RemoteError{Msg: resp.Error, Code: resp.Code}
	}
	if result == nil || len(resp.Result) == 0 {
		return nil
	}
	if err := json.Unmarshal(resp.Result, result); err != nil {
		return fmt.Errorf("decode the owner's answer to %s: %w", method, err)
	}
	return nil
}
