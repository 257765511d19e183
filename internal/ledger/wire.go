package ledger

import (
	"errors"
	"fmt"

	"github.com/workdiary/workdiary/internal/cose"
)

// The wire types are the payload exactly as docs/format.md specifies it. They
// are kept apart from Entry so that hashes travel as byte strings whose length
// is checked with a precise error (a Go array would silently pad or cut), and
// so that Entry can change shape without changing a single signed byte.
//
// Keys 1–7 and 12 are always present, zero or not, so a reader never has to
// guess a default; keys 8–11 and 13–15 are omitted when empty, so manual and
// void entries carry nothing they do not use. The reader (wireread.go)
// refuses an explicit empty array or memo and a missing required key, which
// leaves exactly one byte form per entry.
type wireEntry struct {
	Version    uint64       `cbor:"1,keyasint"`
	Contract   []byte       `cbor:"2,keyasint"`
	Log        []byte       `cbor:"3,keyasint"`
	Seq        uint64       `cbor:"4,keyasint"`
	Prev       []byte       `cbor:"5,keyasint"`
	Start      int64        `cbor:"6,keyasint"`
	Kind       uint64       `cbor:"7,keyasint"`
	Minutes    []wireMinute `cbor:"8,keyasint,omitempty"`
	Apps       []wireApp    `cbor:"9,keyasint,omitempty"`
	Memo       string       `cbor:"10,keyasint,omitempty"`
	Images     []wireImage  `cbor:"11,keyasint,omitempty"`
	ApprovedAt int64        `cbor:"12,keyasint"`
	Voids      *wireVoid    `cbor:"13,keyasint,omitempty"`
	Limits     uint64       `cbor:"14,keyasint,omitempty"`
	// Corrects (key 15) names the closed week an entry corrects; 16 is
	// kept for the week close.
	Corrects int64  `cbor:"15,keyasint,omitempty"`
	Record   []byte `cbor:"17,keyasint,omitempty"`
}

type wireMinute struct {
	_       struct{} `cbor:",toarray"`
	Index   uint64
	Keys    uint32
	Clicks  uint32
	Scrolls uint32
	Moved   bool
}

type wireApp struct {
	_       struct{} `cbor:",toarray"`
	Process string
	Title   string
	Seconds uint32
}

type wireImage struct {
	_       struct{} `cbor:",toarray"`
	Role    uint64
	SHA256  []byte
	Size    uint64
	TakenAt int64
	Width   uint32
	Height  uint32
	Flags   uint64
}

type wireVoid struct {
	_    struct{} `cbor:",toarray"`
	Seq  uint64
	Hash []byte
}

// Image flag bits (key 11, element 7).
const (
	flagBlurred  = 1 << 0
	flagRedacted = 1 << 1
)

// encodePayload returns the deterministic CBOR payload of e.
func encodePayload(e Entry) ([]byte, error) {
	w := wireEntry{
		Version: Version, Contract: e.ContractID[:], Log: e.LogID[:], Seq: e.Seq,
		Prev: e.Prev[:], Start: e.Start, Kind: uint64(e.Kind), Memo: e.Memo,
		ApprovedAt: e.ApprovedAt, Limits: uint64(e.Limits), Corrects: e.Corrects, Record: e.Record,
	}
	for _, m := range e.Minutes {
		w.Minutes = append(w.Minutes, wireMinute{Index: uint64(m.Index), Keys: m.Keys,
			Clicks: m.Clicks, Scrolls: m.Scrolls, Moved: m.Moved})
	}
	for _, a := range e.Apps {
		w.Apps = append(w.Apps, wireApp{Process: a.Process, Title: a.Title, Seconds: a.Seconds})
	}
	for _, im := range e.Images {
		w.Images = append(w.Images, wireImage{Role: uint64(im.Role), SHA256: im.SHA256[:],
			Size: im.Size, TakenAt: im.TakenAt, Width: im.Width, Height: im.Height,
			Flags: imageFlags(im)})
	}
	if e.Voids != nil {
		w.Voids = &wireVoid{Seq: e.Voids.Seq, Hash: e.Voids.Hash[:]}
	}
	return cose.Marshal(w)
}

func imageFlags(im Image) uint64 {
	var f uint64
	if im.Blurred {
		f |= flagBlurred
	}
	if im.Redacted {
		f |= flagRedacted
	}
	return f
}

// decodePayload parses a payload strictly and checks every field's range.
func decodePayload(payload []byte) (Entry, error) {
	w, err := readWire(payload)
	if err != nil {
		return Entry{}, err
	}
	e, err := w.entry()
	if err != nil {
		return Entry{}, err
	}
	if err := Validate(e); err != nil {
		return Entry{}, err
	}
	return e, nil
}

// entry converts the wire form, checking what the conversion could lose:
// hash lengths, the version, and values too large for the Go fields.
func (w *wireEntry) entry() (Entry, error) {
	if w.Version != Version {
		return Entry{}, fmt.Errorf("%w: version %d, want %d", ErrInvalidEntry, w.Version, Version)
	}
	e := Entry{Seq: w.Seq, Start: w.Start, Memo: w.Memo, ApprovedAt: w.ApprovedAt, Corrects: w.Corrects, Record: w.Record}
	if w.Kind > uint64(KindRecord) {
		return Entry{}, fmt.Errorf("%w: kind %d, want 0 (auto), 1 (manual), 2 (void) or 3 (record)", ErrInvalidEntry, w.Kind)
	}
	e.Kind = Kind(w.Kind)
	if w.Limits&^uint64(limitsDefined) != 0 {
		return Entry{}, fmt.Errorf("%w: limits %#x, only bits 0 to 3 are defined", ErrInvalidEntry, w.Limits)
	}
	e.Limits = Limits(w.Limits)
	err := errors.Join(
		hash32((*[32]byte)(&e.ContractID), w.Contract, "contract ID"),
		hash32((*[32]byte)(&e.LogID), w.Log, "log ID"),
		hash32(&e.Prev, w.Prev, "prev"))
	if err != nil {
		return Entry{}, err
	}
	for i, m := range w.Minutes {
		if m.Index > 9 {
			return Entry{}, fmt.Errorf("%w: minute %d: index %d, want 0..9", ErrInvalidEntry, i, m.Index)
		}
		e.Minutes = append(e.Minutes, Minute{Index: uint8(m.Index), Keys: m.Keys,
			Clicks: m.Clicks, Scrolls: m.Scrolls, Moved: m.Moved})
	}
	for _, a := range w.Apps {
		e.Apps = append(e.Apps, App{Process: a.Process, Title: a.Title, Seconds: a.Seconds})
	}
	for i, im := range w.Images {
		img, err := im.image(i)
		if err != nil {
			return Entry{}, err
		}
		e.Images = append(e.Images, img)
	}
	if w.Voids != nil {
		e.Voids = &VoidRef{Seq: w.Voids.Seq}
		if err := hash32(&e.Voids.Hash, w.Voids.Hash, "void hash"); err != nil {
			return Entry{}, err
		}
	}
	return e, nil
}

func (w wireImage) image(i int) (Image, error) {
	if w.Role > uint64(RoleWebcam) {
		return Image{}, fmt.Errorf("%w: image %d: role %d, want 0 (screenshot) or 1 (webcam)", ErrInvalidEntry, i, w.Role)
	}
	if w.Flags&^(flagBlurred|flagRedacted) != 0 {
		return Image{}, fmt.Errorf("%w: image %d: flags %#x, only bits 0 and 1 are defined", ErrInvalidEntry, i, w.Flags)
	}
	im := Image{Role: Role(w.Role), Size: w.Size, TakenAt: w.TakenAt, Width: w.Width,
		Height: w.Height, Blurred: w.Flags&flagBlurred != 0, Redacted: w.Flags&flagRedacted != 0}
	if err := hash32((*[32]byte)(&im.SHA256), w.SHA256, fmt.Sprintf("image %d hash", i)); err != nil {
		return Image{}, err
	}
	return im, nil
}

func hash32(dst *[32]byte, b []byte, what string) error {
	if len(b) != len(dst) {
		return fmt.Errorf("%w: %s is %d bytes, want 32", ErrInvalidEntry, what, len(b))
	}
	copy(dst[:], b)
	return nil
}
