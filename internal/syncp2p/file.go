package syncp2p

import (
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
}

// ImportLog applies a log file on the employer's side with exactly the
// checks of an online sync: the acceptance, then the entries the copy
// lacks (signature, chain, terms, image hashes; all or nothing), then the
// checkpoint, which is cosigned. It returns the receipt (the cosigned
// note) to hand back to the contractor.
func ImportLog(r Receiver, now time.Time, f LogFile) ([]byte, error) {
	acc, err := contract.DecodeAcceptance(f.Acceptance)
	if err != nil {
		return nil, fmt.Errorf("%w: acceptance: %v", ErrMalformed, err)
	}
	if acc.ContractID != f.Contract {
		return nil, fmt.Errorf("%w: the acceptance is for another contract", ErrMalformed)
	}
	contractor := identity.PeerIDOf(acc.Contractor.PublicKey)
	if _, err := r.RecordAcceptance(f.Acceptance, f.Proof, contractor); err != nil {
		return nil, err
	}
	terms, err := r.Terms(f.Contract, contractor)
	if err != nil {
		return nil, err
	}
	head, err := r.Head(f.Contract)
	if err != nil {
		return nil, err
	}
	if uint64(len(f.Entries)) < head.Seq {
		return nil, fmt.Errorf("%w: the file holds %d entries, this copy already %d", ErrDiverged, len(f.Entries), head.Seq)
	}
	if head.Seq > 0 && sha256.Sum256(f.Entries[head.Seq-1]) != head.Hash {
		return nil, fmt.Errorf("%w: entry %d differs between the file and this copy", ErrDiverged, head.Seq)
	}
	if rest := f.Entries[head.Seq:]; len(rest) > 0 {
		m := Msg{Type: tBatch, Contract: f.Contract[:], Seq: head.Seq + 1, Entries: rest}
		if _, _, err := commitBatch(r, now, f.Contract, terms, head, m, fileImages(f.Image)); err != nil {
			return nil, err
		}
	}
	return r.Cosign(f.Contract, f.Checkpoint)
}

// fileImages serves a batch's images from the file, each checked against
// what its entry says.
type fileImages func(hash ledger.ImageHash) ([]byte, bool, error)

func (f fileImages) fetch(images []ledger.Image, have func(ledger.ImageHash) bool, stage ImageStage) error {
	for _, img := range missing(images, have) {
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
