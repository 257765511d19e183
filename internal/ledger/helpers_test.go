package ledger

import (
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"
	"testing"
	"time"
)

// The test-vector keys and contract of docs/format.md.
var (
	contractorKey = seqKey(0x01) // seed 01 02 … 20
	employerKey   = seqKey(0x21) // seed 21 22 … 40
	testContract  = seqBytes(0xc0)
)

// Times of the test vectors: Monday 2026-01-05, 09:00 UTC and later.
var (
	day0900 = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC).Unix()
	day1800 = time.Date(2026, 1, 5, 18, 0, 0, 0, time.UTC).Unix()
)

func seqBytes(first byte) [32]byte {
	var b [32]byte
	for i := range b {
		b[i] = first + byte(i)
	}
	return b
}

func seqKey(first byte) ed25519.PrivateKey {
	seed := seqBytes(first)
	return ed25519.NewKeyFromSeed(seed[:])
}

func pub(k ed25519.PrivateKey) ed25519.PublicKey { return k.Public().(ed25519.PublicKey) }

func fakeHash(s string) [32]byte { return sha256.Sum256([]byte(s)) }

// autoEntry is a realistic tracked segment: ten minutes, three apps, two
// screenshots and a webcam shot, a memo.
func autoEntry(start int64) Entry {
	e := Entry{Start: start, Kind: KindAuto, Memo: "Checkpoint cosigning: tests and docs", ApprovedAt: start + 8*3600}
	for i := range uint8(10) {
		e.Minutes = append(e.Minutes, Minute{Index: i, Keys: 40 + uint32(i)*7, Clicks: uint32(i % 4),
			Scrolls: uint32(i % 3), Moved: i != 6})
	}
	e.Apps = []App{
		{Process: "code", Title: "ledger.go — workdiary", Seconds: 420},
		{Process: "firefox", Title: "RFC 9162 - Certificate Transparency Version 2.0", Seconds: 150},
		{Process: "gnome-terminal", Title: "go test ./internal/ledger", Seconds: 30},
	}
	e.Images = []Image{
		{Role: RoleScreenshot, SHA256: fakeHash(fmt.Sprint("shot-a", start)), Size: 183_204, TakenAt: start + 127, Width: 1920, Height: 1080},
		{Role: RoleScreenshot, SHA256: fakeHash(fmt.Sprint("shot-b", start)), Size: 171_554, TakenAt: start + 431, Width: 1920, Height: 1080, Blurred: true},
		{Role: RoleWebcam, SHA256: fakeHash(fmt.Sprint("cam", start)), Size: 24_310, TakenAt: start + 127, Width: 640, Height: 480},
	}
	return e
}

func manualEntry(start int64, memo string) Entry {
	return Entry{Start: start, Kind: KindManual, Memo: memo, ApprovedAt: start + 3600}
}

// builder signs entries with correct seq and prev but none of the Log's
// chain checks, so tests can build logs the Verifier must refuse.
type builder struct {
	t        *testing.T
	key      ed25519.PrivateKey
	contract [32]byte
	head     Head
	all      []Signed
}

func newBuilder(t *testing.T) *builder {
	return &builder{t: t, key: contractorKey, contract: testContract}
}

func (b *builder) add(e Entry) Signed {
	b.t.Helper()
	e.ContractID, e.LogID = b.contract, LogIDOf(b.contract, pub(b.key))
	e.Seq, e.Prev = b.head.Seq+1, b.head.Hash
	s, err := Sign(b.key, e)
	if err != nil {
		b.t.Fatalf("sign seq %d: %v", e.Seq, err)
	}
	b.head = s.Head()
	b.all = append(b.all, s)
	return s
}

func (b *builder) bytes() [][]byte {
	out := make([][]byte, len(b.all))
	for i, s := range b.all {
		out[i] = s.Bytes
	}
	return out
}

// memHistory is a hand-written History, standing in for the store.
type memHistory struct {
	bySeq   map[uint64]Summary
	byStart map[int64]uint64
}

func historyOf(entries []Signed) *memHistory {
	h := &memHistory{bySeq: map[uint64]Summary{}, byStart: map[int64]uint64{}}
	for _, s := range entries {
		h.bySeq[s.Entry.Seq] = s.Summary()
		if s.Entry.Kind != KindVoid {
			h.byStart[s.Entry.Start] = s.Entry.Seq
			continue
		}
		t := h.bySeq[s.Entry.Voids.Seq]
		t.VoidedBy = s.Entry.Seq
		h.bySeq[t.Seq] = t
		delete(h.byStart, t.Start)
	}
	return h
}

func (h *memHistory) Entry(seq uint64) (Summary, bool) { s, ok := h.bySeq[seq]; return s, ok }
func (h *memHistory) LiveAt(start int64) (uint64, bool) {
	seq, ok := h.byStart[start]
	return seq, ok
}
