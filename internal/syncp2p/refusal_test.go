package syncp2p

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/ledger"
)

// policyBreak is an entry that is correctly signed and chained but breaks
// a term of the contract.
type policyBreak struct {
	name   string
	terms  func(*Terms)
	bad    func(c *chain) ledger.Entry
	reason string // part of the reason both sides record
}

var policyBreaks = []policyBreak{
	{name: "screenshots at too many moments", bad: func(c *chain) ledger.Entry { return c.segment(3) },
		reason: "screenshots at 3 moments; the contract allows 2"},
	{name: "manual time not allowed", reason: "does not allow manual time", bad: func(c *chain) ledger.Entry {
		e := c.segment(0)
		return ledger.Entry{Start: e.Start, Kind: ledger.KindManual, Memo: "meeting", ApprovedAt: e.ApprovedAt}
	}},
	{name: "segment before the contract", reason: "before the contract started",
		bad: func(c *chain) ledger.Entry { return c.segmentAt(base.Add(-72*time.Hour), 1) }},
	{name: "webcam not allowed", terms: func(t *Terms) { t.Webcam = false }, reason: "webcam photo",
		bad: func(c *chain) ledger.Entry { e := c.segment(1); e.Images[0].Role = ledger.RoleWebcam; return e }},
	{name: "sharp screenshot where blur is required", terms: func(t *Terms) { t.BlurRequired = true },
		reason: "requires blur", bad: func(c *chain) ledger.Entry { return c.segment(1) }},
}

// good appends n entries that every contract of these tests allows: one
// blurred screenshot each.
func (c *chain) good(n int) {
	for range n {
		e := c.segment(1)
		e.Images[0].Blurred = true
		c.append(e)
	}
}

// An entry that breaks a term does not stop the log: the employer keeps it
// for the chain as refused, with its reason, never fetches its images and
// takes the entries after it; the contractor learns which entry and why,
// again from the next round's have when an ack was lost; and a void of
// the refused entry goes through like any other.
func TestPolicyBreakRefusedNotStuck(t *testing.T) {
	for _, p := range policyBreaks {
		t.Run(p.name, func(t *testing.T) {
			w := newWorld(t, "tcp", defaultTerms())
			if p.terms != nil {
				p.terms(&w.emp.rcv.copies[w.id].terms)
			}
			w.chain.good(3)
			bad := w.chain.append(p.bad(w.chain))
			w.chain.good(2)
			w.serve(w.chain.bytes())
			if err := w.push(); err != nil {
				t.Fatalf("push with a refused entry: %v", err)
			}
			w.checkSame(t)
			refused, _ := w.emp.rcv.Refusals(w.id)
			if len(refused) != 1 || refused[0].Seq != bad.Entry.Seq || !strings.Contains(refused[0].Reason, p.reason) {
				t.Fatalf("employer's refusals %+v, want seq %d because %q", refused, bad.Entry.Seq, p.reason)
			}
			for _, img := range bad.Entry.Images {
				if w.emp.rcv.HasBlob(img.SHA256) {
					t.Errorf("the employer fetched image %x of the refused entry", img.SHA256[:6])
				}
			}
			if got := w.con.snd.refusals(w.id); got[bad.Entry.Seq] != refused[0].Reason || len(got) != 1 {
				t.Fatalf("contractor recorded %v, want seq %d: %q", got, bad.Entry.Seq, refused[0].Reason)
			}
			if !strings.Contains(w.emp.logs.String(), "refused seq 4") {
				t.Errorf("the employer's log does not name the refused entry:\n%s", w.emp.logs.String())
			}

			// An ack lost to a cut: the next round's have says it again.
			w.con.snd.logs[w.id].refused = nil
			w.chain.append(ledger.Void(bad.Summary(), "breaks the contract", bad.Entry.ApprovedAt+60))
			w.chain.good(1)
			w.serve(w.chain.bytes())
			if err := w.push(); err != nil {
				t.Fatalf("push of the void after the refusal: %v", err)
			}
			w.checkSame(t)
			if got := w.con.snd.refusals(w.id); len(got) != 1 || got[bad.Entry.Seq] == "" {
				t.Fatalf("after the next round the contractor has %v, want the refusal of seq %d again", got, bad.Entry.Seq)
			}
		})
	}
}

// An employer that makes up refusals, for entries it never got or out of
// order, or acks a batch with another hash than its last entry's, is
// refused before anything is recorded or counted as delivered.
func TestMadeUpRefusalsRejected(t *testing.T) {
	w := newWorld(t, "tcp", defaultTerms())
	w.chain.add(3)
	w.serve(w.chain.bytes())
	if err := w.push(); err != nil {
		t.Fatal(err)
	}
	w.chain.add(3)
	w.serve(w.chain.bytes())
	head3 := w.chain.signed[2].Hash
	cases := []struct {
		name    string
		have    Msg // the employer's have (holding seq 3)
		refused []Refusal
		// otherHash acks the batch's last seq with a hash of another
		// entry: the employer holds something else there.
		otherHash bool
		want      string
	}{
		{name: "have refuses an entry it does not hold", want: "malformed",
			have: Msg{Type: tHave, Seq: 3, Hash: head3[:], Refused: []Refusal{{Seq: 5, Reason: "made up"}}}},
		{name: "have refusals out of order", want: "malformed",
			have: Msg{Type: tHave, Seq: 3, Hash: head3[:], Refused: []Refusal{{Seq: 2, Reason: "b"}, {Seq: 1, Reason: "a"}}}},
		{name: "have refusal without a reason", want: "malformed",
			have: Msg{Type: tHave, Seq: 3, Hash: head3[:], Refused: []Refusal{{Seq: 2}}}},
		{name: "ack refuses an entry before the batch", want: "malformed",
			have: Msg{Type: tHave, Seq: 3, Hash: head3[:]}, refused: []Refusal{{Seq: 2, Reason: "never sent now"}}},
		{name: "ack refuses an entry after the batch", want: "malformed",
			have: Msg{Type: tHave, Seq: 3, Hash: head3[:]}, refused: []Refusal{{Seq: 7, Reason: "never sent"}}},
		{name: "ack names another hash", want: "diverged",
			have: Msg{Type: tHave, Seq: 3, Hash: head3[:]}, otherHash: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, st := openSync(t, w, w.emp, w.con)
			defer st.Reset()
			c.have.Contract = w.id[:]
			for _, m := range []Msg{{Type: tHello, Version: Version, Contract: w.id[:], Pull: true}, c.have} {
				if err := writeMsg(st, m); err != nil {
					t.Fatal(err)
				}
			}
			m, err := readMsg(st)
			if err == nil && m.Type == tBatch {
				// The last batch has the checkpoint right behind it.
				if cp, err := readMsg(st); err != nil || cp.Type != tCheckpoint {
					t.Fatalf("after the last batch: %+v, %v; want the checkpoint", cp, err)
				}
				last := w.chain.signed[m.Seq+uint64(len(m.Entries))-2].Hash
				if c.otherHash {
					last = head3
				}
				ack := Msg{Type: tAck, Contract: w.id[:], Seq: m.Seq + uint64(len(m.Entries)) - 1, Hash: last[:], Refused: c.refused}
				if err := writeMsg(st, ack); err != nil {
					t.Fatal(err)
				}
				m, err = readMsg(st)
			}
			if err != nil || m.Type != tReject || m.Code != c.want {
				t.Fatalf("got %+v, %v; want a reject %q", m, err, c.want)
			}
			t.Logf("reject %s: %s", m.Code, m.Reason)
			if got := w.con.snd.refusals(w.id); len(got) != 0 {
				t.Fatalf("the contractor recorded made-up refusals %v", got)
			}
			if acked, _ := w.con.snd.state(w.id); slices.Max(append(acked, 0)) > 3 {
				t.Fatalf("the contractor took acks %v beyond seq 3", acked)
			}
		})
	}
}

// A have repeats the latest refusals up to its own head, and no more than
// MaxHaveRefusals of them, so its frame stays small however many there are.
func TestRecentRefusals(t *testing.T) {
	var all []Refusal
	for seq := uint64(1); seq <= MaxHaveRefusals+10; seq++ {
		all = append(all, Refusal{Seq: seq, Reason: "r"})
	}
	got := recentRefusals(slices.Clone(all), MaxHaveRefusals+5)
	if len(got) != MaxHaveRefusals || got[0].Seq != 6 || got[len(got)-1].Seq != MaxHaveRefusals+5 {
		t.Fatalf("got %d refusals from seq %d to %d; want %d ending at the head", len(got), got[0].Seq, got[len(got)-1].Seq, MaxHaveRefusals)
	}
	if got := recentRefusals(all[:3], 0); got != nil {
		t.Fatalf("with an empty copy: %+v, want none", got)
	}
}
