package syncp2p

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"image"
	stdjpeg "image/jpeg"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/p2p"
)

// base is when the diary starts (a Monday); the employer's clock reads two
// days later, so every segment built here lies in the past.
var base = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

var listen = map[string]string{"tcp": "/ip4/127.0.0.1/tcp/0", "quic": "/ip4/127.0.0.1/udp/0/quic-v1"}

// allowSet admits the peers of one test world; tests add a stranger.
type allowSet struct {
	mu sync.Mutex
	m  map[peer.ID]bool
}

func (a *allowSet) Allowed(p peer.ID) bool { a.mu.Lock(); defer a.mu.Unlock(); return a.m[p] }
func (a *allowSet) add(p peer.ID)          { a.mu.Lock(); defer a.mu.Unlock(); a.m[p] = true }

// logBuf collects log lines; safe to write after the test ended.
type logBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuf) Write(p []byte) (int, error) { l.mu.Lock(); defer l.mu.Unlock(); return l.b.Write(p) }
func (l *logBuf) String() string              { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// party is one installation: a key, a real libp2p host on loopback and a
// Service over in-memory stores.
type party struct {
	key  ed25519.PrivateKey
	id   peer.ID
	host *p2p.Host
	svc  *Service
	snd  *fakeSender
	rcv  *fakeReceiver
	logs *logBuf
}

func newParty(t *testing.T, transport string, allow *allowSet, clk *clocktest.Fake) *party {
	t.Helper()
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	lk, err := crypto.UnmarshalEd25519PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	p := &party{key: key, id: identity.PeerIDOf(key.Public().(ed25519.PublicKey)), logs: &logBuf{}}
	logger := slog.New(slog.NewTextHandler(p.logs, nil))
	allow.add(p.id)
	p.host, err = p2p.New(context.Background(), p2p.Config{Key: lk, ListenAddrs: []string{listen[transport]},
		Allow: allow, Logger: logger, DialTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.host.Close() })
	p.snd = &fakeSender{key: key, logs: map[contract.ID]*sentLog{}, store: map[ledger.ImageHash][]byte{}}
	p.rcv = &fakeReceiver{key: key, copies: map[contract.ID]*copyLog{}, blobs: map[ledger.ImageHash][]byte{}}
	p.svc = &Service{Host: p.host, Sender: p.snd, Receiver: p.rcv, Clock: clk, Batch: 3,
		Logger: logger}
	p.svc.Register()
	return p
}

func (p *party) pub() ed25519.PublicKey { return p.key.Public().(ed25519.PublicKey) }

// knows teaches p where q listens.
func (p *party) knows(t *testing.T, q *party) {
	t.Helper()
	if err := p.host.Remember(q.id, q.host.Addrs()...); err != nil {
		t.Fatal(err)
	}
}

// world is a contractor (con) and an employer (emp) sharing contract id,
// with the contractor's log in chain.
type world struct {
	ctx       context.Context
	transport string
	clk       *clocktest.Fake
	allow     *allowSet
	con, emp  *party
	id        [32]byte
	chain     *chain
}

func defaultTerms() Terms {
	return Terms{EntryRules: contract.EntryRules{Screenshots: 2, Webcam: true, NotBefore: base.Add(-24 * time.Hour)}}
}

func newWorld(t *testing.T, transport string, terms Terms) *world {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	w := &world{ctx: ctx, transport: transport, clk: clocktest.New(base.Add(48 * time.Hour)), allow: &allowSet{m: map[peer.ID]bool{}}}
	w.con = newParty(t, transport, w.allow, w.clk)
	w.emp = newParty(t, transport, w.allow, w.clk)
	w.con.knows(t, w.emp)
	w.emp.knows(t, w.con)
	w.id = sha256.Sum256([]byte("contract " + t.Name()))
	terms.Contractor = w.con.pub()
	w.con.snd.logs[w.id] = &sentLog{employer: w.emp.id, employerKey: w.emp.pub()}
	w.emp.rcv.copies[w.id] = &copyLog{terms: terms, contractor: w.con.id}
	w.chain = newChain(t, w.con.key, w.id)
	return w
}

// serve makes entries the contractor's log of the contract, and its images
// the chain's images.
func (w *world) serve(entries [][]byte) {
	w.con.snd.setLog(w.id, entries, w.chain.blobs)
}

func (w *world) push() error { return w.con.svc.Push(w.ctx, w.emp.id, w.id, nil) }

// chain builds the contractor's log: good entries through a real
// ledger.Log, bad ones signed by hand.
type chain struct {
	t      *testing.T
	key    ed25519.PrivateKey
	id     [32]byte
	log    *ledger.Log
	signed []ledger.Signed
	blobs  map[ledger.ImageHash][]byte // every image ever taken, by hash
	next   time.Time                   // start of the next segment
}

func newChain(t *testing.T, key ed25519.PrivateKey, id [32]byte) *chain {
	l, err := ledger.NewLog(key, id, ledger.Head{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &chain{t: t, key: key, id: id, log: l, blobs: map[ledger.ImageHash][]byte{}, next: base}
}

// shotWidth and shotHeight are the size of the test screenshots.
const shotWidth, shotHeight = 32, 18

// jpeg returns a JPEG screenshot whose pixels differ per seed.
func jpeg(seed string) []byte {
	sum := sha256.Sum256([]byte(seed))
	img := image.NewRGBA(image.Rect(0, 0, shotWidth, shotHeight))
	for i := range img.Pix {
		img.Pix[i] = sum[i%len(sum)] ^ byte(i)
	}
	var b bytes.Buffer
	if err := stdjpeg.Encode(&b, img, nil); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// segment is a tracked segment at the next slot with shots screenshots, at
// distinct moments, whose bytes the chain keeps.
func (c *chain) segment(shots int) ledger.Entry {
	start := c.next
	c.next = c.next.Add(ledger.SegmentSeconds * time.Second)
	return c.segmentAt(start, shots)
}

// segmentAt is a tracked segment at start.
func (c *chain) segmentAt(start time.Time, shots int) ledger.Entry {
	e := ledger.Entry{Start: start.Unix(), Kind: ledger.KindAuto, Memo: "parser: " + start.Format("15:04"),
		ApprovedAt: start.Unix() + 3600, Apps: []ledger.App{{Process: "code", Title: "parse.go", Seconds: 600}}}
	for i := range uint8(10) {
		e.Minutes = append(e.Minutes, ledger.Minute{Index: i, Keys: 30 + uint32(i), Moved: true})
	}
	for i := range shots {
		b := jpeg(fmt.Sprintf("%s shot %d", start, i))
		h := sha256.Sum256(b)
		c.blobs[h] = b
		e.Images = append(e.Images, ledger.Image{Role: ledger.RoleScreenshot, SHA256: h, Size: uint64(len(b)),
			TakenAt: start.Unix() + int64(60*i+7), Width: shotWidth, Height: shotHeight})
	}
	return e
}

// add appends n good entries of one screenshot each through the Log.
func (c *chain) add(n int) {
	for range n {
		c.append(c.segment(1))
	}
}

func (c *chain) append(e ledger.Entry) ledger.Signed {
	c.t.Helper()
	s, err := c.log.Append(e)
	if err != nil {
		c.t.Fatalf("append: %v", err)
	}
	c.signed = append(c.signed, s)
	return s
}

func (c *chain) bytes() [][]byte {
	out := make([][]byte, len(c.signed))
	for i, s := range c.signed {
		out[i] = s.Bytes
	}
	return out
}

// forge signs e by hand as seq after prev, with key, for contract id:
// whatever the Log would refuse to write.
func (c *chain) forge(key ed25519.PrivateKey, id [32]byte, seq uint64, prev [32]byte, e ledger.Entry) []byte {
	c.t.Helper()
	e.ContractID, e.LogID = id, ledger.LogIDOf(id, key.Public().(ed25519.PublicKey))
	e.Seq, e.Prev = seq, prev
	s, err := ledger.Sign(key, e)
	if err != nil {
		c.t.Fatalf("forge seq %d: %v", seq, err)
	}
	return s.Bytes
}

func noteKey(pub ed25519.PublicKey) ledger.NoteKey {
	return ledger.NoteKey{Name: identity.PeerIDOf(pub).String(), Public: pub}
}

// history is ledger.History over a slice of entries (the store's indexes).
type history struct {
	bySeq   map[uint64]ledger.Summary
	byStart map[int64]uint64
}

func historyOf(entries []ledger.Signed) *history {
	h := &history{bySeq: map[uint64]ledger.Summary{}, byStart: map[int64]uint64{}}
	for _, s := range entries {
		h.bySeq[s.Entry.Seq] = s.Summary()
		if s.Entry.Kind != ledger.KindVoid {
			h.byStart[s.Entry.Start] = s.Entry.Seq
			continue
		}
		v := h.bySeq[s.Entry.Voids.Seq]
		v.VoidedBy = s.Entry.Seq
		h.bySeq[v.Seq] = v
		delete(h.byStart, v.Start)
	}
	return h
}

func (h *history) Entry(seq uint64) (ledger.Summary, bool) { s, ok := h.bySeq[seq]; return s, ok }
func (h *history) LiveAt(start int64) (uint64, bool)       { s, ok := h.byStart[start]; return s, ok }

// eventually waits up to 10 s for cond.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
	}
}
