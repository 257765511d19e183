package wayland

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sync"
)

// ErrNoCompositor means there is no Wayland socket to talk to.
var ErrNoCompositor = errors.New("no Wayland compositor: WAYLAND_DISPLAY is not set or its socket is not there")

// maxMessage bounds one message (the protocol's own limit is 4096 bytes).
const maxMessage = 4096

// conn is one connection: object IDs the client allocates, the handlers of
// the events of each, and a lock so requests from several goroutines do
// not interleave.
type conn struct {
	c        net.Conn
	mu       sync.Mutex
	next     uint32
	handlers map[uint32]func(op uint16, args *reader)
	hmu      sync.Mutex
}

// socketPath is where WAYLAND_DISPLAY points: an absolute path, or a name
// in XDG_RUNTIME_DIR.
func socketPath(display, runtimeDir string) (string, error) {
	if display == "" {
		return "", ErrNoCompositor
	}
	if filepath.IsAbs(display) {
		return display, nil
	}
	if runtimeDir == "" {
		return "", fmt.Errorf("%w (XDG_RUNTIME_DIR is not set)", ErrNoCompositor)
	}
	return filepath.Join(runtimeDir, display), nil
}

func dial() (*conn, error) {
	path, err := socketPath(os.Getenv("WAYLAND_DISPLAY"), os.Getenv("XDG_RUNTIME_DIR"))
	if err != nil {
		return nil, err
	}
	c, err := net.Dial("unix", path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoCompositor, err)
	}
	return &conn{c: c, next: 2, handlers: map[uint32]func(uint16, *reader){}}, nil
}

// newID allocates a client object and registers its event handler.
func (c *conn) newID(h func(op uint16, args *reader)) uint32 {
	c.hmu.Lock()
	defer c.hmu.Unlock()
	id := c.next
	c.next++
	c.handlers[id] = h
	return id
}

// send writes one request: object, opcode, arguments already encoded.
func (c *conn) send(object uint32, op uint16, args *writer) error {
	body := args.b
	msg := make([]byte, 8, 8+len(body))
	binary.LittleEndian.PutUint32(msg[0:], object)
	binary.LittleEndian.PutUint32(msg[4:], uint32(8+len(body))<<16|uint32(op))
	c.mu.Lock()
	defer c.mu.Unlock()
	_, err := c.c.Write(append(msg, body...))
	return err
}

// serve reads events and hands each to its object's handler until the
// connection ends.
func (c *conn) serve() error {
	head := make([]byte, 8)
	for {
		if _, err := io.ReadFull(c.c, head); err != nil {
			return err
		}
		object := binary.LittleEndian.Uint32(head)
		word := binary.LittleEndian.Uint32(head[4:])
		size, op := int(word>>16), uint16(word)
		if size < 8 || size > maxMessage {
			return fmt.Errorf("wayland: event of %d bytes", size)
		}
		body := make([]byte, size-8)
		if _, err := io.ReadFull(c.c, body); err != nil {
			return err
		}
		c.hmu.Lock()
		h := c.handlers[object]
		c.hmu.Unlock()
		if h != nil {
			h(op, &reader{b: body})
		}
	}
}

func (c *conn) Close() error { return c.c.Close() }

// writer encodes request arguments (host byte order is little-endian on
// every platform Workdiary builds for).
type writer struct{ b []byte }

func (w *writer) uint(v uint32) *writer {
	w.b = binary.LittleEndian.AppendUint32(w.b, v)
	return w
}

func (w *writer) str(s string) *writer {
	n := len(s) + 1
	w.uint(uint32(n))
	w.b = append(w.b, s...)
	w.b = append(w.b, make([]byte, 1+pad(n))...) // the NUL, then padding
	return w
}

// pad is n rounded up to a multiple of 4, less n.
func pad(n int) int { return (n+3)&^3 - n }

// reader decodes event arguments; a short message reads as zeros and sets
// bad, so a confused compositor cannot crash the tracker.
type reader struct {
	b   []byte
	bad bool
}

func (r *reader) uint() uint32 {
	if len(r.b) < 4 {
		r.bad = true
		return 0
	}
	v := binary.LittleEndian.Uint32(r.b)
	r.b = r.b[4:]
	return v
}

func (r *reader) bytes() []byte {
	n := int(r.uint())
	if n < 0 || n+pad(n) > len(r.b) {
		r.bad = true
		return nil
	}
	v := r.b[:n]
	r.b = r.b[n+pad(n):]
	return v
}

func (r *reader) str() string {
	b := r.bytes()
	if len(b) > 0 && b[len(b)-1] == 0 {
		b = b[:len(b)-1]
	}
	return string(b)
}
