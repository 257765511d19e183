package main

import (
	"context"
	"errors"
	"slices"

	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/p2p"
	"github.com/workdiary/workdiary/internal/syncp2p"
)

// handWrittenAttacks are the party's messages that the protocol's own
// sender would never write: batches that start where they must not,
// checkpoints of another history, messages out of turn.
func handWrittenAttacks() []attack {
	return []attack{
		// The entries the node holds, again, from seq 1: as they were, and
		// signed again after a change.
		{"replay/same-bytes", asParty, afterHave(func(k *kit, f *forger, have syncp2p.Msg) (syncp2p.Msg, error) {
			held, err := k.held(have)
			return batch(k, 1, signedBytes(held)), err
		})},
		{"replay/changed-bytes", asParty, afterHave(func(k *kit, f *forger, have syncp2p.Msg) (syncp2p.Msg, error) {
			held, err := k.held(have)
			var changed []ledger.Signed
			for _, s := range held {
				r, rerr := f.resigned(s, func(e *ledger.Entry) { e.Memo = "not what was approved"; e.ApprovedAt++ })
				err = errors.Join(err, rerr)
				changed = append(changed, r)
			}
			return batch(k, 1, signedBytes(changed)), err
		})},
		// A batch that says it starts one seq after the node's next.
		{"chain/gap-batch-start", asParty, afterHave(func(k *kit, f *forger, have syncp2p.Msg) (syncp2p.Msg, error) {
			s, err := f.sign(f.next(), have.Seq+2, haveHead(have).Hash)
			return syncp2p.Msg{Type: msgBatch, Contract: have.Contract, Seq: have.Seq + 2, Entries: [][]byte{s.Bytes}}, err
		})},
		// Receipts for histories the node does not hold: signed by a
		// stranger, over rewritten entries, and longer than the log.
		{"forged/checkpoint-other-key", asParty, afterHave(func(k *kit, f *forger, have syncp2p.Msg) (syncp2p.Msg, error) {
			held, err := k.held(have)
			if err != nil {
				return syncp2p.Msg{}, err
			}
			note, err := ledger.SignCheckpoint(k.stranger.PrivateKey(), k.party.id.PeerID().String(),
				ledger.CheckpointFor(k.party.logID, signedBytes(held)))
			return syncp2p.Msg{Type: msgCheckpoint, Contract: have.Contract, Note: note}, err
		})},
		{"forged/checkpoint-other-history", asParty, afterHave(func(k *kit, f *forger, have syncp2p.Msg) (syncp2p.Msg, error) {
			held, err := k.held(have)
			if err != nil {
				return syncp2p.Msg{}, err
			}
			other := signedBytes(held)
			other[len(other)-1] = append([]byte("x"), other[len(other)-1]...)
			return k.partyCheckpoint(have, other)
		})},
		{"forged/checkpoint-longer", asParty, afterHave(func(k *kit, f *forger, have syncp2p.Msg) (syncp2p.Msg, error) {
			held, err := k.held(have)
			if err != nil {
				return syncp2p.Msg{}, err
			}
			more, _, err := f.chain(headOf(held), 3)
			if err != nil {
				return syncp2p.Msg{}, err
			}
			return k.partyCheckpoint(have, signedBytes(slices.Concat(held, more)))
		})},
		{"out-of-turn/ack", asParty, afterHave(func(k *kit, f *forger, have syncp2p.Msg) (syncp2p.Msg, error) {
			return syncp2p.Msg{Type: msgAck, Contract: have.Contract, Seq: have.Seq + 5, Hash: have.Hash}, nil
		})},
		{"out-of-turn/receipt", asParty, afterHave(func(k *kit, f *forger, have syncp2p.Msg) (syncp2p.Msg, error) {
			return syncp2p.Msg{Type: msgReceipt, Contract: have.Contract, Note: []byte("cosigned, honestly")}, nil
		})},
		{"version/hello-from-the-future", asParty, exchange(asParty, p2p.ProtoSync, func(k *kit, c *conv) verdict {
			m := hello(k.party.contractID(), false)
			m.Version = syncp2p.Version + 1
			return sendThenJudge(c, m)
		})},
	}
}

// afterHave greets the node as the party pushing its contract, then sends
// the message write makes from the node's have.
func afterHave(write func(k *kit, f *forger, have syncp2p.Msg) (syncp2p.Msg, error)) func(context.Context, *kit) verdict {
	return exchange(asParty, p2p.ProtoSync, func(k *kit, c *conv) verdict {
		have, v := c.have(k.party.contractID())
		if v != nil {
			return *v
		}
		m, err := write(k, k.partyForger(), have)
		if err != nil {
			return didNotRun(err)
		}
		return sendThenJudge(c, m)
	})
}

// held are the party's entries that the node says it holds.
func (k *kit) held(have syncp2p.Msg) ([]ledger.Signed, error) {
	if have.Seq == 0 || have.Seq > uint64(len(k.party.log)) {
		return nil, errors.New("the node holds none of the party's entries, or more than the party wrote: sync the party folder first")
	}
	return k.party.log[:have.Seq], nil
}

func batch(k *kit, from uint64, entries [][]byte) syncp2p.Msg {
	id := k.party.contractID()
	return syncp2p.Msg{Type: msgBatch, Contract: id[:], Seq: from, Entries: entries}
}

// partyCheckpoint is a checkpoint of entries signed by the party.
func (k *kit) partyCheckpoint(have syncp2p.Msg, entries [][]byte) (syncp2p.Msg, error) {
	note, err := ledger.SignCheckpoint(k.party.id.PrivateKey(), k.party.id.PeerID().String(),
		ledger.CheckpointFor(k.party.logID, entries))
	return syncp2p.Msg{Type: msgCheckpoint, Contract: have.Contract, Note: note}, err
}

func headOf(log []ledger.Signed) ledger.Head {
	if len(log) == 0 {
		return ledger.Head{}
	}
	return log[len(log)-1].Head()
}
