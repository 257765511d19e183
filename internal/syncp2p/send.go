package syncp2p

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/p2p"
)

// send is the contractor's half of a round: answer the employer's have
// with batches until the employer holds the head, then exchange the
// checkpoint for a receipt. gotHave, when set, is called once the
// employer's have has arrived.
func (s *Service) send(ctx context.Context, st *p2p.Stream, id contract.ID, employer peer.ID, progress func(Progress), gotHave func()) error {
	// The round is known to the image server while it lasts (pushes).
	round := s.pushes.start(id, st, func(p Progress) {
		if progress != nil {
			p.Contract = id
			progress(p)
		}
	})
	defer s.pushes.end(id, round)
	report := func(p Progress) { s.pushes.progress(round, p) }
	head, err := s.Sender.SenderHead(id, employer)
	if err != nil {
		return sendErr(st, err)
	}
	have, err := readMsg(st)
	for waits := 0; err == nil && have.Type == tWait; waits++ {
		// The employer is busy with other rounds (MaxRoundsAtOnce).
		if waits == MaxWaits {
			return fmt.Errorf("%w: the employer kept this round waiting %d times", ErrUnavailable, waits)
		}
		report(Progress{Stage: "waiting", Total: head.Seq})
		have, err = readMsg(st)
	}
	if err != nil {
		return err
	}
	if have.Type != tHave {
		return refuseUnexpected(st, have, "have")
	}
	if gotHave != nil {
		gotHave()
	}
	if err := s.checkTheirHead(id, have, head.Seq); err != nil {
		return sendErr(st, err)
	}
	// What the employer holds is as good as acknowledged: an ack lost to a
	// cut or a kill last time must not leave those segments unsynced.
	if have.Seq > 0 {
		if err := s.Sender.Acked(id, have.Seq); err != nil {
			return err
		}
	}
	if err := s.refused(id, have.Refused); err != nil {
		return err
	}
	if len(have.Records) > 0 {
		// The employer's changes are bound before anything is sent, so
		// the batches below carry them.
		if err := s.Sender.Bind(id, have.Records); err != nil {
			return sendErr(st, err)
		}
		if head, err = s.Sender.SenderHead(id, employer); err != nil {
			return sendErr(st, err)
		}
	}
	at, images := have.Seq, uint64(0)
	report(Progress{Stage: "sending", Sent: at, Total: head.Seq})
	// The checkpoint goes out right behind the last batch: the employer
	// reads it once it has acknowledged that batch, so signing it and
	// the round trip it would otherwise cost overlap the employer's
	// fetch and commit. (An employer of any version reads the stream in
	// order; one that refuses the batch never reads the checkpoint, and
	// may stop reading before it arrives: the refusal is still read.)
	var cp *Msg
	var cpSent error          // writing the checkpoint ahead failed
	var bookkept <-chan error // the last ack's bookkeeping, when it runs alongside
	sendCheckpoint := func(write func([]byte) error) error {
		m, err := s.checkpointMsg(id)
		if err != nil {
			return sendErr(st, err)
		}
		cp = &m
		b, err := m.Encode()
		if err != nil {
			return err
		}
		return write(b)
	}
	for at < head.Seq {
		to := min(head.Seq, at+uint64(s.batch()))
		entries, err := s.Sender.Entries(id, at+1, to)
		if err != nil {
			return sendErr(st, err)
		}
		s.pushes.counting(round)
		if err := writeMsg(st, Msg{Type: tBatch, Contract: id[:], Seq: at + 1, Entries: entries}); err != nil {
			return err
		}
		// How many images the employer is about to fetch, for a progress
		// bar: counted while the employer decodes the batch; images served
		// before then are reported with it.
		n, byImage := imagesIn(entries)
		images += n
		s.pushes.sending(round, byImage)
		report(Progress{Stage: "sending", Sent: at, Total: head.Seq, ImagesTotal: images})
		if to == head.Seq {
			if cpSent = sendCheckpoint(st.WriteAhead); cpSent != nil && cp == nil {
				return cpSent // not written: the checkpoint could not be made
			}
		}
		ack, err := readMsg(st)
		if cpSent != nil {
			st.Reset() // the round cannot end without its checkpoint
		}
		switch {
		case err != nil && cpSent != nil:
			return cpSent
		case err != nil:
			return err
		case ack.Type != tAck || ack.Seq != to:
			return refuseUnexpected(st, ack, fmt.Sprintf("ack of seq %d", to)) // a refusal says why
		case cpSent != nil:
			return cpSent
		}
		if last := sha256.Sum256(entries[len(entries)-1]); !bytes.Equal(ack.Hash, last[:]) {
			// The employer committed something else at that seq: nothing
			// of the batch counts as delivered.
			return sendErr(st, fmt.Errorf("%w: the employer acknowledged entry %d with another hash than this log's", ErrDiverged, to))
		}
		if len(ack.Refused) > 0 && ack.Refused[0].Seq <= at {
			// Refusals of entries the batch did not carry are made up.
			return sendErr(st, fmt.Errorf("%w: the ack refuses seq %d, which was not in the batch %d..%d", ErrMalformed, ack.Refused[0].Seq, at+1, to))
		}
		at = to
		if cp != nil {
			// The last batch, its checkpoint already on the way: the
			// employer cosigns it while this side marks the batch's
			// segments synced, and the receipt is read meanwhile.
			bookkept = goErr(func() error { return s.acked(id, ack) })
			break
		}
		if err := s.acked(id, ack); err != nil {
			return err
		}
		report(Progress{Stage: "sending", Sent: at, Total: head.Seq, ImagesTotal: images})
	}
	report(Progress{Stage: "checkpoint", Sent: at, Total: head.Seq, ImagesTotal: images})
	if cp == nil {
		if err := sendCheckpoint(st.Write); err != nil {
			return err
		}
	}
	err = s.checkpointReceipt(st, id, *cp)
	if bookkept != nil {
		// Never past the round: its writes end before it does.
		if berr := <-bookkept; err == nil {
			err = berr
		}
	}
	if err != nil {
		return err
	}
	report(Progress{Stage: "done", Sent: at, Total: head.Seq, ImagesTotal: images})
	return nil
}

// acked records what an ack says the employer now holds: the batch's
// segments are synced, and its refusals known.
func (s *Service) acked(id contract.ID, ack Msg) error {
	if err := s.Sender.Acked(id, ack.Seq); err != nil {
		return err
	}
	return s.refused(id, ack.Refused)
}

// goErr runs f on a goroutine of its own; its error arrives on the channel.
func goErr(f func() error) <-chan error {
	done := make(chan error, 1)
	go func() { done <- f() }()
	return done
}

// refused records the employer's refusals; the decoder has checked that
// each names an entry the employer holds.
func (s *Service) refused(id contract.ID, refused []Refusal) error {
	if len(refused) == 0 {
		return nil
	}
	return s.Sender.Refused(id, refused)
}

// checkTheirHead makes sure the employer's copy is a prefix of ours: a
// copy that is longer, or differs at its head, means someone rewrote
// history, and nothing is sent.
func (s *Service) checkTheirHead(id contract.ID, have Msg, ours uint64) error {
	if have.Seq > ours {
		return fmt.Errorf("%w: the employer holds %d entries, this log has %d", ErrDiverged, have.Seq, ours)
	}
	if have.Seq == 0 {
		return nil
	}
	e, err := s.Sender.Entries(id, have.Seq, have.Seq)
	if err != nil || len(e) != 1 {
		return fmt.Errorf("read entry %d: %v", have.Seq, err)
	}
	if sum := sha256.Sum256(e[0]); !bytes.Equal(sum[:], have.Hash) {
		return fmt.Errorf("%w: entry %d differs between the two copies", ErrDiverged, have.Seq)
	}
	return nil
}

// checkpointMsg is the checkpoint of the log's head, with the week
// closes due.
func (s *Service) checkpointMsg(id contract.ID) (Msg, error) {
	note, err := s.Sender.Checkpoint(id)
	if err != nil {
		return Msg{}, err
	}
	closes, err := s.closesToSend(id)
	if err != nil {
		return Msg{}, err
	}
	cp := Msg{Type: tCheckpoint, Contract: id[:], Note: note, Closes: closes}
	if len(closes) > 0 {
		cp.Version = keptClosesVersion // it takes the closes the employer kept
	}
	return cp, nil
}

// checkpointReceipt reads the employer's answer to the checkpoint cp and
// keeps its receipt and the closes it cosigned.
func (s *Service) checkpointReceipt(st *p2p.Stream, id contract.ID, cp Msg) error {
	note, closes := cp.Note, cp.Closes
	r, err := readMsg(st)
	if err != nil {
		return err
	}
	if r.Type != tReceipt {
		return refuseUnexpected(st, r, "receipt")
	}
	if err := s.Sender.Receipt(id, note, r.Note); err != nil {
		return err
	}
	if len(closes) == 0 && len(r.Cosigned) == 0 {
		return nil
	}
	wc, ok := s.Sender.(WeekCloser)
	if !ok || len(closes) == 0 {
		return fmt.Errorf("%w: the employer sent week closes nobody asked it to cosign", ErrCheckpoint)
	}
	return wc.ClosesCosigned(id, closes, r.Cosigned)
}

// imagesIn counts the images the employer will fetch for a batch of our
// own signed entries: those of neededImages. They come from our own
// store, so they are read without checking their signatures again (an
// entry that does not read counts none; the employer will say what is
// wrong with it). It also gives the entry that holds each image, for the
// image server's checks of this batch (pushes.entryOf); an image two
// entries of the batch hold has none there, and is looked up as any other.
func imagesIn(entries [][]byte) (uint64, map[ledger.ImageHash]*ledger.Entry) {
	batch := make([]ledger.Signed, 0, len(entries))
	for _, b := range entries {
		if e, err := ledger.ReadOwnEntry(b); err == nil {
			batch = append(batch, ledger.Signed{Entry: e})
		}
	}
	byImage := make(map[ledger.ImageHash]*ledger.Entry, len(batch))
	for i := range batch {
		for _, img := range batch[i].Entry.Images {
			if _, twice := byImage[img.SHA256]; twice {
				byImage[img.SHA256] = nil
			} else {
				byImage[img.SHA256] = &batch[i].Entry
			}
		}
	}
	return uint64(len(neededImages(batch, nil))), byImage
}
