package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/p2p"
	"github.com/workdiary/workdiary/internal/syncp2p"
)

// asEmployer attacks a contractor's node with the identity of its
// employer: the node pushes to the attacker, which answers badly.
const asEmployer = "employer"

// employer is what the employer's data folder of a contract with the
// target gives the attacker: the key the target pushes to, the contract
// and the employer's copy of the target's log.
type employer struct {
	id       *identity.Identity
	contract *contract.Contract
	logID    ledger.LogID
	log      []ledger.Signed // the employer's copy, seq 1.. in order
}

// loadEmployer reads the folder and lets go of it again: the folder's own
// node may serve it once the attacks are over.
func loadEmployer(home string, contractor peer.ID) (*employer, error) {
	id, st, err := openFolder(home, "employer")
	if err != nil {
		return nil, err
	}
	defer st.Close()
	all, err := contract.NewRegistry(st).List()
	if err != nil {
		return nil, fmt.Errorf("list the employer's contracts: %w", err)
	}
	e := &employer{id: id}
	for _, c := range all {
		if c.Role == contract.RoleEmployer && c.Acceptance != nil && c.Acceptance.ContractorPeerID() == contractor {
			e.contract = c
		}
	}
	if e.contract == nil {
		return nil, fmt.Errorf("the employer folder has no accepted contract with %s", contractor)
	}
	key := e.contract.Acceptance.Contractor.PublicKey
	e.logID = ledger.LogIDOf(e.contract.ID(), key)
	if e.log, err = readLog(st, e.logID, key); err != nil {
		return nil, fmt.Errorf("the employer's copy of the target's log: %w", err)
	}
	if len(e.log) < 2 {
		return nil, errors.New("the employer holds fewer than 2 entries of the target's log: the have and ack attacks need the target to have synced two (approve and sync some time first)")
	}
	return e, nil
}

// contractID is the contract with the target.
func (e *employer) contractID() [32]byte { return [32]byte(e.contract.ID()) }

func (e *employer) cid() []byte { id := e.contractID(); return id[:] }

// headAt is the employer's copy at seq (0: nothing).
func (e *employer) headAt(seq uint64) ledger.Head {
	if seq == 0 {
		return ledger.Head{}
	}
	return e.log[seq-1].Head()
}

// size is how many entries of the target's log the employer holds.
func (e *employer) size() uint64 { return uint64(len(e.log)) }

// name is the employer's note signer name, as its node signs receipts.
func (e *employer) name() string { return e.id.PeerID().String() }

// cosign adds the employer's signature to a signed note: a receipt of a
// checkpoint, or a cosigned week close.
func (e *employer) cosign(note []byte) ([]byte, error) {
	return ledger.Cosign(note, e.id.PrivateKey(), e.name())
}

// weekClose is a close of log's week from start, over the employer's copy
// of the log, signed by the employer alone.
func (e *employer) weekClose(log ledger.LogID, start time.Time) ([]byte, error) {
	weeks := e.contract.Offer.Weeks()
	w := ledger.NewWeekClose(log, e.log, start.Unix(), weeks.Next(start).Unix(), e.contract.Acceptance.Signed())
	return ledger.SignWeekClose(e.id.PrivateKey(), e.name(), w)
}

// startEmployer starts the employer's host on loopback, admitting only
// the target, and takes the pushes the target makes to it.
func (k *kit) startEmployer(ctx context.Context, ai *peer.AddrInfo) error {
	var err error
	if k.employer, err = loadEmployer(k.opts.employerParty, ai.ID); err != nil {
		return err
	}
	h, err := p2p.New(ctx, p2p.Config{Key: k.employer.id.Libp2pKey(), ListenAddrs: []string{"/ip4/127.0.0.1/tcp/0"},
		Allow: p2p.AllowFunc(func(p peer.ID) bool { return p == ai.ID }), Logger: k.logger})
	if err != nil {
		return fmt.Errorf("start the employer's host: %w", err)
	}
	k.hosts[asEmployer] = h
	if err := h.Remember(ai.ID, ai.Addrs...); err != nil {
		return err
	}
	k.pushes = make(chan *push)
	h.Handle(p2p.ProtoSync, k.takePush)
	// The target's images are asked for by the attacks, never served.
	return nil
}

// push is one round the target started: its stream, after the hello
// (whose seq is how many waits the target accepts).
type push struct {
	c     *conv
	hello syncp2p.Msg
	done  chan struct{} // closed when the attack is over with it
}

// takePush hands a round the target pushes to the attack waiting for one.
// A round nobody waits for (the target's own schedule) is reset.
func (k *kit) takePush(ctx context.Context, raw network.Stream) {
	st := p2p.NewStream(ctx, raw)
	st.MaxFrame, st.Timeout = 32<<20, k.opts.answerIn
	c := &conv{st: st}
	m, err := c.read()
	if err != nil || m.Type != msgHello || m.Pull || !bytes.Equal(m.Contract, k.employer.cid()) {
		st.Reset()
		return
	}
	p := &push{c: c, hello: m, done: make(chan struct{})}
	select {
	case k.pushes <- p:
		<-p.done
	case <-time.After(2 * time.Second):
		st.Reset()
	}
}

// synced is how the target's sync, started by the trigger command, ended.
type synced struct {
	out string
	err error
}

// trigger runs the command that makes the target sync now (`workdiary
// --home DIR sync --contract ID` against its serving node).
func (k *kit) trigger(ctx context.Context) <-chan synced {
	out := make(chan synced, 1)
	go func() {
		cmd := exec.CommandContext(ctx, k.opts.trigger[0], k.opts.trigger[1:]...)
		cmd.Env = os.Environ()
		var b bytes.Buffer
		cmd.Stdout, cmd.Stderr = &b, &b
		err := cmd.Run()
		out <- synced{out: strings.TrimSpace(b.String()), err: err}
	}()
	return out
}

// onPush makes the target push, plays the attack on its round and judges
// it together with how the target's sync ended: a refusal on the wire
// counts only when the target's own sync says it failed.
func onPush(play func(k *kit, p *push) verdict) func(context.Context, *kit) verdict {
	return func(ctx context.Context, k *kit) verdict {
		ctx, cancel := context.WithTimeout(ctx, k.opts.answerIn)
		defer cancel()
		// Connected first, so the target's own dial finds the connection.
		if err := k.hosts[asEmployer].Connect(ctx, k.target); err != nil {
			return didNotRun(fmt.Errorf("the employer could not reach the target: %w", err))
		}
		ended := k.trigger(ctx)
		var p *push
		select {
		case p = <-k.pushes:
		case s := <-ended:
			return didNotRun(fmt.Errorf("the target's sync ended without pushing to the employer (%v): %s", s.err, s.out))
		case <-ctx.Done():
			return didNotRun(fmt.Errorf("the target did not push to the employer in time"))
		}
		v := unlessHung(ctx, play(k, p))
		p.c.st.Reset()
		close(p.done)
		var s synced
		select {
		case s = <-ended:
		case <-ctx.Done():
			return verdict{Reason: "the target's sync did not end after the round: " + v.Reason}
		}
		switch {
		case !v.Refused:
			return v
		case s.err == nil:
			return verdict{Reason: fmt.Sprintf("the round looked refused (%s) but the target's sync reports success: %s", v.Reason, s.out)}
		}
		v.Reason += "; the target's sync: " + failure(s.out)
		return v
	}
}

// failure is the line of the sync command's output that says why the
// contract did not sync (`workdiary sync` prints "… FAILED: why").
func failure(out string) string {
	lines := strings.Split(out, "\n")
	for _, l := range lines {
		if _, why, ok := strings.Cut(l, "FAILED: "); ok {
			return strings.TrimSpace(why)
		}
	}
	return strings.TrimSpace(lines[len(lines)-1])
}

// answerPast is answer after any message of type skip the target sent
// before it read what the employer sent.
func (p *push) answerPast(skip uint8) verdict {
	m, err := p.c.read()
	if err == nil && m.Type == skip {
		return p.answer()
	}
	return answerOf(m, err)
}

// answer reads the target's answer to what the employer sent: a reject or
// the stream ended without the round finishing is a refusal; the target
// closing the round as done, or going on with it, is not.
func (p *push) answer() verdict {
	m, err := p.c.read()
	return answerOf(m, err)
}

func answerOf(m syncp2p.Msg, err error) verdict {
	switch {
	case err == nil && m.Type != msgReject:
		return verdict{Reason: fmt.Sprintf("the target went on with message type %d instead of refusing", m.Type)}
	case errors.Is(err, io.EOF):
		return verdict{Reason: "the target closed the round as done instead of refusing"}
	}
	return judge(m, err)
}
