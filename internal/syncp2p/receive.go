package syncp2p

import (
	"context"
	"fmt"
	"time"

	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/p2p"
)

// receive is the employer's half of a round: say what we have, then verify
// and commit each batch, then cosign the checkpoint. hello is the pushing
// contractor's greeting (zero when we pulled).
func (s *Service) receive(ctx context.Context, st *p2p.Stream, id [32]byte, hello Msg) error {
	if hello.Acceptance != nil {
		got, err := s.Receiver.RecordAcceptance(hello.Acceptance, st.Peer())
		if err == nil && got != id {
			err = fmt.Errorf("%w: the acceptance is for another contract", ErrMalformed)
		}
		if err != nil {
			return sendErr(st, err)
		}
	}
	terms, err := s.Receiver.Terms(id, st.Peer())
	if err != nil {
		return sendErr(st, err)
	}
	head, err := s.Receiver.Head(id)
	if err != nil {
		return sendErr(st, err)
	}
	if err := writeMsg(st, Msg{Type: tHave, Contract: id[:], Seq: head.Seq, Hash: head.Hash[:]}); err != nil {
		return err
	}
	var blobs *blobFetcher
	defer func() { blobs.close() }()
	for {
		m, err := readMsg(st)
		if err != nil {
			return err
		}
		switch m.Type {
		case tBatch:
			if blobs == nil {
				blobs = &blobFetcher{s: s, ctx: ctx, peer: st.Peer(), contract: id}
			}
			if head, err = s.commitBatch(id, terms, head, m, blobs); err != nil {
				return sendErr(st, err)
			}
			if err := writeMsg(st, Msg{Type: tAck, Contract: id[:], Seq: head.Seq, Hash: head.Hash[:]}); err != nil {
				return err
			}
			if s.OnReceived != nil {
				s.OnReceived(id, head.Seq)
			}
		case tCheckpoint:
			cosigned, err := s.Receiver.Cosign(id, m.Note)
			if err != nil {
				return sendErr(st, err)
			}
			return writeMsg(st, Msg{Type: tReceipt, Contract: id[:], Note: cosigned})
		default:
			return sendErr(st, unexpected(m, "batch or checkpoint"))
		}
	}
}

// commitBatch verifies a batch against the copy (all or nothing), fetches
// and checks the images of entries that stay live, and commits.
func (s *Service) commitBatch(id [32]byte, t Terms, head ledger.Head, m Msg, blobs imageSource) (ledger.Head, error) {
	return commitBatch(s.Receiver, s.Clock.Now(), id, t, head, m, blobs)
}

// imageSource fetches the images a batch needs that are not yet stored
// into stage, each checked against its hash.
type imageSource interface {
	fetch(hashes [][32]byte, have func([32]byte) bool, stage ImageStage) error
}

// commitBatch is shared by the online protocol and file import: the same
// checks, the same all-or-nothing commit.
func commitBatch(r Receiver, now time.Time, id [32]byte, t Terms, head ledger.Head, m Msg, blobs imageSource) (ledger.Head, error) {
	if m.Seq != head.Seq+1 {
		return head, fmt.Errorf("%w: batch starts at seq %d, this copy continues at %d", ErrRejected, m.Seq, head.Seq+1)
	}
	if len(m.Entries) == 0 {
		return head, fmt.Errorf("%w: empty batch", ErrMalformed)
	}
	var signed []ledger.Signed
	err := r.WithHistory(id, func(h ledger.History) error {
		var err error
		signed, err = ledger.VerifyChain(id, t.Contractor, head, h, m.Entries...)
		return err
	})
	if err != nil {
		return head, fmt.Errorf("%w: %v", ErrRejected, err)
	}
	for _, e := range signed {
		if err := checkTerms(e.Entry, t, now); err != nil {
			return head, err
		}
	}
	images := r.StageImages()
	defer images.Discard()
	if err := blobs.fetch(neededImages(signed), r.HasBlob, images); err != nil {
		return head, err
	}
	if err := r.Commit(id, head, signed, images); err != nil {
		return head, err
	}
	return signed[len(signed)-1].Head(), nil
}

// neededImages are the images of the batch's entries, except those that a
// void in the same batch withdraws: a contractor who deleted approved time
// before it synced has deleted its images too, and the employer gets the
// void instead.
func neededImages(batch []ledger.Signed) [][32]byte {
	voided := map[uint64]bool{}
	for _, s := range batch {
		if s.Entry.Voids != nil {
			voided[s.Entry.Voids.Seq] = true
		}
	}
	var out [][32]byte
	for _, s := range batch {
		if voided[s.Entry.Seq] {
			continue
		}
		for _, img := range s.Entry.Images {
			out = append(out, img.SHA256)
		}
	}
	return out
}
