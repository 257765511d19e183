//go:build e2e

package e2e

import (
	"errors"
	"io"
	"math"
	"net"
	"sync"
	"sync/atomic"
	"testing"
)

// cutMode is how the proxy ends a connection that used up its bytes.
type cutMode int

const (
	cutReset cutMode = iota // both sides get a TCP reset
	cutClose                // both sides get an orderly close mid-stream
	cutStall                // nothing more is forwarded and nothing is closed: only the peers' own deadlines notice
)

func (m cutMode) String() string { return [...]string{"reset", "close", "stall"}[m] }

// tcpCutter is a TCP proxy that cuts the connections through it on
// purpose: each connection after a number of bytes (both directions
// together) chosen when the test arms it. The employer's node listens
// elsewhere; the contractor dials the proxy because that is the address
// in the offer.
type tcpCutter struct {
	ln     net.Listener
	target string

	mu      sync.Mutex
	budget  int64 // bytes a new connection may carry; math.MaxInt64 when unarmed
	mode    cutMode
	open    map[*cutConn]bool
	opened  int
	refused int // the target did not answer (its node was down)
	cuts    map[cutMode]int
}

// startTCPCutter listens on listen and forwards to target until the test
// ends.
func startTCPCutter(t *testing.T, listen, target string) *tcpCutter {
	t.Helper()
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		t.Fatalf("proxy: listen on %s (the employer's port from the offer): %v", listen, err)
	}
	c := &tcpCutter{ln: ln, target: target, budget: math.MaxInt64, open: map[*cutConn]bool{}, cuts: map[cutMode]int{}}
	go c.serve()
	t.Cleanup(func() {
		ln.Close()
		c.closeAll()
	})
	return c
}

// arm makes each connection opened from now on end after budget bytes, in
// the given way.
func (c *tcpCutter) arm(budget int64, mode cutMode) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.budget, c.mode = budget, mode
}

// disarm lets new connections carry any number of bytes.
func (c *tcpCutter) disarm() { c.arm(math.MaxInt64, cutReset) }

// counts reports connections opened, refused by the target, and cut.
func (c *tcpCutter) counts() (opened, refused, cuts int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, n := range c.cuts {
		cuts += n
	}
	return c.opened, c.refused, cuts
}

// cutsByMode reports how many connections each mode ended.
func (c *tcpCutter) cutsByMode() map[cutMode]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[cutMode]int{}
	for m, n := range c.cuts {
		out[m] = n
	}
	return out
}

// closeAll closes every connection through the proxy, stalled ones too.
func (c *tcpCutter) closeAll() {
	c.mu.Lock()
	conns := make([]*cutConn, 0, len(c.open))
	for cc := range c.open {
		conns = append(conns, cc)
	}
	c.mu.Unlock()
	for _, cc := range conns {
		cc.release()
	}
}

func (c *tcpCutter) serve() {
	for {
		client, err := c.ln.Accept()
		if err != nil {
			return // closed at the end of the test
		}
		go c.forward(client)
	}
}

func (c *tcpCutter) forward(client net.Conn) {
	server, err := net.Dial("tcp", c.target)
	c.mu.Lock()
	if err != nil {
		c.refused++
		c.mu.Unlock()
		resetConn(client)
		return
	}
	cc := &cutConn{cutter: c, client: client, server: server, mode: c.mode, released: make(chan struct{})}
	cc.left.Store(c.budget)
	c.opened++
	c.open[cc] = true
	c.mu.Unlock()

	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); cc.pipe(server, client) }()
	go func() { defer wg.Done(); cc.pipe(client, server) }()
	wg.Wait()
	cc.release()
	c.mu.Lock()
	delete(c.open, cc)
	c.mu.Unlock()
}

// cutConn is one proxied connection and the bytes it may still carry.
type cutConn struct {
	cutter         *tcpCutter
	client, server net.Conn
	mode           cutMode
	left           atomic.Int64
	cutOnce        sync.Once
	releaseOnce    sync.Once
	released       chan struct{}
}

// pipe copies src to dst until either ends or the budget runs out; then
// the connection is cut as its mode says.
func (cc *cutConn) pipe(dst, src net.Conn) {
	buf := make([]byte, 16<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			pass := cc.take(n)
			if pass > 0 {
				if _, werr := dst.Write(buf[:pass]); werr != nil {
					cc.release()
					return
				}
			}
			if pass < n {
				cc.cut()
				<-cc.released // a stalled connection stays open until closeAll
				return
			}
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				if tc, ok := dst.(*net.TCPConn); ok {
					_ = tc.CloseWrite() // pass the orderly end on
					return
				}
			}
			cc.release()
			return
		}
	}
}

// take reserves up to n bytes of the budget and returns how many.
func (cc *cutConn) take(n int) int {
	for {
		left := cc.left.Load()
		pass := int64(n)
		if left < pass {
			pass = left
		}
		if cc.left.CompareAndSwap(left, left-pass) {
			return int(pass)
		}
	}
}

// cut ends the connection the way the test asked, once.
func (cc *cutConn) cut() {
	cc.cutOnce.Do(func() {
		cc.left.Store(0) // the other direction stops too
		cc.cutter.mu.Lock()
		cc.cutter.cuts[cc.mode]++
		cc.cutter.mu.Unlock()
		switch cc.mode {
		case cutReset:
			resetConn(cc.client)
			resetConn(cc.server)
			cc.release()
		case cutClose:
			cc.release()
		case cutStall:
			// Left open until closeAll: the peers see silence.
		}
	})
}

// release closes both sides.
func (cc *cutConn) release() {
	cc.releaseOnce.Do(func() {
		close(cc.released)
		cc.client.Close()
		cc.server.Close()
	})
}

// resetConn closes a TCP connection with a reset instead of a FIN.
func resetConn(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	c.Close()
}
