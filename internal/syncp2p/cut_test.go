package syncp2p

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"

	"github.com/workdiary/workdiary/internal/p2p"
)

// stall blocks a store call once, until the test has cut the connection.
type stall struct {
	once    sync.Once
	reached chan struct{}
	release chan struct{}
	freed   sync.Once
}

func newStall() *stall { return &stall{reached: make(chan struct{}), release: make(chan struct{})} }

func (s *stall) hit() {
	s.once.Do(func() {
		close(s.reached)
		<-s.release
	})
}

func (s *stall) free() { s.freed.Do(func() { close(s.release) }) }

// restart closes p's host and starts a new one with the same key and the
// same stores (a restart of the installation; its disk survives).
func (p *party) restart(t *testing.T, w *world) {
	t.Helper()
	p.host.Close()
	lk, err := crypto.UnmarshalEd25519PrivateKey(p.key)
	if err != nil {
		t.Fatal(err)
	}
	p.host, err = p2p.New(context.Background(), p2p.Config{Key: lk, ListenAddrs: []string{listen["tcp"]},
		Allow: w.allow, DialTimeout: 5 * time.Second, Logger: p.svc.Logger})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.host.Close() })
	old := p.svc
	p.svc = &Service{Host: p.host, Sender: old.Sender, Receiver: old.Receiver, Clock: old.Clock,
		Logger: old.Logger, Batch: old.Batch, OnReceived: old.OnReceived}
	p.svc.Register()
}

// A connection cut while the contractor prepares the second batch, or
// while the employer fetches one of its images: the push fails, the
// employer keeps the first batch and nothing of the second (or, where the
// employer could still finish the batch on its own, all of it), and the
// next push resumes from there and ends with the same log, no duplicates.
func TestCutResumes(t *testing.T) {
	cuts := []struct {
		name string
		cut  func(t *testing.T, w *world, cancel context.CancelFunc)
		// whole: the employer may still commit the stalled batch whole,
		// because the cut leaves its image stream alive.
		whole bool
	}{
		{name: "connection closed", cut: func(t *testing.T, w *world, _ context.CancelFunc) {
			if err := w.con.host.Libp2p().Network().ClosePeer(w.emp.id); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "employer restarts", cut: func(t *testing.T, w *world, _ context.CancelFunc) {
			w.emp.restart(t, w)
			// As a contractor's next sync comes minutes later, not at
			// once: by then its side of the old connection has ended,
			// and the push dials the restarted employer afresh.
			eventually(t, "the contractor sees the old connection end", func() bool {
				return len(w.con.host.Libp2p().Network().ConnsToPeer(w.emp.id)) == 0
			})
			w.con.knows(t, w.emp)
		}},
		{name: "push cancelled", whole: true, cut: func(t *testing.T, w *world, cancel context.CancelFunc) { cancel() }},
	}
	for _, at := range []string{"sending batch 2", "fetching an image of batch 2"} {
		for _, c := range cuts {
			t.Run(at+"/"+c.name, func(t *testing.T) {
				w := newWorld(t, "tcp", defaultTerms())
				w.chain.add(6)
				w.serve(w.chain.bytes())
				st := newStall()
				defer st.free()
				img5 := w.chain.signed[4].Entry.Images[0].SHA256
				w.con.snd.mu.Lock()
				if at == "sending batch 2" {
					w.con.snd.entriesHook = func(from, to uint64) {
						if from == 4 {
							st.hit()
						}
					}
				} else {
					w.con.snd.blobHook = func(h [32]byte) ([]byte, error) {
						if h == img5 {
							st.hit()
						}
						return w.chain.blobs[h], nil
					}
				}
				w.con.snd.mu.Unlock()

				ctx, cancel := context.WithCancel(w.ctx)
				defer cancel()
				pushed := make(chan error, 1)
				go func() { pushed <- w.con.svc.Push(ctx, w.emp.id, w.id, nil) }()
				select {
				case <-st.reached:
				case err := <-pushed:
					t.Fatalf("push ended before the stall: %v", err)
				}
				logged := strings.Count(w.emp.logs.String(), `msg="sync round failed"`)
				c.cut(t, w, cancel)
				employerDone := func() bool { return strings.Count(w.emp.logs.String(), `msg="sync round failed"`) > logged }
				if at == "sending batch 2" {
					// The push is inside Entries. Cancelling resets its
					// stream asynchronously: once the employer has seen
					// the cut, let the push go on (and fail).
					eventually(t, "the employer sees the cut", employerDone)
					st.free()
				}
				select {
				case err := <-pushed:
					if err == nil {
						t.Fatal("push across the cut: got nil, want an error")
					}
					t.Logf("push: %v", err)
				case <-time.After(10 * time.Second):
					t.Fatal("push hung after the cut")
				}
				st.free()
				eventually(t, "the employer ends its half of the round", employerDone)

				got := w.emp.rcv.snapshot(w.id)
				t.Logf("employer's head after the cut: %s", got.head)
				if got.head.Seq != 3 && !(c.whole && at != "sending batch 2" && got.head.Seq == 6) {
					t.Errorf("employer's head after the cut: seq %d, want 3 (the first batch only)", got.head.Seq)
				}
				if o := w.emp.rcv.orphans(w.id); len(o) != 0 {
					t.Errorf("images out of step with entries after the cut: %v", o)
				}

				w.con.snd.mu.Lock()
				w.con.snd.entriesHook, w.con.snd.blobHook = nil, nil
				w.con.snd.mu.Unlock()
				if err := w.push(); err != nil {
					t.Fatalf("push after the cut: %v", err)
				}
				w.checkSame(t)
				if n := w.emp.rcv.snapshot(w.id).commits; n != 2 {
					t.Errorf("employer committed %d batches, want 2 (each once)", n)
				}
			})
		}
	}
}
