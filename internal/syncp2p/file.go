package syncp2p

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/ledger"
)

// LogFile is a contract's log carried by hand instead of over the network
// (for networks that block everything): the acceptance, every entry as
// signed, the images the entries commit to, and the signed checkpoint.
type LogFile struct {
	Contract   contract.ID
	Acceptance []byte
	Proof      []byte // the acceptance's pairing proof, if it has one
	Entries    [][]byte
	// Image reads one image the file carries, by hash (ok false when it
	// carries none of that hash). Images are read one at a time, as the
	// entries need them, so a file of months of screenshots is never in
	// memory at once.
	Image      func(hash ledger.ImageHash) (b []byte, ok bool, err error)
	Checkpoint []byte
	// Closes are the contractor's signed closes of the weeks whose
	// deadline had passed, at the checkpoint's size, awaiting the
	// employer's cosignature (as a live round's checkpoint carries them).
	Closes [][]byte
}

// Imported is what a log file's import gave: the receipt, and the week
// closes the employer cosigned (those it does not agree with are left
// out and logged, as in a live round). Reply (MakeReply) carries both
// back to the contractor.
type Imported struct {
	Receipt  []byte
	Cosigned [][]byte
}

// ImportLog applies a log file on the employer's side with exactly the
// checks of an online sync: the acceptance, then the entries the copy
// lacks (signature, chain, terms, image hashes; all or nothing), then the
// checkpoint, which is cosigned, then the week closes, which are
// cosigned as a live round's are (CloseCosigner). The closes' form is
// checked before anything is stored: each signed by the contractor
// alone, for this log, at the checkpoint's size, one per week.
func ImportLog(r Receiver, now time.Time, f LogFile) (Imported, error) {
	acc, err := contract.DecodeAcceptance(f.Acceptance)
	if err != nil {
		return Imported{}, fmt.Errorf("%w: acceptance: %v", ErrMalformed, err)
	}
	if acc.ContractID != f.Contract {
		return Imported{}, fmt.Errorf("%w: the acceptance is for another contract", ErrMalformed)
	}
	if err := f.checkCloses(acc.Contractor.PublicKey); err != nil {
		return Imported{}, err
	}
	contractor := identity.PeerIDOf(acc.Contractor.PublicKey)
	if _, err := r.RecordAcceptance(f.Acceptance, f.Proof, contractor); err != nil {
		return Imported{}, err
	}
	terms, err := r.Terms(f.Contract, contractor)
	if err != nil {
		return Imported{}, err
	}
	head, err := r.Head(f.Contract)
	if err != nil {
		return Imported{}, err
	}
	if uint64(len(f.Entries)) < head.Seq {
		return Imported{}, fmt.Errorf("%w: the file holds %d entries, this copy already %d", ErrDiverged, len(f.Entries), head.Seq)
	}
	if head.Seq > 0 && sha256.Sum256(f.Entries[head.Seq-1]) != head.Hash {
		return Imported{}, fmt.Errorf("%w: entry %d differs between the file and this copy", ErrDiverged, head.Seq)
	}
	if rest := f.Entries[head.Seq:]; len(rest) > 0 {
		m := Msg{Type: tBatch, Contract: f.Contract[:], Seq: head.Seq + 1, Entries: rest}
		if _, _, err := commitBatch(r, now, f.Contract, terms, head, m, fileImages(f.Image)); err != nil {
			return Imported{}, err
		}
	}
	receipt, err := r.Cosign(f.Contract, f.Checkpoint)
	if err != nil {
		return Imported{}, err
	}
	out := Imported{Receipt: receipt}
	if cc, ok := r.(CloseCosigner); ok && len(f.Closes) > 0 {
		out.Cosigned, err = cc.CosignCloses(f.Contract, f.Closes)
	}
	return out, err
}

// checkCloses admits the closes a checkpoint message may carry, each a
// week close signed by the contractor alone, of the log the checkpoint
// pins and at its size (a close signed at another size is stale: the
// employer's copy gives the week at the checkpoint's), one per week.
func (f LogFile) checkCloses(contractor ed25519.PublicKey) error {
	if len(f.Closes) == 0 {
		return nil
	}
	m := Msg{Type: tCheckpoint, Closes: f.Closes}
	if err := m.checkCloses(); err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	cp, err := ledger.PeekCheckpoint(f.Checkpoint)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrCheckpoint, err)
	}
	if cp.LogID != ledger.LogIDOf(f.Contract, contractor) {
		return fmt.Errorf("%w: the checkpoint is for another log than the acceptance's", ErrCheckpoint)
	}
	weeks := map[int64]bool{}
	for i, note := range f.Closes {
		w, signers, err := ledger.OpenWeekClose(note, NoteKey(contractor))
		switch {
		case err != nil:
			return fmt.Errorf("%w: week close %d: %v", ErrCheckpoint, i+1, err)
		case len(signers) != 1:
			return fmt.Errorf("%w: week close %d has %d signatures, want the contractor's alone", ErrCheckpoint, i+1, len(signers))
		case w.LogID != cp.LogID:
			return fmt.Errorf("%w: week close %d is for another log (%x…), not this contract's", ErrCheckpoint, i+1, w.LogID[:6])
		case w.Size != cp.Size:
			return fmt.Errorf("%w: %v: stale, the file's checkpoint has size %d", ErrCheckpoint, w, cp.Size)
		case weeks[w.Week]:
			return fmt.Errorf("%w: %v: the week is closed twice in the file", ErrMalformed, w)
		}
		weeks[w.Week] = true
	}
	return nil
}

// fileImages serves a batch's images from the file, each checked against
// what its entry says.
type fileImages func(hash ledger.ImageHash) ([]byte, bool, error)

func (f fileImages) fetch(abort context.Context, images []ledger.Image, have func(ledger.ImageHash) bool, stage ImageStage) error {
	for _, img := range missing(images, have) {
		if err := abort.Err(); err != nil {
			return err
		}
		b, ok, err := f(img.SHA256)
		if err != nil {
			return fmt.Errorf("%w: image %x: %v", ErrBadImage, img.SHA256[:6], err)
		}
		if !ok {
			return fmt.Errorf("%w: image %x is missing from the file", ErrBadImage, img.SHA256[:6])
		}
		if err := stageChecked(stage, img, b); err != nil {
			return err
		}
	}
	return nil
}
