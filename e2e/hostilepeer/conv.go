package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/libp2p/go-libp2p/core/protocol"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/p2p"
	"github.com/workdiary/workdiary/internal/syncp2p"
)

// The sync protocol's message types (internal/syncp2p/messages.go). The
// package keeps them to itself because only it should speak the protocol;
// an attacker writing messages by hand has to name them.
const (
	msgHello      = 1
	msgHave       = 2
	msgBatch      = 3
	msgAck        = 4
	msgReject     = 5
	msgCheckpoint = 6
	msgReceipt    = 7
	msgBlobGet    = 8
	msgBlob       = 9
	msgAccept     = 10
)

// hello is the greeting of a contractor pushing contract (pull: asking
// the node to send its log of it instead).
func hello(contract [32]byte, pull bool) syncp2p.Msg {
	return syncp2p.Msg{Type: msgHello, Version: syncp2p.Version, Contract: contract[:], Pull: pull}
}

// conv is one stream to the target driven by hand: raw bytes or messages
// out, framed messages in.
type conv struct {
	st *p2p.Stream
}

// open connects as role and opens proto. The reads wait up to answerIn,
// longer than the node's own deadline, so that a node which neither
// answers nor times out shows as hung rather than as refusing.
func (k *kit) open(ctx context.Context, role string, proto protocol.ID) (*conv, error) {
	raw, err := k.hosts[role].Open(ctx, k.target, proto)
	if err != nil {
		return nil, err
	}
	st := p2p.NewStream(ctx, raw)
	st.MaxFrame, st.Timeout = 32<<20, k.opts.answerIn
	return &conv{st: st}, nil
}

// openAs is open with the verdict when the stream does not open: a
// stranger the node will not let in is refused; a party that cannot reach
// the node never got to attack.
func (k *kit) openAs(ctx context.Context, role string, proto protocol.ID) (*conv, *verdict) {
	c, err := k.open(ctx, role, proto)
	switch {
	case err == nil:
		return c, nil
	case role == asStranger:
		return nil, &verdict{Refused: true, Reason: "the node would not let the stranger in: " + err.Error()}
	}
	return nil, &verdict{Reason: fmt.Sprintf("the attack did not run: the party could not open %s: %v", proto, err)}
}

// write sends bytes as they are, framed or not.
func (c *conv) write(b []byte) error {
	raw := c.st.Raw()
	_ = raw.SetWriteDeadline(time.Now().Add(c.st.Timeout))
	_, err := raw.Write(b)
	return err
}

func (c *conv) send(m syncp2p.Msg) error {
	b, err := m.Encode()
	if err != nil {
		return fmt.Errorf("encode message type %d: %w", m.Type, err)
	}
	return c.st.Write(b)
}

func (c *conv) read() (syncp2p.Msg, error) {
	b, err := c.st.Read()
	if err != nil {
		return syncp2p.Msg{}, err
	}
	return syncp2p.Decode(b)
}

// have greets as a pushing contractor of contract and returns the node's
// have. Anything else ends the attack early with that as its verdict.
func (c *conv) have(contract [32]byte) (syncp2p.Msg, *verdict) {
	if err := c.send(hello(contract, false)); err != nil {
		v := ended(err)
		return syncp2p.Msg{}, &v
	}
	m, err := c.read()
	if err != nil || m.Type != msgHave {
		v := judge(m, err)
		return m, &v
	}
	return m, nil
}

// haveHead is the head a have message names.
func haveHead(have syncp2p.Msg) ledger.Head {
	h := ledger.Head{Seq: have.Seq}
	copy(h.Hash[:], have.Hash)
	return h
}

// verdict reads the node's answer to what was sent: the attack's result.
// Nothing more is sent after it.
func (c *conv) verdict() verdict {
	_ = c.st.CloseWrite()
	m, err := c.read()
	c.st.Reset()
	return judge(m, err)
}

// judge says whether an answer is a refusal: a reject, or the stream
// ended or reset. Any other message means the node went along with the
// attack; no answer at all means it hangs.
func judge(m syncp2p.Msg, err error) verdict {
	var ne net.Error
	switch {
	case err == nil && m.Type == msgReject:
		return verdict{Refused: true, Code: m.Code, Reason: m.Reason}
	case err == nil:
		return verdict{Reason: fmt.Sprintf("the node answered with message type %d instead of refusing", m.Type)}
	case errors.Is(err, syncp2p.ErrMalformed):
		return verdict{Reason: fmt.Sprintf("the node's answer does not decode: %v", err)}
	case errors.As(err, &ne) && ne.Timeout():
		return verdict{Reason: fmt.Sprintf("no answer: the node neither refused nor ended the stream (%v)", err)}
	}
	return ended(err)
}

// ended is the verdict when the node ends the stream without a message:
// a refusal whose reason is only what this side saw.
func ended(err error) verdict {
	if errors.Is(err, io.EOF) {
		return verdict{Refused: true, Ended: true, Reason: "the node closed the stream without a reply"}
	}
	return verdict{Refused: true, Ended: true, Reason: "the node ended the stream: " + err.Error()}
}
