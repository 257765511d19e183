package syncp2p

import (
	"bytes"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/p2p"
)

// blobAnswer is one answer on the image stream: the message, and for a
// tBlob the image frame that follows it.
type blobAnswer struct {
	Msg
	Blob []byte
}

// askBlobs sends requests on one blob stream from p to q and returns each
// answer (a zero one once the stream has ended).
func askBlobs(t *testing.T, w *world, p, q *party, reqs ...Msg) []blobAnswer {
	t.Helper()
	raw, err := p.host.Open(w.ctx, q.id, p2p.ProtoBlob)
	if err != nil {
		t.Fatal(err)
	}
	st := p2p.NewStream(w.ctx, raw)
	st.MaxFrame = maxBlobFrame
	defer st.Reset()
	var out []blobAnswer
	for _, r := range reqs {
		var a blobAnswer
		if writeMsg(st, r) == nil {
			if m, err := readMsg(st); err == nil {
				a.Msg = m
			}
		}
		if a.Type == tBlob {
			if b, err := st.Read(); err == nil {
				a.Blob = b
			}
		}
		out = append(out, a)
	}
	return out
}

// The image protocol hands out only images that an entry of the log
// commits to, only to that contract's employer: not an unapproved
// screenshot still on the contractor's disk, not an image of another
// contract, not to a peer that merely passes the gate.
func TestBlobsOnlyCommittedOnlyToEmployer(t *testing.T) {
	w := newWorld(t, "tcp", defaultTerms())
	w.chain.add(2)
	w.serve(w.chain.bytes())
	committed := w.chain.signed[1].Entry.Images[0].SHA256
	unapproved := jpeg("an unapproved screenshot")
	hidden := sha256.Sum256(unapproved)
	w.con.snd.mu.Lock()
	w.con.snd.store[hidden] = unapproved
	w.con.snd.mu.Unlock()

	other := sha256.Sum256([]byte("another contract"))
	otherChain := newChain(t, w.con.key, other)
	otherChain.next = base.Add(5 * time.Hour) // other moments, other screenshots
	otherChain.add(1)
	w.con.snd.logs[other] = &sentLog{employer: w.emp.id, employerKey: w.emp.pub()}
	w.con.snd.setLog(other, otherChain.bytes(), otherChain.blobs)
	otherImage := otherChain.signed[0].Entry.Images[0].SHA256

	get := func(id, h [32]byte) Msg { return Msg{Type: tBlobGet, Contract: id[:], Hash: h[:]} }
	got := askBlobs(t, w, w.emp, w.con,
		get(w.id, committed),
		get(w.id, hidden),
		get(w.id, sha256.Sum256([]byte("never taken"))),
		get(w.id, otherImage),
		get(w.id, committed),
		get(sha256.Sum256([]byte("unknown")), committed),
	)
	want := []struct {
		typ  uint8
		code string
	}{
		{tBlob, ""}, {tReject, "not-found"}, {tReject, "not-found"}, {tReject, "not-found"}, {tBlob, ""}, {tReject, "unknown"},
	}
	for i, m := range got {
		if m.Type != want[i].typ || m.Code != want[i].code {
			t.Errorf("request %d: got type %d code %q, want type %d code %q", i, m.Type, m.Code, want[i].typ, want[i].code)
		}
		if m.Type == tBlob && !bytes.Equal(m.Blob, w.chain.blobs[committed]) {
			t.Errorf("request %d: got %d bytes that are not the committed image", i, len(m.Blob))
		}
	}

	stranger := newParty(t, "tcp", w.allow, w.clk)
	stranger.knows(t, w.con)
	got = askBlobs(t, w, stranger, w.con, get(w.id, committed), get(w.id, committed))
	if got[0].Type != tReject || got[0].Code != "not-party" || got[1].Type != 0 {
		t.Errorf("stranger's requests: got %d/%q then %d; want a not-party reject, then the stream ended",
			got[0].Type, got[0].Code, got[1].Type)
	}
	if m := askBlobs(t, w, w.emp, w.con, Msg{Type: tBlobGet, Contract: w.id[:]})[0]; m.Code != "malformed" {
		t.Errorf("request without a hash: got type %d code %q, want a malformed reject", m.Type, m.Code)
	}
}

// A peer that is not the contract's employer cannot pull the log, even
// when it claims the contract on its own side; it is told why.
func TestPullByStrangerRefused(t *testing.T) {
	w := newWorld(t, "tcp", defaultTerms())
	w.chain.add(2)
	w.serve(w.chain.bytes())
	stranger := newParty(t, "tcp", w.allow, w.clk)
	stranger.knows(t, w.con)
	stranger.rcv.copies[w.id] = &copyLog{terms: Terms{Contractor: w.con.pub(), EntryRules: contract.EntryRules{Screenshots: 3}}, contractor: w.con.id}
	err := stranger.svc.Pull(w.ctx, w.con.id, w.id)
	wantRemote(t, err, ErrNotParty)
	if got := stranger.rcv.snapshot(w.id); len(got.entries) != 0 || got.blobs != 0 {
		t.Errorf("stranger got %d entries and %d images, want none", len(got.entries), got.blobs)
	}
	if err := w.emp.svc.Pull(w.ctx, w.con.id, w.id); err != nil {
		t.Fatalf("the employer's pull: %v", err)
	}
	if got := w.emp.rcv.snapshot(w.id).head; got != w.chain.log.Head() {
		t.Errorf("employer's head after pull %s, want %s", got, w.chain.log.Head())
	}
}
