package syncp2p

import (
	"fmt"

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
