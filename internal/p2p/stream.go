package p2p

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
)

// DefaultTimeout bounds every single read and write of a frame. Network
// deadlines are wall-clock on purpose: they measure the peer, not the
// diary's (possibly scaled) clock.
const DefaultTimeout = 30 * time.Second

// Stream exchanges frames over a libp2p stream with the discipline every
// Workdiary protocol follows: a deadline on every read and write, a size
// cap on every frame, Close when the exchange succeeded and Reset when it
// did not. After any error other than a clean end of stream (io.EOF from
// Read) the stream has already been Reset, so a half-read frame can never
// be mistaken for the start of the next one.
type Stream struct {
	// MaxFrame caps the frames read and written (DefaultMaxFrame).
	MaxFrame int
	// MaxWrite, when set, caps the frames written instead of MaxFrame: a
	// server that reads small requests and answers with large frames
	// from another goroutine sets both once rather than switching one.
	MaxWrite int
	// Timeout bounds each Read and Write (DefaultTimeout).
	Timeout time.Duration

	s        network.Stream
	finished sync.Once
	mu       sync.Mutex // guards stopCtx, which the AfterFunc may race to read
	stopCtx  func() bool
}

// NewStream wraps s. When ctx ends before the exchange does, the stream is
// Reset, which unblocks any read or write in progress.
func NewStream(ctx context.Context, s network.Stream) *Stream {
	st := &Stream{MaxFrame: DefaultMaxFrame, Timeout: DefaultTimeout, s: s}
	st.mu.Lock()
	defer st.mu.Unlock()
	st.stopCtx = context.AfterFunc(ctx, func() { st.Reset() })
	return st
}

// Peer is the remote peer.
func (s *Stream) Peer() peer.ID { return s.s.Conn().RemotePeer() }

// Protocol is the negotiated protocol.
func (s *Stream) Protocol() protocol.ID { return s.s.Protocol() }

// Raw is the underlying libp2p stream, for what frames do not cover.
func (s *Stream) Raw() network.Stream { return s.s }

// Read reads one frame. io.EOF means the peer finished sending cleanly.
func (s *Stream) Read() ([]byte, error) { return s.ReadInto(nil) }

// ReadInto is Read into buf when the frame fits in its capacity
// (ReadFrameInto).
func (s *Stream) ReadInto(buf []byte) ([]byte, error) {
	if err := s.s.SetReadDeadline(time.Now().Add(s.timeout())); err != nil {
		return nil, s.fail("set read deadline", err)
	}
	b, err := ReadFrameInto(s.s, buf, s.MaxFrame)
	if errors.Is(err, io.EOF) {
		return nil, io.EOF
	}
	if err != nil {
		return nil, s.fail("read", err)
	}
	return b, nil
}

// Write sends b as one frame. A frame over MaxFrame is refused before
// anything is sent, since the peer would refuse it anyway.
func (s *Stream) Write(b []byte) error {
	if err := s.fits(b); err != nil {
		return err
	}
	if err := s.s.SetWriteDeadline(time.Now().Add(s.timeout())); err != nil {
		return s.fail("set write deadline", err)
	}
	if err := WriteFrame(s.s, b); err != nil {
		return s.fail("write", err)
	}
	return nil
}

// WriteFrames sends each of frames as a frame, all in one write: small
// frames sent together cost the muxer, the encryption and the system one
// message instead of one each.
func (s *Stream) WriteFrames(frames ...[]byte) error {
	n := 0
	for _, b := range frames {
		if err := s.fits(b); err != nil {
			return err
		}
		n += frameHeaderLen + len(b)
	}
	msg := make([]byte, 0, n)
	for _, b := range frames {
		msg = appendFrame(msg, b)
	}
	return s.writeRaw(msg)
}

// RoomBefore is how many bytes WriteBefore needs before a payload, beyond
// the frame sent ahead of it.
const RoomBefore = 2 * frameHeaderLen

// WriteBefore sends head, then buf[at:], as two frames in one write,
// without copying buf[at:]: both frames' headers and head are laid out in
// buf[:at], which must hold len(head)+RoomBefore bytes and is overwritten.
// A large payload thus goes out with the small frame that announces it,
// as one message instead of two or three.
func (s *Stream) WriteBefore(head, buf []byte, at int) error {
	body := buf[at:]
	if err := s.fits(head); err != nil {
		return err
	}
	if err := s.fits(body); err != nil {
		return err
	}
	start := at - len(head) - RoomBefore
	if start < 0 {
		return s.fail("write", fmt.Errorf("%d bytes of room before the frame, want %d", at, len(head)+RoomBefore))
	}
	binary.BigEndian.PutUint32(buf[start:], uint32(len(head)))
	copy(buf[start+frameHeaderLen:], head)
	binary.BigEndian.PutUint32(buf[at-frameHeaderLen:], uint32(len(body)))
	return s.writeRaw(buf[start:])
}

// fits refuses a frame over the write cap before anything is sent, since
// the peer would refuse it anyway.
func (s *Stream) fits(b []byte) error {
	limit := s.MaxFrame
	if s.MaxWrite > 0 {
		limit = s.MaxWrite
	}
	if len(b) > limit {
		return s.fail("write", fmt.Errorf("%w: %d bytes, cap %d", ErrFrameTooLarge, len(b), limit))
	}
	return nil
}

// writeRaw writes bytes already framed.
func (s *Stream) writeRaw(b []byte) error {
	if err := s.s.SetWriteDeadline(time.Now().Add(s.timeout())); err != nil {
		return s.fail("set write deadline", err)
	}
	if _, err := s.s.Write(b); err != nil {
		return s.fail("write", err)
	}
	return nil
}

// KeepAlive moves the deadline of a read in progress out by another
// Timeout: the exchange is busy on a companion stream (the employer is
// fetching a batch's images before it acknowledges the batch), so the
// silence here is progress, not a stalled peer.
func (s *Stream) KeepAlive() {
	_ = s.s.SetReadDeadline(time.Now().Add(s.timeout()))
}

// CloseWrite tells the peer that nothing more will be sent; it then reads
// io.EOF after the last frame.
func (s *Stream) CloseWrite() error {
	if err := s.s.CloseWrite(); err != nil {
		return s.fail("close write", err)
	}
	return nil
}

// Close ends a successful exchange.
func (s *Stream) Close() error {
	var err error
	s.finish(func() { err = s.s.Close() })
	return err
}

// Reset aborts the exchange: the peer's next read or write fails at once.
func (s *Stream) Reset() error {
	var err error
	s.finish(func() { err = s.s.Reset() })
	return err
}

// Finish closes the stream if err is nil and resets it otherwise, and
// returns err; a handler can end with `return st.Finish(err)`.
func (s *Stream) Finish(err error) error {
	if err != nil {
		s.Reset()
		return err
	}
	return s.Close()
}

func (s *Stream) finish(f func()) {
	s.finished.Do(func() {
		s.mu.Lock()
		stop := s.stopCtx
		s.mu.Unlock()
		if stop != nil {
			stop()
		}
		f()
	})
}

// fail resets the stream and wraps err with what was being done and with
// whom, so logs name the peer and protocol.
func (s *Stream) fail(op string, err error) error {
	s.Reset()
	return fmt.Errorf("%s %s with %s: %w", op, s.s.Protocol(), shortID(s.Peer()), err)
}

func (s *Stream) timeout() time.Duration {
	if s.Timeout <= 0 {
		return DefaultTimeout
	}
	return s.Timeout
}

// shortID is a peer ID short enough for a log line yet still unambiguous
// in practice.
func shortID(p peer.ID) string {
	str := p.String()
	if len(str) > 16 {
		return str[:6] + "…" + str[len(str)-6:]
	}
	return str
}
