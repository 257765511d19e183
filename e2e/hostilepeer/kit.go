package main

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/workdiary/workdiary/internal/clock"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/p2p"
	"github.com/workdiary/workdiary/internal/syncp2p"
)

// Who attacks: a peer that shares no contract with the target, or the
// contractor of one of its contracts.
const (
	asStranger = "stranger"
	asParty    = "party"
)

// kit is everything the attacks use: the target, a host per role, the
// party's folder and the protocol's own sender serving scripted logs.
type kit struct {
	opts     options
	target   peer.ID
	victim   [32]byte // a contract of the target's that the party is not part of
	probe    [32]byte // an image of the victim contract (zero: none given)
	stranger *identity.Identity
	party    *party
	hosts    map[string]*p2p.Host
	svc      *syncp2p.Service // the party's protocol service
	script   *scriptedLog
	logger   *slog.Logger

	// The employer role: the target is a contractor that pushes to it.
	employer     *employer
	pushes       chan *push
	refusedImage [32]byte // an image of an entry the contract's terms refuse (zero: none given)
	servedImage  [32]byte // an image of an entry the contract's terms allow (zero: none given)

	mu       sync.Mutex
	baseline ledger.Head // where the node's copy of the party's log must stay
}

// newKit starts a host for each role, on loopback, each admitting only the
// target.
func newKit(ctx context.Context, o options, scratch string) (*kit, error) {
	ai, err := peer.AddrInfoFromString(o.target)
	if err != nil {
		return nil, fmt.Errorf("--target %q: want a multiaddr ending in /p2p/PEER-ID: %w", o.target, err)
	}
	k := &kit{opts: o, target: ai.ID, hosts: map[string]*p2p.Host{},
		logger: slog.New(slog.NewTextHandler(os.Stderr, nil)).With("program", "hostilepeer")}
	if k.victim, err = hash32(o.victim, "--victim-contract"); err != nil {
		return nil, err
	}
	if o.probe != "" {
		if k.probe, err = hash32(o.probe, "--probe-image"); err != nil {
			return nil, err
		}
	}
	if k.stranger, err = identity.Create(scratch, "Mallory"); err != nil {
		return nil, fmt.Errorf("create the stranger's identity: %w", err)
	}
	if o.refusedImage != "" {
		if k.refusedImage, err = hash32(o.refusedImage, "--refused-image"); err != nil {
			return nil, err
		}
	}
	if o.servedImage != "" {
		if k.servedImage, err = hash32(o.servedImage, "--served-image"); err != nil {
			return nil, err
		}
	}
	if o.as == asEmployer {
		if err := k.startEmployer(ctx, ai); err != nil {
			k.close()
			return nil, err
		}
		return k, nil
	}
	if k.party, err = loadParty(o.party, ai.ID); err != nil {
		return nil, err
	}
	onlyTarget := p2p.AllowFunc(func(p peer.ID) bool { return p == ai.ID })
	for role, id := range map[string]*identity.Identity{asStranger: k.stranger, asParty: k.party.id} {
		h, err := p2p.New(ctx, p2p.Config{Key: id.Libp2pKey(), ListenAddrs: []string{"/ip4/127.0.0.1/tcp/0"},
			Allow: onlyTarget, Logger: k.logger})
		if err != nil {
			k.close()
			return nil, fmt.Errorf("start the %s's host: %w", role, err)
		}
		k.hosts[role] = h
		if err := h.Remember(ai.ID, ai.Addrs...); err != nil {
			k.close()
			return nil, err
		}
	}
	k.script = &scriptedLog{key: k.party.id.PrivateKey(), name: k.party.id.PeerID().String()}
	// The party serves the blob protocol through the real service: the
	// target fetches a batch's images from it while it verifies the batch.
	// It has no Receiver: the target employs the party and never pushes to
	// it; a handler that tried would panic, which the host recovers from
	// by resetting the stream.
	k.svc = &syncp2p.Service{Host: k.hosts[asParty], Sender: k.script, Clock: clock.Real{}, Logger: k.logger}
	k.svc.Register()
	return k, nil
}

func (k *kit) close() {
	for _, h := range k.hosts {
		_ = h.Close()
	}
}

// partyCopy asks the node where its copy of the party's log stands: the
// have it answers a greeting with. The stream is then dropped.
func (k *kit) partyCopy(ctx context.Context) (ledger.Head, error) {
	ctx, cancel := context.WithTimeout(ctx, k.opts.answerIn)
	defer cancel()
	c, err := k.open(ctx, asParty, p2p.ProtoSync)
	if err != nil {
		return ledger.Head{}, err
	}
	defer c.st.Reset()
	have, v := c.have(k.party.contractID())
	if v != nil {
		return ledger.Head{}, errors.New(v.Reason)
	}
	return haveHead(have), nil
}

// partyForger signs entries of the party's log.
func (k *kit) partyForger() *forger {
	return newForger(k.party.id.PrivateKey(), k.party.contractID(), k.party.log, time.Now())
}

func hash32(s, what string) ([32]byte, error) {
	var h [32]byte
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 32 {
		return h, fmt.Errorf("%s %q: want 64 hex digits", what, s)
	}
	copy(h[:], b)
	return h, nil
}
