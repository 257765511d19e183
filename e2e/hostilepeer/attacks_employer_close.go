package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/syncp2p"
)

// employerCloseAnswers answer, with a true receipt, the week closes the
// target sends with its checkpoint with cosigned closes it must not keep
// as closing its weeks: the close it sent answered twice, cosigned by a
// key that is not the employer's, and closes the employer alone signed
// of the week sent, of the week before it and of that week in another
// contract's log. They need a target whose closes are due (--closes-due):
// its clock past a week's review window.
func employerCloseAnswers() []attack {
	return []attack{
		{"employer/closes-answered-twice", asEmployer, answerCloses(func(k *kit, sent [][]byte) ([][]byte, error) {
			c, err := k.employer.cosign(sent[0])
			return [][]byte{c, c}, err
		})},
		{"employer/closes-forged-cosignature", asEmployer, answerCloses(func(k *kit, sent [][]byte) ([][]byte, error) {
			_, key, err := ed25519.GenerateKey(rand.Reader)
			if err != nil {
				return nil, err
			}
			c, err := ledger.Cosign(sent[0], key, k.employer.name())
			return [][]byte{c}, err
		})},
		{"employer/closes-employer-only", asEmployer, answerCloses(func(k *kit, sent [][]byte) ([][]byte, error) {
			return k.employerClose(sent[0], 0, k.employer.logID)
		})},
		{"employer/closes-other-week", asEmployer, answerCloses(func(k *kit, sent [][]byte) ([][]byte, error) {
			return k.employerClose(sent[0], -7, k.employer.logID)
		})},
		{"employer/closes-other-log", asEmployer, answerCloses(func(k *kit, sent [][]byte) ([][]byte, error) {
			other := ledger.LogIDOf(contract.ID(k.victim), k.employer.contract.Acceptance.Contractor.PublicKey)
			return k.employerClose(sent[0], 0, other)
		})},
	}
}

// employerClose is a close of the week of sent, moved by days, of log,
// over the employer's copy of the log: signed by the employer alone and
// cosigned by it, as if it were the contractor's line.
func (k *kit) employerClose(sent []byte, days int, log ledger.LogID) ([][]byte, error) {
	w, err := ledger.PeekWeekClose(sent)
	if err != nil {
		return nil, err
	}
	start := k.employer.contract.Offer.Weeks().Begin(time.Unix(w.Week, 0)).AddDate(0, 0, days)
	note, err := k.employer.weekClose(log, start)
	if err != nil {
		return nil, err
	}
	c, err := k.employer.cosign(note)
	return [][]byte{c}, err
}

// answerCloses says the employer holds the whole log, takes the
// checkpoint and the closes sent with it, and answers with a true
// receipt and the closes closes makes of them.
func answerCloses(closes func(k *kit, sent [][]byte) ([][]byte, error)) func(context.Context, *kit) verdict {
	return afterCheckpointMsg(func(k *kit, cp syncp2p.Msg) (syncp2p.Msg, error) {
		if len(cp.Closes) == 0 {
			return syncp2p.Msg{}, fmt.Errorf("the target sent no week close with its checkpoint: is its clock past a week's review window (--closes-due)?")
		}
		note, err := k.employer.cosign(cp.Note)
		if err != nil {
			return syncp2p.Msg{}, err
		}
		m := k.receipt(note)
		m.Cosigned, err = closes(k, cp.Closes)
		return m, err
	})
}
