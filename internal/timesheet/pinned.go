package timesheet

import (
	"bytes"

	"github.com/workdiary/workdiary/internal/ledger"
)

// pinned is a log Build verified under a cosigned checkpoint: the signed
// inputs it verified, each entry as decoded (its bytes cloned when
// verified), and the seqs whose signatures it checked. An export checks
// the zip it is about to write with VerifyBundleBytes' checks; decoding
// and hashing a year's log again there cost as much as building the
// timesheet, so the check reuses this for a zip whose offer, acceptance,
// checkpoint and entries are byte for byte what Build verified. Every
// other check of the zip (its form, the timesheet's signature and
// recomputation, the README, the canonical container) still runs on the
// zip's own bytes.
type pinned struct {
	offer, acceptance, checkpoint []byte
	log                           []ledger.Signed
	signed                        []uint64
}

// covers reports whether b holds exactly the verified inputs, so that
// checking b's log under its checkpoint would repeat Build's check.
func (p *pinned) covers(b bundle) bool {
	if p == nil || b.close != nil || len(p.log) != len(b.entries) ||
		!bytes.Equal(p.offer, b.offer) || !bytes.Equal(p.acceptance, b.acceptance) || !bytes.Equal(p.checkpoint, b.checkpoint) {
		return false
	}
	for i, e := range b.entries {
		if !bytes.Equal(e, p.log[i].Bytes) {
			return false
		}
	}
	return true
}

// signedSeqs are the seqs whose entries' signatures Build checked.
func (p *pinned) signedSeqs() map[uint64]bool {
	if p == nil {
		return nil
	}
	m := make(map[uint64]bool, len(p.signed))
	for _, s := range p.signed {
		m[s] = true
	}
	return m
}

// logOrNil is the verified log, or nil without one.
func (p *pinned) logOrNil() []ledger.Signed {
	if p == nil {
		return nil
	}
	return p.log
}
