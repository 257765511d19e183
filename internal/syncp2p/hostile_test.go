package syncp2p

import (
	"context"
	"encoding/binary"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"

	"github.com/workdiary/workdiary/internal/cose"
	"github.com/workdiary/workdiary/internal/p2p"
)

// framed is b with its 4-byte length prefix.
func framed(b []byte) []byte { return append(binary.BigEndian.AppendUint32(nil, uint32(len(b))), b...) }

func enc(t *testing.T, m Msg) []byte {
	t.Helper()
	b, err := m.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return framed(b)
}

// openSync opens a sync stream from one party to the other, to write on
// by hand.
func openSync(t *testing.T, w *world, from, to *party) (network.Stream, *p2p.Stream) {
	t.Helper()
	raw, err := from.host.Libp2p().NewStream(w.ctx, to.id, p2p.ProtoSync)
	if err != nil {
		t.Fatal(err)
	}
	st := p2p.NewStream(w.ctx, raw)
	st.MaxFrame, st.Timeout = maxSyncFrame, 5*time.Second
	return raw, st
}

// A counterpart that writes by hand on the sync protocol: garbage,
// oversized or truncated frames, frames that are not messages, a hello the
// node does not speak, messages out of turn. Each is answered with a
// reject that names the problem or with a reset, promptly; nothing panics,
// nothing is stored, and the node then serves a clean push.
func TestHostileSyncStreams(t *testing.T) {
	w := newWorld(t, "tcp", defaultTerms())
	w.chain.add(3)
	w.serve(w.chain.bytes())
	if err := w.push(); err != nil {
		t.Fatal(err)
	}
	before := w.emp.rcv.snapshot(w.id)
	hello := Msg{Type: tHello, Version: Version, Contract: w.id[:]}
	withVersion := func(v uint16) Msg { m := hello; m.Version = v; return m }
	notMsg, _ := cose.Marshal("hello")

	cases := []struct {
		name string
		send [][]byte // raw bytes, in order
		// dialog: read the employer's have after the first write.
		dialog bool
		want   string // reject code; "" for a reset or end without a reply
	}{
		{name: "HTTP request", send: [][]byte{[]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n")}},
		{name: "length over the 16 MiB cap", send: [][]byte{append(binary.BigEndian.AppendUint32(nil, maxSyncFrame+1), make([]byte, 1024)...)}},
		{name: "frame cut short", send: [][]byte{append(binary.BigEndian.AppendUint32(nil, 100), "ten bytes."...)}},
		{name: "nothing at all", send: nil},
		{name: "empty frame", send: [][]byte{framed(nil)}, want: "malformed"},
		{name: "frame of non-CBOR", send: [][]byte{framed([]byte("\xff\xfe not cbor"))}, want: "malformed"},
		{name: "CBOR that is not a message", send: [][]byte{framed(notMsg)}, want: "malformed"},
		{name: "hello of version 2", send: [][]byte{enc(t, withVersion(2))}, want: "version"},
		{name: "hello without a version", send: [][]byte{enc(t, withVersion(0))}, want: "version"},
		{name: "batch before hello", send: [][]byte{enc(t, Msg{Type: tBatch, Contract: w.id[:], Seq: 4, Entries: w.chain.bytes()})}, want: "malformed"},
		{name: "hello without a contract", send: [][]byte{enc(t, Msg{Type: tHello, Version: Version})}, want: "malformed"},
		{name: "hello for an unknown contract", send: [][]byte{enc(t, Msg{Type: tHello, Version: Version, Contract: make([]byte, 32)})}, want: "unknown"},
		{name: "first batch replayed", dialog: true, want: "rejected",
			send: [][]byte{enc(t, hello), enc(t, Msg{Type: tBatch, Contract: w.id[:], Seq: 1, Entries: w.chain.bytes()})}},
		{name: "batch of non-entries", dialog: true, want: "rejected",
			send: [][]byte{enc(t, hello), enc(t, Msg{Type: tBatch, Contract: w.id[:], Seq: 4, Entries: [][]byte{[]byte("entry")}})}},
		{name: "empty batch", dialog: true, want: "malformed",
			send: [][]byte{enc(t, hello), enc(t, Msg{Type: tBatch, Contract: w.id[:], Seq: 4})}},
		{name: "checkpoint without a note", dialog: true, want: "checkpoint",
			send: [][]byte{enc(t, hello), enc(t, Msg{Type: tCheckpoint, Contract: w.id[:]})}},
		{name: "an ack out of turn", dialog: true, want: "malformed",
			send: [][]byte{enc(t, hello), enc(t, Msg{Type: tAck, Contract: w.id[:], Seq: 9})}},
		{name: "garbage after hello", dialog: true, want: "malformed", send: [][]byte{enc(t, hello), framed([]byte{0xff})}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			raw, st := openSync(t, w, w.con, w.emp)
			defer st.Reset()
			for i, b := range c.send {
				if _, err := raw.Write(b); err != nil {
					t.Logf("write %d: %v", i, err) // the node may have reset already
				}
				if c.dialog && i == 0 {
					if m, err := readMsg(st); err != nil || m.Type != tHave {
						t.Fatalf("after hello: got %+v, %v; want have", m, err)
					}
				}
			}
			_ = raw.CloseWrite()
			start := time.Now()
			b, err := st.Read()
			if took := time.Since(start); took > 3*time.Second {
				t.Errorf("answer took %v, want a prompt reject or reset", took)
			}
			if c.want == "" {
				if err == nil {
					t.Fatalf("got a reply %x, want a reset", b)
				}
				t.Logf("reset: %v", err)
				return
			}
			if err != nil {
				t.Fatalf("got %v, want a reject %q", err, c.want)
			}
			m, err := Decode(b)
			if err != nil || m.Type != tReject || m.Code != c.want {
				t.Fatalf("got %+v, %v; want a reject %q", m, err, c.want)
			}
			t.Logf("reject %s: %s", m.Code, m.Reason)
		})
	}

	after := w.emp.rcv.snapshot(w.id)
	if after.head != before.head || after.blobs != before.blobs || after.commits != before.commits {
		t.Errorf("hostile streams changed the copy: head %s→%s, images %d→%d", before.head, after.head, before.blobs, after.blobs)
	}
	if logs := w.emp.logs.String(); strings.Contains(logs, "panicked") {
		t.Fatalf("a handler panicked:\n%s", logs)
	}
	w.chain.add(4)
	w.serve(w.chain.bytes())
	if err := w.push(); err != nil {
		t.Fatalf("clean push after the hostile streams: %v", err)
	}
	w.checkSame(t)
}

// On the image stream too, a frame that arrived whole but is not a
// request is answered with the reason, not only a reset.
func TestBlobStreamGarbageToldWhy(t *testing.T) {
	w := newWorld(t, "tcp", defaultTerms())
	w.chain.add(1)
	w.serve(w.chain.bytes())
	raw, err := w.emp.host.Libp2p().NewStream(w.ctx, w.con.id, p2p.ProtoBlob)
	if err != nil {
		t.Fatal(err)
	}
	st := p2p.NewStream(w.ctx, raw)
	st.Timeout = 5 * time.Second
	defer st.Reset()
	if _, err := raw.Write(framed([]byte("\xff\xfe not a request"))); err != nil {
		t.Fatal(err)
	}
	_ = raw.CloseWrite()
	b, err := st.Read()
	if err != nil {
		t.Fatalf("got %v, want a reject", err)
	}
	if m, err := Decode(b); err != nil || m.Type != tReject || m.Code != "malformed" {
		t.Fatalf("got %+v, %v; want a malformed reject", m, err)
	}
}

// An employer that answers the batch with the wrong message is told why:
// the contractor ends the round with a reject naming the problem, not a
// bare reset, and its own result says the same.
func TestContractorTellsAnUnexpectedAnswer(t *testing.T) {
	for _, tc := range []struct {
		name   string
		answer func(batch Msg) Msg
	}{
		{"a have where the ack goes", func(b Msg) Msg {
			return Msg{Type: tHave, Contract: b.Contract, Hash: make([]byte, 32)}
		}},
		{"an ack of another seq", func(b Msg) Msg {
			return Msg{Type: tAck, Contract: b.Contract, Seq: b.Seq + 100, Hash: make([]byte, 32)}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, "tcp", defaultTerms())
			w.chain.add(3)
			w.serve(w.chain.bytes())
			told := make(chan Msg, 1)
			w.emp.host.Handle(p2p.ProtoSync, func(ctx context.Context, raw network.Stream) {
				defer close(told)
				st := p2p.NewStream(ctx, raw)
				st.MaxFrame, st.Timeout = maxSyncFrame, 5*time.Second
				defer st.Close()
				hello, err := readMsg(st)
				if err != nil || writeMsg(st, Msg{Type: tHave, Contract: hello.Contract, Hash: make([]byte, 32)}) != nil {
					return
				}
				batch, err := readMsg(st)
				if err != nil || batch.Type != tBatch || writeMsg(st, tc.answer(batch)) != nil {
					return
				}
				for { // past the checkpoint the contractor sent behind its batch
					m, err := readMsg(st)
					if err != nil {
						return
					}
					if m.Type != tCheckpoint {
						told <- m
						return
					}
				}
			})
			if err := w.push(); !errors.Is(err, ErrMalformed) {
				t.Fatalf("push: %v; want the employer's answer refused as malformed", err)
			}
			m, ok := <-told
			if !ok || m.Type != tReject || m.Code != codeOf(ErrMalformed) || !strings.Contains(m.Reason, "want ack of seq") {
				t.Fatalf("the employer was told %+v (read: %v); want a reject saying an ack was expected", m, ok)
			}
		})
	}
}
