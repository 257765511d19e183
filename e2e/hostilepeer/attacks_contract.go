package main

import (
	"context"
	"crypto/rand"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/p2p"
	"github.com/workdiary/workdiary/internal/syncp2p"
)

// strangerAttacks ask for what only a contract's parties may have, without
// any contract: the node must give nothing, whether its gate lets the
// stranger in (it does while one of its offers is open) or not.
func strangerAttacks() []attack {
	return []attack{
		{"no-contract/sync-push", asStranger, exchange(asStranger, p2p.ProtoSync, func(k *kit, c *conv) verdict {
			return sendThenJudge(c, hello(k.victim, false))
		})},
		{"no-contract/sync-push-party-contract", asStranger, exchange(asStranger, p2p.ProtoSync, func(k *kit, c *conv) verdict {
			return sendThenJudge(c, hello(k.party.contractID(), false))
		})},
		{"no-contract/sync-pull", asStranger, exchange(asStranger, p2p.ProtoSync, pullVictim)},
		{"no-contract/blob", asStranger, exchange(asStranger, p2p.ProtoBlob, func(k *kit, c *conv) verdict {
			return sendThenJudge(c, blobGet(k.victim, k.probeOrRandom()))
		})},
		// Someone else's acceptance of the party's contract: taking over a
		// contract by answering its invite a second time.
		{"no-contract/pair-hijack", asStranger, exchange(asStranger, p2p.ProtoPair, func(k *kit, c *conv) verdict {
			acc, err := contract.Accept(k.party.contract.Offer, k.stranger, nil, time.Now())
			if err != nil {
				return didNotRun(err)
			}
			return sendThenJudge(c, syncp2p.Msg{Type: msgAccept, Acceptance: acc.Signed()})
		})},
		// The party's real acceptance, delivered by a peer that did not sign it.
		{"no-contract/pair-replay", asStranger, exchange(asStranger, p2p.ProtoPair, func(k *kit, c *conv) verdict {
			return sendThenJudge(c, syncp2p.Msg{Type: msgAccept, Acceptance: k.party.contract.Acceptance.Signed()})
		})},
		{"no-contract/pair-garbage", asStranger, exchange(asStranger, p2p.ProtoPair, func(k *kit, c *conv) verdict {
			return sendThenJudge(c, syncp2p.Msg{Type: msgAccept, Acceptance: randomBytes(300)})
		})},
		// An open offer, accepted by someone who knows the offer but not
		// the invite's pairing secret: without proof, with a made-up one,
		// and in a sync's greeting.
		{"no-contract/pair-open-offer", asStranger, exchange(asStranger, p2p.ProtoPair, func(k *kit, c *conv) verdict {
			return sendThenJudge(c, k.openOfferAcceptance(nil))
		})},
		{"no-contract/pair-open-offer-forged-proof", asStranger, exchange(asStranger, p2p.ProtoPair, func(k *kit, c *conv) verdict {
			return sendThenJudge(c, k.openOfferAcceptance(randomBytes(32)))
		})},
		{"no-contract/sync-greet-open-offer", asStranger, exchange(asStranger, p2p.ProtoSync, func(k *kit, c *conv) verdict {
			m := k.openOfferAcceptance(randomBytes(32))
			h := hello([32]byte(m.Contract), false)
			h.Acceptance, h.Proof = m.Acceptance, m.Proof
			return sendThenJudge(c, h)
		})},
	}
}

// openOfferAcceptance is the stranger's acceptance of the target's open
// offer (--open-invite), with proof, as a pairing message; with no open
// offer given, garbage that the node must refuse all the same.
func (k *kit) openOfferAcceptance(proof []byte) syncp2p.Msg {
	o, err := contract.DecodeInvite(k.opts.invite)
	if err != nil {
		return syncp2p.Msg{Type: msgAccept, Acceptance: randomBytes(300), Proof: proof}
	}
	acc, err := contract.Accept(o, k.stranger, nil, time.Now())
	if err != nil {
		return syncp2p.Msg{Type: msgAccept, Acceptance: randomBytes(300), Proof: proof}
	}
	id := o.ID()
	return syncp2p.Msg{Type: msgAccept, Contract: id[:], Acceptance: acc.Signed(), Proof: proof}
}

// notPartyAttacks are the party using its real contract to get at another
// contract of the node's.
func notPartyAttacks() []attack {
	return []attack{
		// A whole log for the other contract, well formed and signed by
		// the party, pushed with the protocol's own sender.
		{"not-party/sync-push", asParty, func(ctx context.Context, k *kit) verdict {
			f := newForger(k.party.id.PrivateKey(), k.victim, nil, time.Now())
			log, images, err := f.chain(ledger.Head{}, 2)
			if err != nil {
				return didNotRun(err)
			}
			return k.push(ctx, k.victim, signedBytes(log), images)
		}},
		{"not-party/sync-pull", asParty, exchange(asParty, p2p.ProtoSync, pullVictim)},
		{"not-party/blob", asParty, exchange(asParty, p2p.ProtoBlob, func(k *kit, c *conv) verdict {
			return sendThenJudge(c, blobGet(k.victim, k.probeOrRandom()))
		})},
		// The node is the employer of the party's contract: it holds the
		// images but serves them to nobody.
		{"not-party/blob-own-contract", asParty, exchange(asParty, p2p.ProtoBlob, func(k *kit, c *conv) verdict {
			return sendThenJudge(c, blobGet(k.party.contractID(), k.probeOrRandom()))
		})},
		// A second, different acceptance of the party's own contract.
		{"replay/acceptance-changed", asParty, exchange(asParty, p2p.ProtoPair, func(k *kit, c *conv) verdict {
			acc, err := contract.Accept(k.party.contract.Offer, k.party.id, nil, time.Now())
			if err != nil {
				return didNotRun(err)
			}
			return sendThenJudge(c, syncp2p.Msg{Type: msgAccept, Acceptance: acc.Signed()})
		})},
	}
}

// pullVictim asks the node to send its log of the victim contract, and
// says it holds nothing yet, so a node that went along would send a batch.
func pullVictim(k *kit, c *conv) verdict {
	if err := c.send(hello(k.victim, true)); err != nil {
		return ended(err)
	}
	return sendThenJudge(c, syncp2p.Msg{Type: msgHave, Contract: k.victim[:]})
}

func sendThenJudge(c *conv, m syncp2p.Msg) verdict {
	if err := c.send(m); err != nil {
		return ended(err)
	}
	return c.verdict()
}

func blobGet(contract, image [32]byte) syncp2p.Msg {
	return syncp2p.Msg{Type: msgBlobGet, Contract: contract[:], Hash: image[:]}
}

func (k *kit) probeOrRandom() [32]byte {
	if k.probe != ([32]byte{}) {
		return k.probe
	}
	return [32]byte(randomBytes(32))
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

// didNotRun is the verdict when the attacker failed before attacking; it
// is never a refusal.
func didNotRun(err error) verdict {
	return verdict{Reason: "the attack did not run: " + err.Error()}
}
