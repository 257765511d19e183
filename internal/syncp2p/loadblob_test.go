package syncp2p

import (
	"bytes"
	"crypto/ed25519"
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
	return func(_ ledger.ImageHash, _ *ledger.Entry, buf []byte) ([]byte, error) {
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

// entrySender is a BlobReader that notes the entry the image server
// passed with each image it read.
type entrySender struct {
	Sender
	got map[ledger.ImageHash]*ledger.Entry
}

func (r entrySender) BlobsOf(contract.ID) (ReadBlobInto, error) {
	return func(h ledger.ImageHash, of *ledger.Entry, buf []byte) ([]byte, error) {
		r.got[h] = of
		return append(buf, 1), nil
	}, nil
}

// While a round has a batch out, the image server passes the batch's
// entry that holds each image asked for, as decoded when the batch was
// sent; an image two entries hold, or one of no batch out, goes without.
func TestLoadBlobPassesTheBatchEntry(t *testing.T) {
	var id contract.ID
	c := newChain(t, ed25519.NewKeyFromSeed(make([]byte, 32)), id)
	one, two := c.segment(1), c.segment(2)
	two.Images[1].SHA256 = one.Images[0].SHA256 // shared by both
	c.append(one)
	c.append(two)
	r := entrySender{got: map[ledger.ImageHash]*ledger.Entry{}}
	s := &Service{Sender: r}
	read, _ := r.BlobsOf(id)
	ask := func(h ledger.ImageHash) *ledger.Entry {
		t.Helper()
		if a := s.loadBlob(nil, Msg{Type: tBlobGet, Contract: id[:], Hash: h[:]}, map[contract.ID]ReadBlobInto{id: read}); a.err != nil {
			t.Fatal(a.err)
		}
		return r.got[h]
	}
	own, shared := two.Images[0].SHA256, one.Images[0].SHA256
	if of := ask(own); of != nil {
		t.Fatalf("no round on, yet the image came with entry %d", of.Seq)
	}
	n, byImage := imagesIn(c.bytes())
	if n != 3 {
		t.Fatalf("imagesIn counts %d images, want 3", n)
	}
	round := s.pushes.start(id, nil, func(Progress) {})
	s.pushes.sending(round, byImage)
	if of := ask(own); of == nil || of.Seq != 2 || of.Start != two.Start {
		t.Fatalf("the image of entry 2 came with %+v", of)
	}
	if of := ask(shared); of != nil {
		t.Fatalf("an image two entries hold came with entry %d", of.Seq)
	}
	s.pushes.end(id, round)
	if of := ask(own); of != nil {
		t.Fatalf("after the round, the image came with entry %d", of.Seq)
	}
}
