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

// msgWait is the employer's "busy, still there" before its have.
const msgWait = 12

// employerAttacks answer the target's own push, as its employer, with
// what an honest employer never sends: endless waits, a receipt out of
// turn, a have of another history or with made-up refusals or records
// the target may not bind, acks of another seq or hash or refusing what
// was not sent, receipts of another note, another log or with a forged
// cosignature, closes nobody asked to cosign; with --closes-due, bad
// answers to the closes the target sends (employerCloseAnswers); then the
// blob attacks. The target must end each round with a reason and keep
// nothing of it.
func employerAttacks(k *kit) []attack {
	list := []attack{
		// One wait more than the target's hello says it accepts (at most
		// MaxWaits), then a have that an unbounded contractor would go on
		// with.
		{"employer/wait-forever", asEmployer, onPush(func(k *kit, p *push) verdict {
			if p.hello.Seq > syncp2p.MaxWaits {
				return verdict{Reason: fmt.Sprintf("the target's hello accepts %d waits, more than %d", p.hello.Seq, syncp2p.MaxWaits)}
			}
			for range p.hello.Seq + 1 {
				if err := p.c.send(syncp2p.Msg{Type: msgWait}); err != nil {
					return ended(err)
				}
			}
			return p.sendThenAnswer(k.have(k.employer.size()))
		})},
		// A receipt where the have belongs: before anything was sent.
		{"employer/receipt-out-of-turn", asEmployer, onPush(func(k *kit, p *push) verdict {
			note, err := ledger.SignCheckpoint(k.employer.id.PrivateKey(), k.employer.name(),
				ledger.CheckpointFor(k.employer.logID, signedBytes(k.employer.log)))
			if err != nil {
				return didNotRun(err)
			}
			return p.sendThenAnswer(k.receipt(note))
		})},
		{"employer/have-longer", asEmployer, onPush(func(k *kit, p *push) verdict {
			h := k.have(k.employer.size())
			h.Seq += 3
			return p.sendThenAnswer(h)
		})},
		{"employer/have-diverged", asEmployer, onPush(func(k *kit, p *push) verdict {
			h := k.have(k.employer.size())
			h.Hash = randomBytes(32)
			return p.sendThenAnswer(h)
		})},
		// Refusals of an entry the have says the employer does not hold,
		// and of one past the target's head.
		{"employer/have-refuses-unsent", asEmployer, onPush(func(k *kit, p *push) verdict {
			h := k.have(k.employer.size() - 1)
			h.Refused = []syncp2p.Refusal{{Seq: k.employer.size(), Reason: "made up"}}
			return p.sendThenAnswer(h)
		})},
		{"employer/have-refuses-beyond-head", asEmployer, onPush(func(k *kit, p *push) verdict {
			h := k.have(k.employer.size())
			h.Seq++
			h.Refused = []syncp2p.Refusal{{Seq: h.Seq, Reason: "made up"}}
			return p.sendThenAnswer(h)
		})},
		// Contract records the target must not bind: bytes that are no
		// record, the employer's end of another contract, and its end of
		// this one with the signature changed.
		{"employer/have-record-garbage", asEmployer, onPush(func(k *kit, p *push) verdict {
			return p.sendThenAnswer(k.haveWithRecord(randomBytes(300)))
		})},
		{"employer/have-record-strangers-end", asEmployer, onPush(func(k *kit, p *push) verdict {
			end, err := signedEnd(contract.NewEnd(k.employer.contract.ID(), k.stranger, "", time.Now()))
			if err != nil {
				return didNotRun(err)
			}
			return p.sendThenAnswer(k.haveWithRecord(end))
		})},
		{"employer/have-record-other-contract", asEmployer, onPush(func(k *kit, p *push) verdict {
			end, err := signedEnd(contract.NewEnd(contract.ID(k.victim), k.employer.id, "", time.Now()))
			if err != nil {
				return didNotRun(err)
			}
			return p.sendThenAnswer(k.haveWithRecord(end))
		})},
		{"employer/have-record-altered-signature", asEmployer, onPush(func(k *kit, p *push) verdict {
			end, err := signedEnd(contract.NewEnd(k.employer.contract.ID(), k.employer.id, "", time.Now()))
			if err != nil {
				return didNotRun(err)
			}
			end[len(end)-1] ^= 0x01
			return p.sendThenAnswer(k.haveWithRecord(end))
		})},
		{"employer/ack-wrong-seq", asEmployer, afterBatch(func(k *kit, to uint64) syncp2p.Msg {
			return syncp2p.Msg{Type: msgAck, Contract: k.employer.cid(), Seq: to + 1, Hash: randomBytes(32)}
		})},
		// The ack of the batch's seq, naming an entry there that the
		// target never wrote: the employer's copy is not the target's log.
		{"employer/ack-wrong-hash", asEmployer, afterBatch(func(k *kit, to uint64) syncp2p.Msg {
			return syncp2p.Msg{Type: msgAck, Contract: k.employer.cid(), Seq: to, Hash: randomBytes(32)}
		})},
		{"employer/ack-refuses-unsent", asEmployer, afterBatch(func(k *kit, to uint64) syncp2p.Msg {
			ack := k.have(to)
			ack.Type = msgAck
			// The batch starts after the have's seq: this one was not in it.
			ack.Refused = []syncp2p.Refusal{{Seq: k.employer.size() - 1, Reason: "made up"}}
			return ack
		})},
		{"employer/receipt-foreign-note", asEmployer, afterCheckpoint(func(k *kit, sent []byte) (syncp2p.Msg, error) {
			// The employer's signature on a checkpoint of one entry less.
			note, err := ledger.SignCheckpoint(k.employer.id.PrivateKey(), k.employer.name(),
				ledger.CheckpointFor(k.employer.logID, signedBytes(k.employer.log[:len(k.employer.log)-1])))
			return k.receipt(note), err
		})},
		{"employer/receipt-other-log", asEmployer, afterCheckpoint(func(k *kit, sent []byte) (syncp2p.Msg, error) {
			other := ledger.LogIDOf(contract.ID(k.victim), k.employer.contract.Acceptance.Contractor.PublicKey)
			note, err := ledger.SignCheckpoint(k.employer.id.PrivateKey(), k.employer.name(),
				ledger.CheckpointFor(other, signedBytes(k.employer.log)))
			return k.receipt(note), err
		})},
		{"employer/receipt-forged-cosignature", asEmployer, afterCheckpoint(func(k *kit, sent []byte) (syncp2p.Msg, error) {
			_, key, err := ed25519.GenerateKey(rand.Reader)
			if err != nil {
				return syncp2p.Msg{}, err
			}
			note, err := ledger.Cosign(sent, key, k.employer.name())
			return k.receipt(note), err
		})},
		// A true receipt, with cosigned week closes the target never sent.
		{"employer/closes-unasked", asEmployer, afterCheckpoint(func(k *kit, sent []byte) (syncp2p.Msg, error) {
			note, err := k.employer.cosign(sent)
			if err != nil {
				return syncp2p.Msg{}, err
			}
			start := k.employer.contract.Offer.Weeks().Begin(time.Now()).AddDate(0, 0, -7)
			close, err := k.employer.weekClose(k.employer.logID, start)
			m := k.receipt(note)
			m.Cosigned = [][]byte{close}
			return m, err
		})},
	}
	if k.opts.closesDue {
		list = append(list, employerCloseAnswers()...)
	}
	return append(list, employerBlobAttacks(k)...)
}

// have is the employer's have at seq of its copy.
func (k *kit) have(seq uint64) syncp2p.Msg {
	m := syncp2p.Msg{Type: msgHave, Contract: k.employer.cid(), Seq: seq}
	if seq > 0 {
		h := k.employer.headAt(seq)
		m.Hash = h.Hash[:]
	}
	return m
}

// haveWithRecord is the have of the whole copy, offering record to bind.
func (k *kit) haveWithRecord(record []byte) syncp2p.Msg {
	m := k.have(k.employer.size())
	m.Records = [][]byte{record}
	return m
}

func (k *kit) receipt(note []byte) syncp2p.Msg {
	return syncp2p.Msg{Type: msgReceipt, Contract: k.employer.cid(), Note: note}
}

// afterBatch says the employer holds one entry less than it does, takes
// the batch of the last one and answers it with ack.
func afterBatch(ack func(k *kit, to uint64) syncp2p.Msg) func(context.Context, *kit) verdict {
	return onPush(func(k *kit, p *push) verdict {
		from := k.employer.size()
		if err := p.c.send(k.have(from - 1)); err != nil {
			return ended(err)
		}
		b, v := p.expect(msgBatch)
		if v != nil {
			return *v
		}
		if b.Seq != from || len(b.Entries) == 0 {
			return didNotRun(fmt.Errorf("the target sent a batch from seq %d of %d entries, want from %d", b.Seq, len(b.Entries), from))
		}
		if err := p.c.send(ack(k, b.Seq+uint64(len(b.Entries))-1)); err != nil {
			return ended(err)
		}
		// The target may send its checkpoint right behind its last batch,
		// before it reads the ack: that is not its answer to the ack.
		return p.answerPast(msgCheckpoint)
	})
}

// afterCheckpoint says the employer holds the whole log, takes the
// checkpoint and answers it with the attack's receipt.
func afterCheckpoint(receipt func(k *kit, sent []byte) (syncp2p.Msg, error)) func(context.Context, *kit) verdict {
	return afterCheckpointMsg(func(k *kit, cp syncp2p.Msg) (syncp2p.Msg, error) { return receipt(k, cp.Note) })
}

// afterCheckpointMsg is afterCheckpoint with the whole checkpoint message,
// the week closes sent with it too.
func afterCheckpointMsg(receipt func(k *kit, cp syncp2p.Msg) (syncp2p.Msg, error)) func(context.Context, *kit) verdict {
	return onPush(func(k *kit, p *push) verdict {
		if err := p.c.send(k.have(k.employer.size())); err != nil {
			return ended(err)
		}
		cp, v := p.expect(msgCheckpoint)
		if v != nil {
			return *v
		}
		if got, err := ledger.PeekCheckpoint(cp.Note); err != nil || got.Size != k.employer.size() {
			return didNotRun(fmt.Errorf("the target's checkpoint is not of the %d entries the employer holds (%v)", k.employer.size(), err))
		}
		m, err := receipt(k, cp)
		if err != nil {
			return didNotRun(err)
		}
		return p.sendThenAnswer(m)
	})
}

// expect reads the next message of the honest round, which must be of
// type want; anything else ends the attack with that as its verdict.
func (p *push) expect(want uint8) (syncp2p.Msg, *verdict) {
	m, err := p.c.read()
	if err != nil || m.Type != want {
		v := verdict{Reason: fmt.Sprintf("the attack did not run: the target sent message type %d (%v) where its round has type %d", m.Type, err, want)}
		return m, &v
	}
	return m, nil
}

func (p *push) sendThenAnswer(m syncp2p.Msg) verdict {
	if err := p.c.send(m); err != nil {
		return ended(err)
	}
	return p.answer()
}
