package syncp2p

import (
	"sync"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/p2p"
)

// pushes are the contractor's rounds in progress, by contract. While the
// employer fetches a batch's images it sends nothing on the sync stream;
// each image served keeps that stream's deadline from expiring (a hundred
// contractors syncing at once each wait far longer than one read's
// timeout for their ack) and counts towards the round's progress.
type pushes struct {
	mu sync.Mutex
	m  map[contract.ID]*push
}

type push struct {
	st     *p2p.Stream
	last   Progress
	report func(Progress)
	// counting: a batch is out whose images are not in last.ImagesTotal
	// yet; images served meanwhile are counted, and reported with it.
	counting bool
	// byImage: the entries of the batch out, by the images they hold
	// (imagesIn); the employer fetches that batch's images before it
	// acknowledges it, and the next batch replaces them.
	byImage map[ledger.ImageHash]*ledger.Entry
}

func (ps *pushes) start(id contract.ID, st *p2p.Stream, report func(Progress)) *push {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.m == nil {
		ps.m = map[contract.ID]*push{}
	}
	p := &push{st: st, report: report}
	ps.m[id] = p
	return p
}

func (ps *pushes) end(id contract.ID, p *push) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.m[id] == p {
		delete(ps.m, id)
	}
}

// progress records and reports a step of the round. Reports are made
// under the lock: one at a time, and none after the round has ended.
func (ps *pushes) progress(p *push, pr Progress) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	pr.Images = p.last.Images
	p.last, p.counting = pr, false
	p.report(pr)
}

// counting holds back the reports of images served until the next
// progress, which brings the total they count towards: a report never
// says more images than its total.
func (ps *pushes) counting(p *push) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	p.counting = true
}

// sending keeps the entries of the batch just sent, by image, for the
// image server (entryOf).
func (ps *pushes) sending(p *push, byImage map[ledger.ImageHash]*ledger.Entry) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	p.byImage = byImage
}

// entryOf is the entry of the batch a round of contract id has out that
// holds image h, decoded from this node's own store; nil when no round is
// on, the batch holds no such image or holds it twice, or the request
// came before the batch's entries were read.
func (ps *pushes) entryOf(id contract.ID, h ledger.ImageHash) *ledger.Entry {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if p := ps.m[id]; p != nil {
		return p.byImage[h]
	}
	return nil
}

// imageSent notes one image served for contract id, if a round is on.
func (ps *pushes) imageSent(id contract.ID) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if p := ps.m[id]; p != nil {
		p.last.Images++
		p.st.KeepAlive()
		if !p.counting {
			p.report(p.last)
		}
	}
}
