package syncp2p

import (
	"fmt"
	"math"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/ledger"
)

// MaxClosesPerRound bounds the week closes one round carries; a contract
// with more weeks due closes them over the next rounds, oldest first.
const MaxClosesPerRound = 8

// WeekCloser is a Sender that closes weeks: with its checkpoint it sends
// the signed closes of the weeks whose deadline has passed, and keeps the
// employer's cosignature of each (ledger.OpenCosignedClose), refusing
// one that cosigns anything but a close it sent.
type WeekCloser interface {
	Closes(contract contract.ID) ([][]byte, error)
	ClosesCosigned(contract contract.ID, sent, cosigned [][]byte) error
}

// CloseCosigner is a Receiver that cosigns the week closes its copy
// agrees with, keeps them, and returns them; a close it does not agree
// with is left out (and logged), which the contractor sees.
type CloseCosigner interface {
	CosignCloses(contract contract.ID, notes [][]byte) ([][]byte, error)
}

// checkCloses admits closes only beside a checkpoint and cosigned closes
// only beside a receipt, a few, each of a note's size.
func (m Msg) checkCloses() error {
	for _, c := range []struct {
		list [][]byte
		on   uint8
	}{{m.Closes, tCheckpoint}, {m.Cosigned, tReceipt}} {
		if c.list == nil {
			continue
		}
		switch {
		case m.Type != c.on:
			return fmt.Errorf("message type %d carries week closes", m.Type)
		case len(c.list) == 0 || len(c.list) > MaxClosesPerRound:
			return fmt.Errorf("%d week closes, want 1 to %d", len(c.list), MaxClosesPerRound)
		}
		for _, n := range c.list {
			if len(n) == 0 || len(n) > ledger.MaxCheckpointSize {
				return fmt.Errorf("a week close of %d bytes, want 1 to %d", len(n), ledger.MaxCheckpointSize)
			}
		}
	}
	return nil
}

// closesToSend are the sender's closes due, if it closes weeks.
func (s *Service) closesToSend(id contract.ID) ([][]byte, error) {
	wc, ok := s.Sender.(WeekCloser)
	if !ok {
		return nil, nil
	}
	closes, err := wc.Closes(id)
	if len(closes) > MaxClosesPerRound {
		closes = closes[:MaxClosesPerRound]
	}
	return closes, err
}

// cosignCloses are the closes the receiver cosigned, if it closes weeks.
func (s *Service) cosignCloses(id contract.ID, notes [][]byte) ([][]byte, error) {
	cc, ok := s.Receiver.(CloseCosigner)
	if !ok || len(notes) == 0 {
		return nil, nil
	}
	out, err := cc.CosignCloses(id, notes)
	if len(out) == 0 {
		out = nil
	}
	return out, err
}

// keptCloses answer the closes the receiver did not cosign now with the
// closes it kept of those weeks: a week it closed at another size, in a
// round whose answer the contractor never read (a cut after the cosign),
// after which the contractor's log grew and its close went again at the
// new head. Without them that contractor would send the week again every
// round and never hold it closed. The contractor checks each against its
// own log (WeekCloser.ClosesCosigned); it is the party of the contract
// (Terms checked it), so a kept close is nothing it may not see.
func (s *Service) keptCloses(id contract.ID, notes, cosigned [][]byte) ([][]byte, error) {
	k, ok := s.Receiver.(Kept)
	if !ok || len(cosigned) >= len(notes) {
		return nil, nil
	}
	answered := make(map[int64]bool, len(cosigned))
	for _, c := range cosigned {
		if w, err := ledger.PeekWeekClose(c); err == nil {
			answered[w.Week] = true
		}
	}
	open := make(map[int64]bool)
	for _, n := range notes {
		if w, err := ledger.PeekWeekClose(n); err == nil && !answered[w.Week] {
			open[w.Week] = true
		}
	}
	if len(open) == 0 {
		return nil, nil
	}
	kept, err := k.CosignedCloses(id, math.MaxInt)
	if err != nil {
		return nil, err
	}
	var out [][]byte
	for _, c := range kept {
		if w, err := ledger.PeekWeekClose(c); err == nil && open[w.Week] {
			out = append(out, c)
			delete(open, w.Week)
		}
	}
	return out, nil
}
