package syncp2p

import (
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/ledger"
)

// fault is one way a push goes wrong after a clean prefix of three
// entries is in the employer's copy. tail returns the whole log the
// contractor then serves; it may append good entries to the chain, never
// bad ones.
type fault struct {
	name  string
	terms func(*Terms)
	tail  func(t *testing.T, w *world) [][]byte
	// from, when set, picks who pushes which contract instead of the
	// contractor and w.id.
	from func(t *testing.T, w *world) (*party, [32]byte)
	want error
}

// next is the seq and prev of the entry after the chain's head.
func (w *world) next() (uint64, [32]byte) {
	h := w.chain.log.Head()
	return h.Seq + 1, h.Hash
}

// withBad serves the chain followed by bad.
func (w *world) withBad(bad ...[]byte) [][]byte { return append(w.chain.bytes(), bad...) }

// forged signs an entry at the next seq with the contractor's key, after
// edit changed it.
func (w *world) forged(edit func(e *ledger.Entry)) []byte {
	seq, prev := w.next()
	e := w.chain.segment(1)
	edit(&e)
	return w.chain.forge(w.con.key, w.id, seq, prev, e)
}

// withImage makes an entry's first screenshot b, claimed to be width ×
// height pixels and extra bytes longer than it is; the contractor serves b.
func withImage(w *world, b []byte, width, height uint32, extra uint64) func(e *ledger.Entry) {
	h := sha256.Sum256(b)
	w.chain.blobs[h] = b
	return func(e *ledger.Entry) {
		img := &e.Images[0]
		img.SHA256, img.Size, img.Width, img.Height = h, uint64(len(b))+extra, width, height
	}
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

var faults = []fault{
	{name: "entry signed by another key", want: ErrRejected, tail: func(t *testing.T, w *world) [][]byte {
		w.chain.add(1)
		seq, prev := w.next()
		return w.withBad(w.chain.forge(otherKey(t), w.id, seq, prev, w.chain.segment(1)))
	}},
	{name: "signature bytes altered", want: ErrRejected, tail: func(t *testing.T, w *world) [][]byte {
		b := w.forged(func(*ledger.Entry) {})
		b[len(b)-1] ^= 0x01
		return w.withBad(b)
	}},
	{name: "broken chain (wrong prev)", want: ErrRejected, tail: func(t *testing.T, w *world) [][]byte {
		seq, _ := w.next()
		return w.withBad(w.chain.forge(w.con.key, w.id, seq, sha256.Sum256([]byte("elsewhere")), w.chain.segment(1)))
	}},
	{name: "gap (a seq skipped)", want: ErrRejected, tail: func(t *testing.T, w *world) [][]byte {
		seq, prev := w.next()
		return w.withBad(w.chain.forge(w.con.key, w.id, seq+1, prev, w.chain.segment(1)))
	}},
	{name: "entries reordered", want: ErrRejected, tail: func(t *testing.T, w *world) [][]byte {
		w.chain.add(2)
		all := w.chain.bytes()
		n := len(all)
		all[n-2], all[n-1] = all[n-1], all[n-2]
		return all
	}},
	{name: "batch replayed (seq 1..3 again)", want: ErrRejected, tail: func(t *testing.T, w *world) [][]byte {
		return w.withBad(w.chain.bytes()...)
	}},
	{name: "entry for another contract", want: ErrRejected, tail: func(t *testing.T, w *world) [][]byte {
		seq, prev := w.next()
		return w.withBad(w.chain.forge(w.con.key, sha256.Sum256([]byte("other")), seq, prev, w.chain.segment(1)))
	}},
	{name: "overlapping segment", want: ErrRejected, tail: func(t *testing.T, w *world) [][]byte {
		seq, prev := w.next()
		return w.withBad(w.chain.forge(w.con.key, w.id, seq, prev, w.chain.segmentAt(base, 1)))
	}},
	{name: "image bytes do not match the hash", want: ErrBadImage, tail: func(t *testing.T, w *world) [][]byte {
		w.chain.add(2)
		bad := w.chain.signed[len(w.chain.signed)-1].Entry.Images[0].SHA256
		w.con.snd.hookBlobs(func(h [32]byte) ([]byte, error) {
			if h == bad {
				return jpeg("someone else's screen"), nil
			}
			return w.chain.blobs[h], nil
		})
		return w.chain.bytes()
	}},
	// Images the contractor signed by hash that are not what the entry
	// says: random bytes, a JPEG of another size, bytes of another length.
	{name: "screenshot of random bytes", want: ErrBadImage, tail: func(t *testing.T, w *world) [][]byte {
		return w.withBad(w.forged(withImage(w, randomBytes(4096), shotWidth, shotHeight, 0)))
	}},
	{name: "screenshot of other dimensions than its entry says", want: ErrBadImage, tail: func(t *testing.T, w *world) [][]byte {
		return w.withBad(w.forged(withImage(w, jpeg("wide"), 1920, 1080, 0)))
	}},
	{name: "screenshot of another length than its entry says", want: ErrBadImage, tail: func(t *testing.T, w *world) [][]byte {
		return w.withBad(w.forged(withImage(w, jpeg("long"), shotWidth, shotHeight, 1)))
	}},
	{name: "image missing on the contractor's side", want: ErrNotFound, tail: func(t *testing.T, w *world) [][]byte {
		w.chain.add(2)
		w.con.snd.hookBlobs(func([32]byte) ([]byte, error) { return nil, fmt.Errorf("%w: deleted", ErrNotFound) })
		return w.chain.bytes()
	}},
	{name: "segment in the future", want: ErrTerms, tail: func(t *testing.T, w *world) [][]byte {
		seq, prev := w.next()
		return w.withBad(w.chain.forge(w.con.key, w.id, seq, prev, w.chain.segmentAt(w.clk.Now().Add(time.Hour), 1)))
	}},
	{name: "pusher is not party to the contract", want: ErrNotParty, from: func(t *testing.T, w *world) (*party, [32]byte) {
		p := newParty(t, w.transport, w.allow, w.clk)
		p.knows(t, w.emp)
		p.snd.logs[w.id] = &sentLog{employer: w.emp.id, employerKey: w.emp.pub()}
		c := newChain(t, p.key, w.id)
		c.add(4)
		p.snd.setLog(w.id, c.bytes(), c.blobs)
		return p, w.id
	}},
	{name: "unknown contract", want: ErrUnknown, from: func(t *testing.T, w *world) (*party, [32]byte) {
		other := sha256.Sum256([]byte("never offered"))
		w.con.snd.logs[other] = &sentLog{employer: w.emp.id, employerKey: w.emp.pub()}
		c := newChain(t, w.con.key, other)
		c.add(2)
		w.con.snd.setLog(other, c.bytes(), c.blobs)
		return w.con, other
	}},
}

// Every fault is refused with its sentinel on the pushing side, nothing of
// the batch is stored, and the same service then takes a clean push. (An
// entry that is sound but breaks a term is not a fault of the batch: see
// refusal_test.go.)
func TestFaultsRejected(t *testing.T) {
	for _, transport := range []string{"tcp", "quic"} {
		t.Run(transport, func(t *testing.T) { faultsOver(t, transport) })
	}
}

func faultsOver(t *testing.T, transport string) {
	for _, f := range faults {
		t.Run(f.name, func(t *testing.T) {
			w := newWorld(t, transport, defaultTerms())
			w.chain.add(3)
			w.serve(w.chain.bytes())
			if err := w.push(); err != nil {
				t.Fatalf("clean prefix: %v", err)
			}
			if f.terms != nil {
				w.emp.rcv.mu.Lock()
				f.terms(&w.emp.rcv.copies[w.id].terms)
				w.emp.rcv.mu.Unlock()
			}
			before := w.emp.rcv.snapshot(w.id)
			ackedBefore, _ := w.con.snd.state(w.id)

			pusher, id := w.con, w.id
			if f.tail != nil {
				w.serve(f.tail(t, w))
			}
			if f.from != nil {
				pusher, id = f.from(t, w)
			}
			err := pusher.svc.Push(w.ctx, w.emp.id, id, nil)
			wantRemote(t, err, f.want)
			t.Logf("refused: %v", err)

			after := w.emp.rcv.snapshot(w.id)
			if after.head != before.head || after.blobs != before.blobs || after.commits != before.commits {
				t.Errorf("after the refusal: head %s, %d images, %d commits; want %s, %d, %d (nothing partial)",
					after.head, after.blobs, after.commits, before.head, before.blobs, before.commits)
			}
			// The employer's have re-confirms what it held; nothing beyond.
			if acked, _ := w.con.snd.state(w.id); slices.Max(append(acked, 0)) != slices.Max(append(ackedBefore, 0)) {
				t.Errorf("contractor saw acks %v, before the refused push %v: want nothing new acknowledged", acked, ackedBefore)
			}

			w.con.snd.hookBlobs(nil)
			if f.terms != nil {
				w.emp.rcv.mu.Lock()
				w.emp.rcv.copies[w.id].terms = defaultTerms()
				w.emp.rcv.copies[w.id].terms.Contractor = w.con.pub()
				w.emp.rcv.mu.Unlock()
			}
			w.chain.add(2)
			w.serve(w.chain.bytes())
			if err := w.push(); err != nil {
				t.Fatalf("clean push after the refusal: %v", err)
			}
			w.checkSame(t)
		})
	}
}

func TestRemoteErrorUnwrapsEveryCode(t *testing.T) {
	for _, c := range codes {
		code, sentinel := c.code, c.err
		err := error(&RemoteError{Code: code, Reason: "x"})
		if !errors.Is(err, sentinel) || codeOf(sentinel) != code {
			t.Errorf("code %q: errors.Is %v, codeOf %q", code, errors.Is(err, sentinel), codeOf(sentinel))
		}
	}
	if err := error(&RemoteError{Code: "from-the-future"}); !errors.Is(err, ErrInternal) {
		t.Errorf("unknown code: got %v, want ErrInternal", err)
	}
}
