package syncp2p

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/p2p"
)

// The employer's budget of received images in memory is shared by all its
// rounds and returned whole after each: a budget smaller than one image
// still lets a push through, one image at a time.
func TestImageBudgetReturned(t *testing.T) {
	w := newWorld(t, "tcp", defaultTerms())
	w.emp.svc.ImageBudget = 1
	w.chain.add(10)
	w.serve(w.chain.bytes())
	if err := w.push(); err != nil {
		t.Fatalf("push: %v", err)
	}
	w.checkSame(t)
	budget, _ := w.emp.svc.inFlight()
	if !budget.TryAcquire(1) {
		t.Fatal("the image budget was not returned after the round")
	}
}

// The contractor's image server loads images ahead of the one it sends,
// but only a few: an employer that asks for many and reads none of the
// answers makes it hold a handful of images, not one per request.
func TestBlobServerReadsAheadOnlyAFew(t *testing.T) {
	w := newWorld(t, "tcp", defaultTerms())
	w.chain.add(1)
	w.serve(w.chain.bytes())
	image := w.chain.signed[0].Entry.Images[0].SHA256
	var loaded atomic.Int32
	big := make([]byte, 4<<20) // larger than a stream's window: an answer never fits in it
	w.con.snd.hookBlobs(func([32]byte) ([]byte, error) { loaded.Add(1); return big, nil })

	raw, err := w.emp.host.Open(w.ctx, w.con.id, p2p.ProtoBlob)
	if err != nil {
		t.Fatal(err)
	}
	st := p2p.NewStream(w.ctx, raw)
	defer st.Reset()
	const asked = 40
	for range asked {
		if err := writeMsg(st, Msg{Type: tBlobGet, Contract: w.id[:], Hash: image[:]}); err != nil {
			t.Fatal(err)
		}
	}
	// One being sent, two waiting (serveAhead), one loaded and waiting for
	// room: a few images per stream, whatever the requests.
	const most = 4
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) && loaded.Load() < most {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond) // room to load more, were it unbounded
	if n := loaded.Load(); n < 1 || n > most {
		t.Fatalf("the server loaded %d of %d images asked for with no answer read; want 1 to %d", n, asked, most)
	}
}
