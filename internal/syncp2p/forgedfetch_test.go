package syncp2p

import (
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/ledger"
)

// TestForgeryStopsTheFetch: a batch's images may be asked for while its
// signatures are checked, and a forgery stops the fetch at once. The
// contractor here never answers an image: an employer that waited for the
// fetch would hang to its read deadline instead of refusing the batch.
func TestForgeryStopsTheFetch(t *testing.T) {
	w := newWorld(t, "tcp", defaultTerms())
	w.chain.add(3)
	w.serve(w.chain.bytes())
	if err := w.push(); err != nil {
		t.Fatalf("clean prefix: %v", err)
	}
	before := w.emp.rcv.snapshot(w.id)
	release := make(chan struct{})
	defer close(release)
	w.con.snd.hookBlobs(func(h [32]byte) ([]byte, error) {
		<-release
		return w.chain.blobs[h], nil
	})
	w.chain.add(2)
	bad := w.forged(func(*ledger.Entry) {})
	bad[len(bad)-1] ^= 0x01
	w.serve(w.withBad(bad))
	t0 := time.Now()
	wantRemote(t, w.push(), ErrRejected)
	if d := time.Since(t0); d > 10*time.Second {
		t.Errorf("the forged batch was refused after %v: the fetch did not stop", d)
	}
	if after := w.emp.rcv.snapshot(w.id); after.head != before.head || after.blobs != before.blobs || after.commits != before.commits {
		t.Errorf("after the refusal: head %s, %d images, %d commits; want %s, %d, %d", after.head, after.blobs, after.commits, before.head, before.blobs, before.commits)
	}
}
