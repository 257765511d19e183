package syncp2p

import (
	"bytes"
	"testing"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/ledger"
)

// keptReceiver is an employer's store that already closed a week at
// another size: it cosigns no close now, and keeps that one.
type keptReceiver struct {
	*fakeReceiver
	kept []byte
}

func (k keptReceiver) CosignCloses(contract.ID, [][]byte) ([][]byte, error) { return nil, nil }
func (keptReceiver) NewestReceipt(contract.ID) ([]byte, error)              { return nil, nil }
func (k keptReceiver) CosignedCloses(contract.ID, int) ([][]byte, error) {
	return [][]byte{k.kept}, nil
}

// The employer answers a close of a week it already closed at another
// size with the close it kept only to a contractor that says it takes one
// (key 2 on its checkpoint): an older contractor would refuse a close it
// did not send and end the round, so it gets the answer it always got.
func TestKeptCloseOnlyToContractorsThatTakeIt(t *testing.T) {
	w := newWorld(t, "tcp", defaultTerms())
	w.chain.add(2)
	w.serve(w.chain.bytes())
	if err := w.push(); err != nil {
		t.Fatal(err)
	}
	logID := ledger.LogIDOf(w.id, w.con.pub())
	week := base.AddDate(0, 0, -7).Unix()
	sign := func(size uint64) []byte {
		t.Helper()
		wc := ledger.NewWeekClose(logID, w.chain.signed[:size], week, week+7*24*3600, []byte("acceptance"))
		note, err := ledger.SignWeekClose(w.con.key, w.con.id.String(), wc)
		if err != nil {
			t.Fatal(err)
		}
		return note
	}
	kept, err := ledger.Cosign(sign(1), w.emp.key, w.emp.id.String())
	if err != nil {
		t.Fatal(err)
	}
	w.emp.svc.Receiver = keptReceiver{w.emp.rcv, kept}
	note, err := w.con.snd.Checkpoint(w.id)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		version uint16
		want    [][]byte
	}{{"an older contractor", 0, nil}, {"a contractor that takes kept closes", keptClosesVersion, [][]byte{kept}}} {
		t.Run(c.name, func(t *testing.T) {
			_, st := openSync(t, w, w.con, w.emp)
			defer st.Close()
			if err := writeMsg(st, Msg{Type: tHello, Version: Version, Contract: w.id[:]}); err != nil {
				t.Fatal(err)
			}
			if m, err := readMsg(st); err != nil || m.Type != tHave || m.Seq != 2 {
				t.Fatalf("after hello: %+v %v; want a have of seq 2", m, err)
			}
			cp := Msg{Type: tCheckpoint, Contract: w.id[:], Note: note, Closes: [][]byte{sign(2)}, Version: c.version}
			if err := writeMsg(st, cp); err != nil {
				t.Fatal(err)
			}
			r, err := readMsg(st)
			if err != nil || r.Type != tReceipt {
				t.Fatalf("after the checkpoint: %+v %v; want a receipt", r, err)
			}
			if len(r.Cosigned) != len(c.want) || (len(c.want) > 0 && !bytes.Equal(r.Cosigned[0], c.want[0])) {
				t.Fatalf("the receipt carries %d closes %q, want %q", len(r.Cosigned), r.Cosigned, c.want)
			}
		})
	}
}
