package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/syncp2p"
)

// closeAttacks push the party's real log with week closes the node must
// not cosign (docs/format.md §5.3): a week whose deadline has not come, a
// close signed by a stranger, one whose count of the week's entries is
// forged, one of no week start, and bytes that are no note at all. The
// node may take the round; it must cosign none of them.
func closeAttacks() []attack {
	list := []struct {
		name  string
		close func(k *kit) ([]byte, error)
	}{
		{"close/before-the-deadline", func(k *kit) ([]byte, error) { return k.weekClose(k.party.id, thisWeek(k), nil) }},
		{"close/signed-by-a-stranger", func(k *kit) ([]byte, error) {
			return k.weekClose(k.stranger, thisWeek(k).AddDate(0, 0, -14), nil)
		}},
		{"close/forged-count", func(k *kit) ([]byte, error) {
			return k.weekClose(k.party.id, thisWeek(k).AddDate(0, 0, -14), func(w *ledger.WeekClose) { w.Count++ })
		}},
		{"close/not-a-week-start", func(k *kit) ([]byte, error) {
			return k.weekClose(k.party.id, thisWeek(k).AddDate(0, 0, -14), func(w *ledger.WeekClose) { w.Week += 600 })
		}},
		{"close/not-a-note", func(*kit) ([]byte, error) { b := make([]byte, 400); _, err := rand.Read(b); return b, err }},
	}
	out := make([]attack, len(list))
	for i, a := range list {
		out[i] = attack{a.name, asParty, pushCloses(a.close)}
	}
	return out
}

// thisWeek is the start of the contract's week now.
func thisWeek(k *kit) time.Time { return k.party.contract.Offer.Weeks().Begin(time.Now()) }

// weekClose is the close of the week at start over the party's real log,
// changed by spoil, signed by who.
func (k *kit) weekClose(who *identity.Identity, start time.Time, spoil func(*ledger.WeekClose)) ([]byte, error) {
	w := ledger.NewWeekClose(k.party.logID, k.party.log, start.Unix(), k.party.contract.Offer.Weeks().Next(start).Unix(), k.party.contract.Acceptance.Signed())
	if spoil != nil {
		spoil(&w)
	}
	return ledger.SignWeekClose(ed25519.PrivateKey(who.PrivateKey()), who.PeerID().String(), w)
}

// pushCloses pushes the party's real log with the crafted close beside
// its checkpoint: refused when the node cosigns nothing of it.
func pushCloses(crafted func(k *kit) ([]byte, error)) func(context.Context, *kit) verdict {
	return func(ctx context.Context, k *kit) verdict {
		note, err := crafted(k)
		if err != nil {
			return didNotRun(err)
		}
		ctx, cancel := context.WithTimeout(ctx, k.opts.answerIn)
		defer cancel()
		if err := k.hosts[asParty].Connect(ctx, k.target); err != nil {
			return didNotRun(fmt.Errorf("the party could not reach the node: %w", err))
		}
		contract := k.party.contractID()
		k.script.script(contract, k.party.bytes(), nil)
		k.script.scriptCloses([][]byte{note})
		defer k.script.script([32]byte{}, nil, nil)
		err = k.svc.Push(ctx, k.target, contract, nil)
		k.script.mu.Lock()
		cosigned, failure := k.script.cosigned, k.script.failure
		k.script.mu.Unlock()
		var remote *syncp2p.RemoteError
		switch {
		case failure != nil:
			return didNotRun(failure)
		case cosigned > 0:
			return verdict{Reason: "the node cosigned the crafted week close"}
		case err == nil:
			return verdict{Refused: true, Reason: "the node took the round and cosigned no week close"}
		case errors.As(err, &remote):
			return verdict{Refused: true, Code: remote.Code, Reason: remote.Reason}
		}
		return unlessHung(ctx, ended(err))
	}
}
