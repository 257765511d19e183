package p2p

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

// Framing: every message on a Workdiary stream is a 4-byte big-endian
// length followed by that many bytes of payload. A fixed-width header was
// chosen over a uvarint because it has exactly one encoding per length (no
// overlong forms to reject), is trivial to implement in any language, and
// its overhead is irrelevant next to entries and images. An empty payload
// is a valid frame.
const frameHeaderLen = 4

// DefaultMaxFrame is the size cap of a frame unless a protocol sets its
// own: large enough for a full-size screenshot, small enough that a peer
// cannot make us hold much memory per stream.
const DefaultMaxFrame = 4 << 20

// readChunk bounds how much is allocated ahead of the bytes actually
// received, so that a peer announcing a large frame and then stalling
// costs us little.
const readChunk = 64 << 10

// Frame errors, compared with errors.Is.
var (
	// ErrFrameTooLarge means a frame's length exceeds the cap; the message
	// says both.
	ErrFrameTooLarge = errors.New("frame too large")
	// ErrTruncated means the stream ended inside a frame.
	ErrTruncated = errors.New("stream ended inside a frame")
)

// ReadFrame reads one frame of at most maxSize bytes. A stream that ends
// cleanly between frames returns io.EOF; one that ends inside a frame
// returns ErrTruncated. The length is checked against maxSize before anything
// is allocated, and the buffer grows only as bytes arrive.
func ReadFrame(r io.Reader, maxSize int) ([]byte, error) {
	return ReadFrameInto(r, nil, maxSize)
}

// ReadFrameInto is ReadFrame into buf when the frame fits in its
// capacity: a reader that knows the size to expect (an image whose entry
// states it) reuses its buffers instead of growing a new one per frame. A
// larger frame, up to maxSize, is read as ReadFrame reads it.
func ReadFrameInto(r io.Reader, buf []byte, maxSize int) ([]byte, error) {
	var hdr [frameHeaderLen]byte
	if n, err := io.ReadFull(r, hdr[:]); err != nil {
		if err == io.EOF {
			return nil, io.EOF
		}
		if err == io.ErrUnexpectedEOF {
			return nil, fmt.Errorf("read frame header: %w (got %d of %d bytes)", ErrTruncated, n, frameHeaderLen)
		}
		return nil, fmt.Errorf("read frame header: %w", err)
	}
	size := uint64(binary.BigEndian.Uint32(hdr[:]))
	if maxSize < 0 || size > uint64(maxSize) {
		return nil, fmt.Errorf("%w: %d bytes, cap %d", ErrFrameTooLarge, size, maxSize)
	}
	n := int(size)
	if buf != nil && n <= cap(buf) {
		got, err := io.ReadFull(r, buf[:n])
		if err != nil {
			return nil, truncated(err, got, n)
		}
		return buf[:n], nil
	}
	buf = make([]byte, 0, min(n, readChunk))
	for len(buf) < n {
		if len(buf) == cap(buf) {
			// Four times what has arrived: a screenshot needs one step.
			grown := make([]byte, len(buf), min(n, 4*cap(buf)))
			copy(grown, buf)
			buf = grown
		}
		got, err := io.ReadFull(r, buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+got]
		if err != nil {
			return nil, truncated(err, len(buf), n)
		}
	}
	return buf, nil
}

// truncated describes a read that stopped after got of the n bytes of a
// frame's payload.
func truncated(err error, got, n int) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return fmt.Errorf("read frame: %w (got %d of %d bytes)", ErrTruncated, got, n)
	}
	return fmt.Errorf("read frame (%d of %d bytes): %w", got, n, err)
}

// appendFrame appends b to dst as a frame.
func appendFrame(dst, b []byte) []byte {
	return append(binary.BigEndian.AppendUint32(dst, uint32(len(b))), b...)
}

// WriteFrame writes b as one frame. Small frames go out in a single write
// so that the header and payload share a packet.
func WriteFrame(w io.Writer, b []byte) error {
	if uint64(len(b)) > math.MaxUint32 {
		return fmt.Errorf("%w: %d bytes, cap %d", ErrFrameTooLarge, len(b), uint64(math.MaxUint32))
	}
	if len(b) <= readChunk {
		if _, err := w.Write(appendFrame(make([]byte, 0, frameHeaderLen+len(b)), b)); err != nil {
			return fmt.Errorf("write frame: %w", err)
		}
		return nil
	}
	var hdr [frameHeaderLen]byte
	binary.BigEndian.PutUint32(hdr[:], uint32(len(b)))
	if _, err := w.Write(hdr[:]); err != nil {
		return fmt.Errorf("write frame header: %w", err)
	}
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("write frame: %w", err)
	}
	return nil
}
