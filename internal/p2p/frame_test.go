package p2p

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"runtime"
	"testing"
)

func TestFrameRoundTrip(t *testing.T) {
	sizes := []int{0, 1, 255, readChunk - 1, readChunk, readChunk + 1, 3*readChunk + 17, DefaultMaxFrame}
	var buf bytes.Buffer
	var want [][]byte
	for i, n := range sizes {
		b := bytes.Repeat([]byte{byte(i + 1)}, n)
		want = append(want, b)
		if err := WriteFrame(&buf, b); err != nil {
			t.Fatalf("write %d bytes: %v", n, err)
		}
	}
	for i, w := range want {
		got, err := ReadFrame(&buf, DefaultMaxFrame)
		if err != nil {
			t.Fatalf("frame %d (%d bytes): %v", i, len(w), err)
		}
		if !bytes.Equal(got, w) {
			t.Fatalf("frame %d: got %d bytes, want %d", i, len(got), len(w))
		}
	}
	if _, err := ReadFrame(&buf, DefaultMaxFrame); err != io.EOF {
		t.Errorf("after the last frame: got %v, want io.EOF", err)
	}
}

func TestFrameErrors(t *testing.T) {
	header := func(n uint32) []byte { return binary.BigEndian.AppendUint32(nil, n) }
	tests := []struct {
		name string
		in   []byte
		max  int
		want error
	}{
		{"empty stream", nil, 16, io.EOF},
		{"half a header", []byte{0, 0}, 16, ErrTruncated},
		{"header only", header(5), 16, ErrTruncated},
		{"short payload", append(header(5), "abc"...), 16, ErrTruncated},
		{"over the cap", append(header(17), make([]byte, 17)...), 16, ErrFrameTooLarge},
		{"huge claim", header(0xffffffff), DefaultMaxFrame, ErrFrameTooLarge},
		{"at the cap", append(header(16), make([]byte, 16)...), 16, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadFrame(bytes.NewReader(tt.in), tt.max)
			if !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
	_, err := ReadFrame(bytes.NewReader(append(header(17), make([]byte, 17)...)), 16)
	if err == nil || err.Error() != "frame too large: 17 bytes, cap 16" {
		t.Errorf("message: got %q, want it to give size and cap", err)
	}
}

// headerOnly yields a header and then fails the test if read further.
type headerOnly struct {
	t   *testing.T
	hdr []byte
}

func (r *headerOnly) Read(p []byte) (int, error) {
	if len(r.hdr) == 0 {
		r.t.Fatal("ReadFrame read past the header of an oversized frame")
	}
	n := copy(p, r.hdr)
	r.hdr = r.hdr[n:]
	return n, nil
}

// An oversized frame is refused on its header: nothing of its size is
// allocated and its payload is not read.
func TestFrameTooLargeBeforeAllocation(t *testing.T) {
	allocated := allocatedBy(func() {
		r := &headerOnly{t: t, hdr: binary.BigEndian.AppendUint32(nil, 0xffffffff)}
		if _, err := ReadFrame(r, DefaultMaxFrame); !errors.Is(err, ErrFrameTooLarge) {
			t.Errorf("got %v, want ErrFrameTooLarge", err)
		}
	})
	// The bound leaves room for the error message and for the runtime, and
	// is far below one read chunk, let alone the frame.
	if allocated > 16<<10 {
		t.Errorf("refusing an oversized frame allocated %d bytes, want < 16 KiB", allocated)
	}
}

// A peer announcing a large frame and then sending little costs memory in
// proportion to what it sent, not to what it announced.
func TestFrameAllocatesAsBytesArrive(t *testing.T) {
	in := append(binary.BigEndian.AppendUint32(nil, DefaultMaxFrame), make([]byte, 10)...)
	allocated := allocatedBy(func() {
		if _, err := ReadFrame(bytes.NewReader(in), DefaultMaxFrame); !errors.Is(err, ErrTruncated) {
			t.Errorf("got %v, want ErrTruncated", err)
		}
	})
	if allocated > 2*readChunk {
		t.Errorf("a 4 MiB claim with 10 bytes sent allocated %d bytes, want <= %d", allocated, 2*readChunk)
	}
}

func allocatedBy(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// FuzzReadFrame: whatever a peer sends, ReadFrame does not panic, never
// returns more than the cap, never allocates beyond it, and agrees with
// the header; ReadFrameInto agrees with it.
func FuzzReadFrame(f *testing.F) {
	const limit = 1 << 10
	f.Add([]byte{})
	f.Add([]byte{0, 0, 0, 0})
	f.Add([]byte{0, 0, 0, 3, 'a', 'b', 'c', 0, 0})
	f.Add([]byte{0, 0, 4, 1})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		r := bytes.NewReader(data)
		b, err := ReadFrame(r, limit)
		switch {
		case len(data) == 0:
			if err != io.EOF {
				t.Fatalf("empty input: got %v, want io.EOF", err)
			}
		case len(data) < frameHeaderLen:
			if !errors.Is(err, ErrTruncated) {
				t.Fatalf("short header: got %v, want ErrTruncated", err)
			}
		default:
			n := int(binary.BigEndian.Uint32(data))
			switch {
			case n > limit:
				if !errors.Is(err, ErrFrameTooLarge) {
					t.Fatalf("length %d over cap: got %v", n, err)
				}
			case len(data)-frameHeaderLen < n:
				if !errors.Is(err, ErrTruncated) {
					t.Fatalf("length %d, %d bytes: got %v", n, len(data)-frameHeaderLen, err)
				}
			default:
				if err != nil || !bytes.Equal(b, data[frameHeaderLen:frameHeaderLen+n]) {
					t.Fatalf("length %d: got %d bytes, %v", n, len(b), err)
				}
				if cap(b) > limit {
					t.Fatalf("capacity %d beyond the cap %d", cap(b), limit)
				}
				var out bytes.Buffer
				if err := WriteFrame(&out, b); err != nil || !bytes.Equal(out.Bytes(), data[:frameHeaderLen+n]) {
					t.Fatalf("re-encoding differs: %v", err)
				}
			}
		}
		// Into a buffer of the caller's: the same frame, or a refusal too.
		into, ierr := ReadFrameInto(bytes.NewReader(data), make([]byte, 0, 16), limit)
		if (err == nil) != (ierr == nil) || !bytes.Equal(into, b) {
			t.Fatalf("into a buffer: %d bytes, %v; ReadFrame: %d bytes, %v", len(into), ierr, len(b), err)
		}
	})
}

// ReadFrameInto fills the caller's buffer when the frame fits in it, and
// otherwise reads the frame as ReadFrame does, within the same cap.
func TestFrameReadInto(t *testing.T) {
	var in bytes.Buffer
	small, large := bytes.Repeat([]byte{1}, 100), bytes.Repeat([]byte{2}, 3*readChunk)
	for _, b := range [][]byte{small, large, {}, small} {
		if err := WriteFrame(&in, b); err != nil {
			t.Fatal(err)
		}
	}
	buf := make([]byte, 0, 200)
	got, err := ReadFrameInto(&in, buf, DefaultMaxFrame)
	if err != nil || !bytes.Equal(got, small) || &got[0] != &buf[:1][0] {
		t.Fatalf("a frame that fits: %d bytes, %v, in the buffer %v; want %d bytes read into it", len(got), err, err == nil && &got[0] == &buf[:1][0], len(small))
	}
	if got, err = ReadFrameInto(&in, buf, DefaultMaxFrame); err != nil || !bytes.Equal(got, large) {
		t.Fatalf("a frame larger than the buffer: %d bytes, %v; want %d", len(got), err, len(large))
	}
	if got, err = ReadFrameInto(&in, buf, DefaultMaxFrame); err != nil || len(got) != 0 {
		t.Fatalf("an empty frame: %d bytes, %v", len(got), err)
	}
	if _, err = ReadFrameInto(&in, buf, 99); !errors.Is(err, ErrFrameTooLarge) {
		t.Fatalf("a frame over the cap, though the buffer would hold it: %v, want ErrFrameTooLarge", err)
	}
}
