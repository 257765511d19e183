package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/syncp2p"
)

// tail is an attack on the party's own log: what follows the entries the
// node already holds, and the images the party serves for it.
type tail func(k *kit, f *forger, head ledger.Head) ([]ledger.Signed, map[[32]byte][]byte, error)

// forgedLogAttacks push the party's log with a bad tail through the
// protocol's own sender. Most tails start with a well-formed entry, so a
// node that stored part of a batch would show it.
func forgedLogAttacks() []attack {
	list := []struct {
		name string
		tail tail
	}{
		{"forged/signature-altered", goodThen(func(k *kit, f *forger, h ledger.Head) (ledger.Signed, error) {
			s, err := f.sign(f.next(), h.Seq+1, h.Hash)
			return spoiled(s), err
		})},
		{"forged/another-key", goodThen(func(k *kit, f *forger, h ledger.Head) (ledger.Signed, error) {
			other := newForger(k.stranger.PrivateKey(), f.contract, k.party.log, f.now)
			return other.sign(f.next(), h.Seq+1, h.Hash)
		})},
		{"chain/broken-prev", goodThen(func(k *kit, f *forger, h ledger.Head) (ledger.Signed, error) {
			return f.sign(f.next(), h.Seq+1, sha256.Sum256([]byte("a history the node never saw")))
		})},
		{"chain/gap", goodThen(func(k *kit, f *forger, h ledger.Head) (ledger.Signed, error) {
			return f.sign(f.next(), h.Seq+2, h.Hash)
		})},
		{"chain/reordered", func(k *kit, f *forger, h ledger.Head) ([]ledger.Signed, map[[32]byte][]byte, error) {
			log, images, err := f.chain(h, 2)
			if err != nil {
				return nil, nil, err
			}
			return []ledger.Signed{log[1], log[0]}, images, nil
		}},
		{"replay/old-seqs-changed-bytes", func(k *kit, f *forger, h ledger.Head) ([]ledger.Signed, map[[32]byte][]byte, error) {
			var out []ledger.Signed
			for _, s := range k.party.log {
				r, err := f.resigned(s, func(e *ledger.Entry) { e.Memo += " (rewritten after approval)" })
				if err != nil {
					return nil, nil, err
				}
				out = append(out, r)
			}
			return out, nil, nil
		}},
		{"overlap/segment", goodThen(func(k *kit, f *forger, h ledger.Head) (ledger.Signed, error) {
			e, _ := f.segment(k.party.log[0].Entry.Start, 0)
			return f.sign(e, h.Seq+1, h.Hash)
		})},
		{"image/hash-mismatch", imageThen(func(images map[[32]byte][]byte) {
			for h := range images {
				images[h] = freshJPEG() // someone else's screen under the committed hash
			}
		})},
		{"image/missing", imageThen(func(images map[[32]byte][]byte) { clear(images) })},
		// Images the party signed by hash that are not what the entry says:
		// random bytes, and a real JPEG of other dimensions.
		{"image/not-an-image", claimedImage(func() []byte { b := make([]byte, 4096); _, _ = rand.Read(b); return b }, 64, 48)},
		{"image/other-dimensions", claimedImage(freshJPEG, 1920, 1080)},
		// An entry that only breaks a term is kept as refused and the rest
		// of its batch taken (a contractor may do that, it is no attack);
		// a forged entry after it still refuses the whole batch.
		{"terms/too-many-screenshots-then-forged", thenForged(goodThen(func(k *kit, f *forger, h ledger.Head) (ledger.Signed, error) {
			e, _ := f.segment(f.freeSlot(), k.party.contract.Offer.Screenshots+1)
			return f.sign(e, h.Seq+1, h.Hash)
		}))},
		{"terms/future", goodThen(func(k *kit, f *forger, h ledger.Head) (ledger.Signed, error) {
			start := f.now.Add(2*time.Hour).Unix() / ledger.SegmentSeconds * ledger.SegmentSeconds
			e, _ := f.segment(start, 0)
			return f.sign(e, h.Seq+1, h.Hash)
		})},
		{"terms/before-contract-then-forged", thenForged(goodThen(func(k *kit, f *forger, h ledger.Head) (ledger.Signed, error) {
			start := k.party.contract.Offer.CreatedAt.Add(-72*time.Hour).Unix() / ledger.SegmentSeconds * ledger.SegmentSeconds
			e, _ := f.segment(start, 0)
			return f.sign(e, h.Seq+1, h.Hash)
		}))},
		// Contract records bound into the party's log (ledger kind 3) that
		// are not the contract parties' changes: a forgery, which refuses
		// the batch.
		{"record/strangers-end", goodThen(recordEntry(func(k *kit, f *forger) ([]byte, error) {
			return signedEnd(contract.NewEnd(k.party.contract.ID(), k.stranger, "", f.now))
		}))},
		{"record/end-of-another-contract", goodThen(recordEntry(func(k *kit, f *forger) ([]byte, error) {
			return signedEnd(contract.NewEnd(contract.ID(k.victim), k.party.id, "", f.now))
		}))},
		{"record/altered-signature", goodThen(recordEntry(func(k *kit, f *forger) ([]byte, error) {
			// The party's own end with one bit of its signature changed.
			b, err := signedEnd(contract.NewEnd(k.party.contract.ID(), k.party.id, "", f.now))
			if err == nil {
				b[len(b)-1] ^= 0x01
			}
			return b, err
		}))},
		{"record/offer-as-change", goodThen(recordEntry(func(k *kit, f *forger) ([]byte, error) {
			return k.party.contract.Offer.Signed(), nil
		}))},
	}
	out := make([]attack, len(list))
	for i, a := range list {
		out[i] = attack{a.name, asParty, pushTail(a.tail)}
	}
	return out
}

// goodThen is a tail of one well-formed entry followed by bad, which is
// made after it.
func goodThen(bad func(k *kit, f *forger, h ledger.Head) (ledger.Signed, error)) tail {
	return func(k *kit, f *forger, h ledger.Head) ([]ledger.Signed, map[[32]byte][]byte, error) {
		good, images, err := f.chain(h, 1)
		if err != nil {
			return nil, nil, err
		}
		b, err := bad(k, f, good[0].Head())
		if err != nil {
			return nil, nil, err
		}
		return append(good, b), images, nil
	}
}

// thenForged is t followed by an entry whose signature was altered.
func thenForged(t tail) tail {
	return func(k *kit, f *forger, h ledger.Head) ([]ledger.Signed, map[[32]byte][]byte, error) {
		log, images, err := t(k, f, h)
		if err != nil {
			return nil, nil, err
		}
		last := log[len(log)-1].Head()
		s, err := f.sign(f.next(), last.Seq+1, last.Hash)
		if err != nil {
			return nil, nil, err
		}
		return append(log, spoiled(s)), images, nil
	}
}

// spoiled is s with the last byte of its signature altered.
func spoiled(s ledger.Signed) ledger.Signed {
	s.Bytes = append([]byte(nil), s.Bytes...)
	s.Bytes[len(s.Bytes)-1] ^= 0x01
	return s
}

// imageThen is a tail of two well-formed entries with a screenshot each,
// where spoil changes what the party serves for the second one's image.
func imageThen(spoil func(images map[[32]byte][]byte)) tail {
	return func(k *kit, f *forger, h ledger.Head) ([]ledger.Signed, map[[32]byte][]byte, error) {
		good, images, err := f.chain(h, 1)
		if err != nil {
			return nil, nil, err
		}
		bad, badImages, err := f.chain(good[0].Head(), 1)
		if err != nil {
			return nil, nil, err
		}
		spoil(badImages)
		maps.Copy(images, badImages)
		return append(good, bad...), images, nil
	}
}

// claimedImage is a tail of one well-formed entry whose screenshot is
// the bytes of bytesOf, stated to be width × height pixels; the party serves
// those bytes, which match the hash and size the entry commits to.
func claimedImage(bytesOf func() []byte, width, height uint32) tail {
	return func(k *kit, f *forger, h ledger.Head) ([]ledger.Signed, map[[32]byte][]byte, error) {
		e, _ := f.segment(f.freeSlot(), 0)
		b := bytesOf()
		sum := sha256.Sum256(b)
		e.Images = []ledger.Image{{Role: ledger.RoleScreenshot, SHA256: sum, Size: uint64(len(b)),
			TakenAt: e.Start + 60, Width: width, Height: height}}
		s, err := f.sign(e, h.Seq+1, h.Hash)
		return []ledger.Signed{s}, map[[32]byte][]byte{sum: b}, err
	}
}

// pushTail serves the party's real log followed by the tail.
func pushTail(t tail) func(context.Context, *kit) verdict {
	return func(ctx context.Context, k *kit) verdict {
		f := k.partyForger()
		log, images, err := t(k, f, k.party.head())
		if err != nil {
			return didNotRun(err)
		}
		return k.push(ctx, k.party.contractID(), append(k.party.bytes(), signedBytes(log)...), images)
	}
}

// legitimatelyHeld is how much of contract's log the node legitimately holds: the
// party's real log, which the node's have re-confirms at every push.
func (k *kit) legitimatelyHeld(contract [32]byte) uint64 {
	if contract == k.party.contractID() {
		return uint64(len(k.party.bytes()))
	}
	return 0
}

// push serves entries and images as the party's log of contract and
// pushes it with the protocol's own sender.
func (k *kit) push(ctx context.Context, contract [32]byte, entries [][]byte, images map[[32]byte][]byte) verdict {
	ctx, cancel := context.WithTimeout(ctx, k.opts.answerIn)
	defer cancel()
	if err := k.hosts[asParty].Connect(ctx, k.target); err != nil {
		return didNotRun(fmt.Errorf("the party could not reach the node: %w", err))
	}
	k.script.script(contract, entries, images)
	defer k.script.script([32]byte{}, nil, nil)
	err := k.svc.Push(ctx, k.target, contract, nil)
	acked, failure := k.script.outcome()
	var remote *syncp2p.RemoteError
	switch {
	case failure != nil:
		return didNotRun(failure)
	case acked > k.legitimatelyHeld(contract):
		return verdict{Reason: fmt.Sprintf("the node acknowledged the forged log up to seq %d", acked)}
	case err == nil:
		return verdict{Reason: "the node took the whole log and cosigned its checkpoint"}
	case errors.As(err, &remote):
		return verdict{Refused: true, Code: remote.Code, Reason: remote.Reason}
	}
	return unlessHung(ctx, ended(err))
}

// recordEntry is an entry binding the record that record makes into the
// party's log.
func recordEntry(record func(k *kit, f *forger) ([]byte, error)) func(k *kit, f *forger, h ledger.Head) (ledger.Signed, error) {
	return func(k *kit, f *forger, h ledger.Head) (ledger.Signed, error) {
		b, err := record(k, f)
		if err != nil {
			return ledger.Signed{}, err
		}
		return f.sign(ledger.BindRecord(b, f.now.Unix()), h.Seq+1, h.Hash)
	}
}

func signedEnd(e *contract.End, err error) ([]byte, error) {
	if err != nil {
		return nil, err
	}
	return e.Signed(), nil
}
