package syncp2p

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/ledger"
)

// A push over real hosts, TCP and QUIC, in batches of three: the employer
// ends with the contractor's log byte for byte, every image, and a
// checkpoint both have signed; a second push changes nothing; a pull from
// the employer's side brings what the contractor approved since.
func TestSyncOverLoopback(t *testing.T) {
	for _, transport := range []string{"tcp", "quic"} {
		t.Run(transport, func(t *testing.T) {
			w := newWorld(t, transport, defaultTerms())
			w.chain.add(10)
			w.serve(w.chain.bytes())
			var mu sync.Mutex
			var received []uint64
			w.emp.svc.OnReceived = func(id contract.ID, seq uint64) {
				mu.Lock()
				defer mu.Unlock()
				received = append(received, seq)
			}
			var progress []Progress
			err := w.con.svc.Push(w.ctx, w.emp.id, w.id, func(p Progress) { progress = append(progress, p) })
			if err != nil {
				t.Fatalf("push: %v", err)
			}
			w.checkSame(t)
			acked, _ := w.con.snd.state(w.id)
			if want := []uint64{3, 6, 9, 10}; !slices.Equal(acked, want) {
				t.Errorf("acked %v, want %v (batches of 3)", acked, want)
			}
			mu.Lock()
			if want := []uint64{3, 6, 9, 10}; !slices.Equal(received, want) {
				t.Errorf("OnReceived %v, want %v", received, want)
			}
			mu.Unlock()
			if last := progress[len(progress)-1]; last.Stage != "done" || last.Sent != 10 || last.Total != 10 || last.Contract != w.id {
				t.Errorf("last progress %+v, want done 10/10 for the contract", last)
			}
			// One screenshot per entry: each image served is counted as it
			// goes, against the images the batches sent so far name.
			for i, p := range progress {
				if p.Images > p.ImagesTotal || (i > 0 && p.Images < progress[i-1].Images) {
					t.Fatalf("progress %d: %d of %d images (before: %+v)", i, p.Images, p.ImagesTotal, progress[:i])
				}
			}
			if last := progress[len(progress)-1]; last.Images != 10 || last.ImagesTotal != 10 {
				t.Errorf("last progress: %d of %d images, want 10 of 10", last.Images, last.ImagesTotal)
			}

			before := w.emp.rcv.snapshot(w.id)
			if err := w.push(); err != nil {
				t.Fatalf("second push: %v", err)
			}
			after := w.emp.rcv.snapshot(w.id)
			if after.commits != before.commits || after.blobs != before.blobs || after.head != before.head {
				t.Errorf("second push: commits %d→%d, blobs %d→%d, head %s→%s; want no change",
					before.commits, after.commits, before.blobs, after.blobs, before.head, after.head)
			}
			w.checkSame(t)

			w.chain.add(4)
			w.serve(w.chain.bytes())
			if err := w.emp.svc.Pull(w.ctx, w.con.id, w.id); err != nil {
				t.Fatalf("pull: %v", err)
			}
			if got := w.emp.rcv.snapshot(w.id).head.Seq; got != 14 {
				t.Fatalf("after pull the employer holds seq %d, want 14", got)
			}
			// Pull returns once the receipt is written; the contractor
			// keeps it a moment later.
			eventually(t, "the contractor keeps the new receipt", func() bool {
				_, r := w.con.snd.state(w.id)
				return bytes.Equal(r, w.emp.rcv.snapshot(w.id).cosigned)
			})
			w.checkSame(t)
		})
	}
}

// checkSame asserts that the employer holds exactly the contractor's log:
// the same bytes in order, every image, and the same cosigned checkpoint,
// signed by both, covering the whole log.
func (w *world) checkSame(t *testing.T) {
	t.Helper()
	got := w.emp.rcv.snapshot(w.id)
	want := w.chain.bytes()
	if len(got.entries) != len(want) {
		t.Fatalf("employer holds %d entries, want %d", len(got.entries), len(want))
	}
	for i := range want {
		if !bytes.Equal(got.entries[i], want[i]) {
			t.Fatalf("entry %d differs from the contractor's signed bytes", i+1)
		}
	}
	if h := w.chain.log.Head(); got.head != h {
		t.Errorf("employer's head %s, contractor's %s", got.head, h)
	}
	if o := w.emp.rcv.orphans(w.id); len(o) != 0 {
		t.Errorf("images out of step with entries: %v", o)
	}
	_, receipt := w.con.snd.state(w.id)
	if len(receipt) == 0 || !bytes.Equal(receipt, got.cosigned) {
		t.Fatalf("contractor's receipt %q, employer's note %q; want the same", receipt, got.cosigned)
	}
	cp, signers, err := ledger.OpenCheckpoint(receipt, noteKey(w.con.pub()), noteKey(w.emp.pub()))
	if err != nil || len(signers) != 2 {
		t.Fatalf("receipt: %d signers, %v; want both parties", len(signers), err)
	}
	if cp.Size != uint64(len(want)) {
		t.Errorf("receipt covers %d entries, want %d", cp.Size, len(want))
	}
}

// wantRemote checks that err is the other side's refusal with sentinel.
func wantRemote(t *testing.T, err, sentinel error) {
	t.Helper()
	var re *RemoteError
	if !errors.As(err, &re) || !errors.Is(err, sentinel) {
		t.Fatalf("got error %v (%T), want a RemoteError that is %v", err, err, sentinel)
	}
}

// otherKey is a key that is not the contractor's.
func otherKey(t *testing.T) ed25519.PrivateKey {
	t.Helper()
	_, k, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	return k
}
