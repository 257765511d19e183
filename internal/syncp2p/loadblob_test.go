package syncp2p

import (
	"bytes"
	"testing"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/ledger"
)

// readerSender is a Sender whose images are read into the caller's
// buffer when they fit, as the node's store reads them.
type readerSender struct {
	Sender
	image []byte
}

func (r readerSender) BlobsOf(contract.ID) (ReadBlobInto, error) {
	return func(_ ledger.ImageHash, buf []byte) ([]byte, error) {
		if cap(buf) < len(r.image) {
			buf = make([]byte, len(r.image))
		}
		buf = buf[:len(r.image)]
		copy(buf, r.image)
		return buf, nil
	}, nil
}

// An image read for sending sits after imageRoom bytes of room in a
// pooled buffer, which goes back to the pool once sent; an image read
// into a buffer of its own (the pooled one was too small: what the pool
// holds depends on the tests before), or an empty one, leaves the pooled
// buffer unused and is never given to the pool (twice would hand one
// buffer to two images).
func TestLoadBlobReadsAfterRoom(t *testing.T) {
	var id contract.ID
	hash := make([]byte, 32)
	for _, tc := range []struct {
		name      string
		size      int
		mayBeRoom bool
	}{
		{"a screenshot", 150 << 10, true},
		{"larger than a new pooled buffer", imageRoom + defaultImageCap + 1, true},
		{"empty", 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			image := bytes.Repeat([]byte{7}, tc.size)
			s := &Service{Sender: readerSender{image: image}}
			read, _ := readerSender{image: image}.BlobsOf(id)
			a := s.loadBlob(nil, Msg{Type: tBlobGet, Contract: id[:], Hash: hash}, map[contract.ID]ReadBlobInto{id: read})
			if a.err != nil || a.header.Type != tBlob {
				t.Fatalf("loadBlob: %+v", a)
			}
			if !bytes.Equal(a.image, image) {
				t.Fatalf("image of %d bytes, want %d as stored", len(a.image), len(image))
			}
			if a.pooled != (a.room != nil) || (a.pooled && !tc.mayBeRoom) {
				t.Fatalf("pooled %v with room of %d bytes; only an image read after the room is pooled", a.pooled, len(a.room))
			}
			if a.pooled && (len(a.room) != imageRoom+len(image) || !bytes.Equal(a.room[imageRoom:], image)) {
				t.Fatal("the image is not where the room ends")
			}
		})
	}
}
