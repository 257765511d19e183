package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"maps"
	"time"

	"github.com/workdiary/workdiary/internal/ledger"
)

// forger signs entries of one log with the key of its writer: entries
// that are well formed and verify, which the attacks then combine with
// broken ones. Unless an attack picks the start, every segment lies in a
// 10-minute slot of its own in the recent past, so only the attack itself
// can make a batch fail.
type forger struct {
	key      ed25519.PrivateKey
	contract [32]byte
	logID    [32]byte
	now      time.Time
	taken    map[int64]bool // segment starts in use
}

func newForger(key ed25519.PrivateKey, contract [32]byte, existing []ledger.Signed, now time.Time) *forger {
	f := &forger{key: key, contract: contract, now: now, taken: map[int64]bool{},
		logID: ledger.LogIDOf(contract, key.Public().(ed25519.PublicKey))}
	for _, s := range existing {
		f.taken[s.Entry.Start] = true
	}
	return f
}

// freeSlot is the latest finished 10-minute slot not used yet.
func (f *forger) freeSlot() int64 {
	slot := f.now.Unix() - f.now.Unix()%ledger.SegmentSeconds - ledger.SegmentSeconds
	for f.taken[slot] {
		slot -= ledger.SegmentSeconds
	}
	f.taken[slot] = true
	return slot
}

// segment is a tracked segment at start with a screenshot at each of
// moments distinct moments, and the images it commits to.
func (f *forger) segment(start int64, moments int) (ledger.Entry, map[[32]byte][]byte) {
	// Approved once finished: a segment in the future is approved in the
	// future too, or it would not even sign.
	approved := max(f.now.Unix(), start+ledger.SegmentSeconds)
	e := ledger.Entry{Start: start, Kind: ledger.KindAuto, Memo: "hostile peer", ApprovedAt: approved,
		Apps: []ledger.App{{Process: "xterm", Title: "work", Seconds: ledger.SegmentSeconds}}}
	for i := range 10 {
		e.Minutes = append(e.Minutes, ledger.Minute{Index: uint8(i), Keys: 12, Clicks: 3, Moved: true})
	}
	images := map[[32]byte][]byte{}
	for i := range moments {
		b := freshJPEG()
		h := sha256.Sum256(b)
		images[h] = b
		e.Images = append(e.Images, ledger.Image{Role: ledger.RoleScreenshot, SHA256: h, Size: uint64(len(b)),
			TakenAt: start + int64(60*(i+1)), Width: 64, Height: 48})
	}
	return e, images
}

// next is a tracked segment without images in a free slot.
func (f *forger) next() ledger.Entry {
	e, _ := f.segment(f.freeSlot(), 0)
	return e
}

// sign fills the chain fields and signs e as the log's writer.
func (f *forger) sign(e ledger.Entry, seq uint64, prev [32]byte) (ledger.Signed, error) {
	e.ContractID, e.LogID, e.Seq, e.Prev = f.contract, f.logID, seq, prev
	s, err := ledger.Sign(f.key, e)
	if err != nil {
		return ledger.Signed{}, fmt.Errorf("forge entry %d: %w", seq, err)
	}
	return s, nil
}

// resigned is an entry already in the log signed again after a change, so
// that the same seq exists with other bytes.
func (f *forger) resigned(s ledger.Signed, change func(*ledger.Entry)) (ledger.Signed, error) {
	e := s.Entry
	change(&e)
	return f.sign(e, e.Seq, e.Prev)
}

// freshJPEG is a small real JPEG that no other run produces, so an image
// that wrongly got stored could never be mistaken for an honest one.
func freshJPEG() []byte {
	var seed [3]byte
	_, _ = rand.Read(seed[:])
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for y := range 48 {
		for x := range 64 {
			img.Set(x, y, color.RGBA{seed[0] ^ uint8(x), seed[1] ^ uint8(y), seed[2], 255})
		}
	}
	var buf bytes.Buffer
	_ = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80})
	return buf.Bytes()
}

// chain is n well-formed tracked segments continuing the log after from,
// one screenshot each, and their images.
func (f *forger) chain(from ledger.Head, n int) ([]ledger.Signed, map[[32]byte][]byte, error) {
	images := map[[32]byte][]byte{}
	var out []ledger.Signed
	head := from
	for range n {
		e, imgs := f.segment(f.freeSlot(), 1)
		s, err := f.sign(e, head.Seq+1, head.Hash)
		if err != nil {
			return nil, nil, err
		}
		maps.Copy(images, imgs)
		out = append(out, s)
		head = s.Head()
	}
	return out, images, nil
}

// signedBytes are the entries as signed.
func signedBytes(log []ledger.Signed) [][]byte {
	out := make([][]byte, len(log))
	for i, s := range log {
		out[i] = s.Bytes
	}
	return out
}
