package syncp2p

import (
	"context"
	"fmt"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/p2p"
)

// servePair takes one acceptance from a contractor who has no contract
// with us yet: the only thing a stranger can ask of this node.
func (s *Service) servePair(ctx context.Context, raw network.Stream) {
	st := p2p.NewStream(ctx, raw)
	st.MaxFrame = maxFirstFrame
	m, err := readMsg(st)
	if err != nil {
		s.log().Warn("a pairing acceptance that does not decode", "err", err)
		st.Reset() // a frame that does not decode leaves the stream open otherwise
		return
	}
	if m.Type != tAccept || len(m.Acceptance) == 0 {
		_ = done(st, sendErr(st, fmt.Errorf("%w: want an acceptance", ErrMalformed)))
		return
	}
	id, err := s.Receiver.RecordAcceptance(m.Acceptance, m.Proof, st.Peer())
	if err != nil {
		_ = done(st, sendErr(st, err))
		return
	}
	_ = done(st, writeMsg(st, Msg{Type: tAccepted, Contract: id[:]}))
}

// DeliverAcceptance hands a signed acceptance to the employer (the online
// part of `contract accept`).
func (s *Service) DeliverAcceptance(ctx context.Context, employer peer.ID, contract contract.ID, acceptance, proof []byte) error {
	raw, err := s.Host.Open(ctx, employer, p2p.ProtoPair)
	if err != nil {
		return err
	}
	st := p2p.NewStream(ctx, raw)
	if err := writeMsg(st, Msg{Type: tAccept, Acceptance: acceptance, Proof: proof}); err != nil {
		return err
	}
	m, err := readMsg(st)
	if err != nil {
		return err
	}
	if m.Type != tAccepted {
		return done(st, unexpected(m, "accepted"))
	}
	_ = done(st, nil)
	return s.Sender.AcceptanceDelivered(contract)
}
