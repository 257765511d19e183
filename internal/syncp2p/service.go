package syncp2p

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/workdiary/workdiary/internal/clock"
	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/p2p"
	"golang.org/x/sync/semaphore"
)

// Frame caps: a batch of entries (each at most 64 KiB) and one image.
const (
	maxSyncFrame = 16 << 20
	maxBlobFrame = 17 << 20
	// maxFirstFrame caps what a peer may send before we know it is a
	// party to the contract it names (a hello, a pairing acceptance, an
	// image request): a stranger admitted while an offer is open must
	// not make this node hold megabytes per stream.
	maxFirstFrame = 64 << 10
	// DefaultBatch is how many entries go in one batch: a week of a full
	// time job in at most three round trips.
	DefaultBatch = 512
)

// Service runs the protocols on a host for one installation, which may be
// contractor on some contracts and employer on others.
type Service struct {
	Host     *p2p.Host
	Sender   Sender
	Receiver Receiver
	Clock    clock.Clock
	// Logger receives refused entries and failed rounds (slog.Default());
	// the service adds component=sync to its lines.
	Logger *slog.Logger
	Batch  int // entries per batch (DefaultBatch)
	// OnReceived is told after each committed batch (the UI refreshes).
	OnReceived func(contract contract.ID, seq uint64)

	// ImageBudget bounds the bytes of received images all rounds hold in
	// memory at once (MaxImagesInFlight).
	ImageBudget int64
	// MaxRounds bounds the rounds received at once (MaxRoundsAtOnce).
	MaxRounds int

	pushes     pushes
	rounds     *semaphore.Weighted
	roundsOnce sync.Once
	images     *semaphore.Weighted
	imagesOnce sync.Once
}

// inFlight is the budget of received images' bytes; weight gives an
// image's share of it.
func (s *Service) inFlight() (budget *semaphore.Weighted, weight func(ledger.Image) int64) {
	s.imagesOnce.Do(func() {
		if s.ImageBudget <= 0 {
			s.ImageBudget = MaxImagesInFlight
		}
		s.images = semaphore.NewWeighted(s.ImageBudget)
	})
	// An image's stated size, which checkImage holds its bytes to, capped
	// so that one image always fits.
	return s.images, func(img ledger.Image) int64 { return int64(min(max(img.Size, 1), uint64(s.ImageBudget))) }
}

// Register serves the sync, blob and pairing protocols.
func (s *Service) Register() {
	s.Host.Handle(p2p.ProtoSync, s.serveSync)
	s.Host.Handle(p2p.ProtoBlob, s.serveBlobs)
	s.Host.Handle(p2p.ProtoPair, s.servePair)
}

func (s *Service) log() *slog.Logger {
	l := s.Logger
	if l == nil {
		l = slog.Default()
	}
	return l.With("component", "sync")
}

func (s *Service) batch() int {
	if s.Batch <= 0 {
		return DefaultBatch
	}
	return s.Batch
}

// serveSync answers a dialer: an employer pulling (we send) or a
// contractor pushing (we receive).
func (s *Service) serveSync(ctx context.Context, raw network.Stream) {
	st := p2p.NewStream(ctx, raw)
	st.MaxFrame = maxFirstFrame
	hello, err := readMsg(st)
	if err != nil {
		// A frame that is not a hello we speak has been answered with
		// the reason (a newer peer learns to update).
		s.log().Warn("a sync stream that does not start with a hello", "err", err)
		_ = done(st, err)
		return
	}
	if hello.Type != tHello {
		_ = done(st, sendErr(st, fmt.Errorf("%w: the first message must be hello", ErrMalformed)))
		return
	}
	id, err := hello.contract()
	if err != nil {
		_ = done(st, sendErr(st, err))
		return
	}
	// send and receive check that the peer is a party before they read
	// anything larger.
	st.MaxFrame = maxSyncFrame
	if hello.Pull {
		err = s.send(ctx, st, id, st.Peer(), nil, nil)
	} else {
		err = s.receive(ctx, st, id, hello)
	}
	if err != nil {
		s.log().Warn("sync round failed", "contract", id.Short(), "peer", st.Peer(), "err", err)
	}
	_ = done(st, err)
}

// Push sends the contractor's log of contract to its employer: one round,
// from where the employer stands to the head, then the receipt.
func (s *Service) Push(ctx context.Context, employer peer.ID, contract contract.ID, progress func(Progress)) error {
	raw, err := s.Host.Open(ctx, employer, p2p.ProtoSync)
	if err != nil {
		return err
	}
	st := p2p.NewStream(ctx, raw)
	st.MaxFrame = maxSyncFrame
	// Its seq says how many waits it accepts (MaxWaits): a node older than
	// waits leaves it out, and an older employer ignores it.
	hello := Msg{Type: tHello, Version: Version, Contract: contract[:], Seq: MaxWaits}
	if acc, proof, ok := s.Sender.PendingAcceptance(contract); ok {
		hello.Acceptance, hello.Proof = acc, proof
	}
	if err := writeMsg(st, hello); err != nil {
		return err
	}
	var delivered func()
	if hello.Acceptance != nil {
		// The employer records the acceptance before answering: a have
		// proves it did, and nothing less does (a refusal, a cut).
		delivered = func() { _ = s.Sender.AcceptanceDelivered(contract) }
	}
	return done(st, s.send(ctx, st, contract, employer, progress, delivered))
}

// Pull asks a contractor to send its log of contract (the employer's
// `sync`).
func (s *Service) Pull(ctx context.Context, contractor peer.ID, contract contract.ID) error {
	// Pulled rounds take a slot as pushed ones do, before the stream.
	slots := s.roundSlots()
	if err := slots.Acquire(ctx, 1); err != nil {
		return fmt.Errorf("wait for a free round: %w", err)
	}
	defer slots.Release(1)
	raw, err := s.Host.Open(ctx, contractor, p2p.ProtoSync)
	if err != nil {
		return err
	}
	st := p2p.NewStream(ctx, raw)
	st.MaxFrame = maxSyncFrame
	if err := writeMsg(st, Msg{Type: tHello, Version: Version, Contract: contract[:], Pull: true}); err != nil {
		return err
	}
	return done(st, s.receive(ctx, st, contract, Msg{}))
}

// readMsg reads the next message. A frame that arrived whole but is not a
// message this node speaks is answered with a reject that says why (the
// error returned is then told), so the peer learns more than a reset.
func readMsg(st *p2p.Stream) (Msg, error) {
	b, err := st.Read()
	if err != nil {
		return Msg{}, err
	}
	m, err := Decode(b)
	if err != nil {
		return m, sendErr(st, err)
	}
	return m, nil
}

func writeMsg(st *p2p.Stream, m Msg) error {
	b, err := m.Encode()
	if err != nil {
		return err
	}
	return st.Write(b)
}

// sendErr tells the peer why we stop, and returns err, marked as told
// when the reject went out.
func sendErr(st *p2p.Stream, err error) error {
	if writeMsg(st, reject(err)) != nil {
		return err
	}
	return told{err}
}

// refuseUnexpected is unexpected, told to the peer as a reject, so that a
// peer that sent the wrong message learns why the exchange ended; unless
// m is the peer's own reject, which needs no answer.
func refuseUnexpected(st *p2p.Stream, m Msg, want string) error {
	err := unexpected(m, want)
	if m.Type == tReject {
		return err
	}
	return sendErr(st, err)
}

// told is an error the peer has been sent as a reject. Such an exchange
// ends with Close, not Reset: a reset stream discards what the peer has
// not read yet (yamux and QUIC alike), so the reject would be lost.
type told struct{ error }

func (t told) Unwrap() error { return t.error }

// done ends an exchange: Reset on error; Close on success or after a
// reject went out, whose own error does not matter any more (the last
// message was sent; over QUIC the peer may already have stopped reading).
func done(st *p2p.Stream, err error) error {
	if err != nil && !errors.As(err, new(told)) {
		st.Reset()
		return err
	}
	_ = st.Close()
	return err
}
