package syncp2p

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/p2p"
)

// receive is the employer's half of a round: say what we have, then verify
// and commit each batch, then cosign the checkpoint. hello is the pushing
// contractor's greeting (zero when we pulled).
func (s *Service) receive(ctx context.Context, st *p2p.Stream, id contract.ID, hello Msg) error {
	if hello.Acceptance != nil {
		got, err := s.Receiver.RecordAcceptance(hello.Acceptance, hello.Proof, st.Peer())
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
	if hello.Type == tHello {
		// A party's round, pushed: it waits here while MaxRounds others
		// are received, before anything it sends can be large. (A pulled
		// round took its slot before dialing.)
		release, err := s.admit(ctx, st, hello)
		if err != nil {
			return err
		}
		defer release()
	}
	head, err := s.Receiver.Head(id)
	if err != nil {
		return sendErr(st, err)
	}
	refused, err := s.Receiver.Refusals(id)
	if err != nil {
		return sendErr(st, err)
	}
	records, err := s.Receiver.Proposed(id)
	if err != nil {
		return sendErr(st, err)
	}
	if len(records) > MaxRecords {
		records = records[:MaxRecords]
	}
	have := Msg{Type: tHave, Contract: id[:], Seq: head.Seq, Hash: head.Hash[:], Refused: recentRefusals(refused, head.Seq), Records: records}
	if err := writeMsg(st, have); err != nil {
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
			var refused []Refusal
			// The terms again: records a batch binds change them.
			if terms, err = s.Receiver.Terms(id, st.Peer()); err != nil {
				return sendErr(st, err)
			}
			if head, refused, err = s.commitBatch(id, terms, head, m, blobs); err != nil {
				return sendErr(st, err)
			}
			for _, r := range refused {
				s.log().Warn(fmt.Sprintf("refused seq %d (kept, not counted)", r.Seq), "contract", id.Short(), "peer", st.Peer(), "seq", r.Seq, "reason", r.Reason)
			}
			if err := writeMsg(st, Msg{Type: tAck, Contract: id[:], Seq: head.Seq, Hash: head.Hash[:], Refused: refused}); err != nil {
				return err
			}
			if s.OnReceived != nil {
				s.OnReceived(id, head.Seq)
			}
		case tCheckpoint:
			// No batch follows: the image stream ends now, before the
			// receipt, so the contractor's side of it has ended too by
			// the time its round does (rather than meeting the
			// connection's close later as a reset).
			blobs.close()
			blobs = nil
			cosigned, err := s.Receiver.Cosign(id, m.Note)
			if err != nil {
				return sendErr(st, err)
			}
			closes, err := s.cosignCloses(id, m.Closes)
			if err != nil {
				return sendErr(st, err)
			}
			if m.Version >= keptClosesVersion {
				kept, err := s.keptCloses(id, m.Closes, closes)
				if err != nil {
					return sendErr(st, err)
				}
				closes = append(closes, kept...)
			}
			return writeMsg(st, Msg{Type: tReceipt, Contract: id[:], Note: cosigned, Cosigned: closes})
		default:
			return refuseUnexpected(st, m, "batch or checkpoint")
		}
	}
}

// MaxHaveRefusals bounds the refusals a have repeats.
const MaxHaveRefusals = 1024

// recentRefusals are the refusals a have repeats, so that an ack lost to a
// cut does not leave the contractor unaware of one: the latest, up to
// MaxHaveRefusals, of those up to the head the have names (a commit
// racing this round may have added later ones).
func recentRefusals(refused []Refusal, head uint64) []Refusal {
	refused = slices.DeleteFunc(refused, func(r Refusal) bool { return r.Seq > head })
	if len(refused) > MaxHaveRefusals {
		refused = refused[len(refused)-MaxHaveRefusals:]
	}
	if len(refused) == 0 {
		return nil
	}
	return refused
}

// commitBatch verifies a batch against the copy (all or nothing), fetches
// and checks the images of entries that stay live, and commits.
func (s *Service) commitBatch(id contract.ID, t Terms, head ledger.Head, m Msg, blobs imageSource) (ledger.Head, []Refusal, error) {
	return commitBatch(s.Receiver, s.Clock.Now(), id, t, head, m, blobs)
}

// imageSource fetches the images a batch needs that are not yet stored
// into stage, each checked against what its entry says (checkImage),
// and stops early once abort is done.
type imageSource interface {
	fetch(abort context.Context, images []ledger.Image, have func(ledger.ImageHash) bool, stage ImageStage) error
}

// commitBatch is shared by the online protocol and file import: the same
// checks, the same all-or-nothing commit. A forgery (a bad signature, a
// broken chain, a gap, a replay, an image that is not what its entry says)
// refuses the whole batch; an entry that is sound but breaks a term of
// the contract is kept for the chain as refused, its images never
// fetched, and the entries after it are taken.
func commitBatch(r Receiver, now time.Time, id contract.ID, t Terms, head ledger.Head, m Msg, blobs imageSource) (ledger.Head, []Refusal, error) {
	if m.Seq != head.Seq+1 {
		return head, nil, fmt.Errorf("%w: batch starts at seq %d, this copy continues at %d", ErrRejected, m.Seq, head.Seq+1)
	}
	if len(m.Entries) == 0 {
		return head, nil, fmt.Errorf("%w: empty batch", ErrMalformed)
	}
	images := r.StageImages()
	defer images.Discard()
	signed, refused, err := fetchWhileVerifying(r, now, id, t, head, m, blobs, images)
	if err != nil {
		return head, nil, err
	}
	if err := r.Commit(id, head, signed, refused, images); err != nil {
		return head, nil, err
	}
	return signed[len(signed)-1].Head(), refused, nil
}

// fetchWhileVerifying verifies the batch and fetches the images of the
// entries the terms allow into stage, the two at once where it can: the
// terms need only the decoded entries, so the images go on the way while
// the signatures (the bulk of verifying) are checked, and then the
// commit is prepared (CommitPreparer). A batch that binds
// a record (which changes the terms for the entries after it), or whose
// terms or decoding fail (where the verification's error comes first),
// is verified before anything is fetched. The errors are the same either
// way; on any of them the caller discards what was staged.
func fetchWhileVerifying(r Receiver, now time.Time, id contract.ID, t Terms, head ledger.Head, m Msg, blobs imageSource, stage ImageStage) ([]ledger.Signed, []Refusal, error) {
	d, err := ledger.DecodeBatch(m.Entries...)
	var refused []Refusal
	if err == nil && !bindsRecord(d.Entries()) {
		refused, err = refusals(d.Entries(), t, now)
	}
	if err != nil || bindsRecord(d.Entries()) {
		return verifyThenFetch(r, now, id, t, head, m, blobs, stage)
	}
	// A forgery stops the fetch: the batch is refused whatever comes.
	abort, forged := context.WithCancel(context.Background())
	defer forged()
	verified := make(chan error, 1)
	var signed []ledger.Signed
	go func() {
		err := r.WithHistory(id, func(h ledger.History) error {
			var err error
			signed, err = ledger.VerifyDecoded(id, t.Contractor, head, h, d)
			return err
		})
		if err != nil {
			forged()
		} else if p, ok := r.(CommitPreparer); ok {
			// The commit is built while the images still arrive.
			p.PrepareCommit(id, head, signed, refused, stage)
		}
		verified <- err
	}()
	fetched := blobs.fetch(abort, neededImages(d.Entries(), refused), r.HasBlob, stage)
	if err := <-verified; err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrRejected, err)
	}
	if fetched != nil {
		return nil, nil, fetched
	}
	return signed, refused, nil
}

// verifyThenFetch verifies the batch, applies the terms in order (a
// record that binds changes them for the entries after it), then fetches.
func verifyThenFetch(r Receiver, now time.Time, id contract.ID, t Terms, head ledger.Head, m Msg, blobs imageSource, stage ImageStage) ([]ledger.Signed, []Refusal, error) {
	var signed []ledger.Signed
	err := r.WithHistory(id, func(h ledger.History) error {
		var err error
		signed, err = ledger.VerifyChain(id, t.Contractor, head, h, m.Entries...)
		return err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrRejected, err)
	}
	refused, err := refusals(signed, t, now)
	if err != nil {
		return nil, nil, err
	}
	if err := blobs.fetch(context.Background(), neededImages(signed, refused), r.HasBlob, stage); err != nil {
		return nil, nil, err
	}
	return signed, refused, nil
}

// bindsRecord tells whether a batch holds a record entry.
func bindsRecord(batch []ledger.Signed) bool {
	return slices.ContainsFunc(batch, func(s ledger.Signed) bool { return s.Entry.Kind == ledger.KindRecord })
}

// refusals applies the contract's entry rules to a verified batch (and
// to a record entry the lifecycle's: a record that is not a sound record
// of the contract's parties refuses the batch as a forgery). A
// segment that ends in the future by this clock refuses the batch for
// now: that passes by itself, and the same entry is taken once its time
// has come.
func refusals(batch []ledger.Signed, t Terms, now time.Time) ([]Refusal, error) {
	var out []Refusal
	for _, s := range batch {
		if err := contract.CheckTime(s.Entry, now); err != nil {
			return nil, fmt.Errorf("%w: seq %d: %v", ErrTerms, s.Entry.Seq, err)
		}
		err := t.check(s.Entry)
		if s.Entry.Kind == ledger.KindRecord && contract.Forged(err) {
			return nil, fmt.Errorf("%w: %v", ErrRejected, err)
		}
		if err != nil {
			out = append(out, Refusal{Seq: s.Entry.Seq, Reason: clipReason(err.Error())})
		}
	}
	return out, nil
}

// check applies the entry rules to e, and to a record entry the
// lifecycle's: a record that does not bind (foreign, forged, backdated
// into a closed week, a dispute outside its review window) is refused like
// any entry that breaks the terms. A record that binds changes the rules
// for the entries after it in the batch.
func (t *Terms) check(e ledger.Entry) error {
	if e.Kind != ledger.KindRecord {
		return t.Check(e)
	}
	if t.Life == nil {
		return fmt.Errorf("seq %d binds a contract record, which this contract cannot take", e.Seq)
	}
	if err := t.Life.Bind(e.Record, time.Unix(e.ApprovedAt, 0)); err != nil {
		return fmt.Errorf("seq %d binds a contract record that does not apply: %w", e.Seq, err)
	}
	t.EntryRules = t.Life.EntryRules()
	return nil
}

// clipReason keeps a reason within what a message may carry.
func clipReason(s string) string {
	if len(s) <= MaxRefusalReason {
		return s
	}
	return strings.ToValidUTF8(s[:MaxRefusalReason], "")
}

// neededImages are the images of the batch's entries, except those of
// refused entries (an image the contract does not allow, a sharp
// screenshot where it requires blur, is never fetched) and those that a
// void in the same batch withdraws: a contractor who deleted approved
// time before it synced has deleted its images too, and the employer gets
// the void instead.
func neededImages(batch []ledger.Signed, refused []Refusal) []ledger.Image {
	skip := map[uint64]bool{}
	for _, r := range refused {
		skip[r.Seq] = true
	}
	for _, s := range batch {
		if s.Entry.Voids != nil {
			skip[s.Entry.Voids.Seq] = true
		}
	}
	var out []ledger.Image
	for _, s := range batch {
		if !skip[s.Entry.Seq] {
			out = append(out, s.Entry.Images...)
		}
	}
	return out
}
