package syncp2p

import (
	"crypto/ed25519"
	"fmt"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/ledger"
)

// Reply is the employer's half of a round carried by hand: what a live
// round's have and receipt would tell the contractor (docs/format.md §6).
// It is the answer to the contractor's log file, written by the employer
// after importing it.
type Reply struct {
	Contract contract.ID
	// Receipt is the newest checkpoint the employer cosigned (nil while
	// it has cosigned none).
	Receipt []byte
	// Cosigned are the week closes the employer cosigned and kept, the
	// newest MaxReplyCloses weeks: a contractor that missed a reply gets
	// them from the next.
	Cosigned [][]byte
	// Records are the employer's contract records its copy does not bind
	// yet (an end, pause, resumption, amendment or dispute), as a have
	// carries them.
	Records [][]byte
	// Refused are the entries the employer keeps but refused, none after
	// the receipt's size.
	Refused []Refusal
}

// MaxReplyCloses bounds the cosigned closes a reply carries: more than a
// year of weeks.
const MaxReplyCloses = 64

// Kept is a Receiver that hands back what it kept for a contract: its
// newest receipt and the week closes it cosigned (newest weeks last, at
// most max), for the reply file.
type Kept interface {
	NewestReceipt(contract contract.ID) ([]byte, error)
	CosignedCloses(contract contract.ID, max int) ([][]byte, error)
}

// MakeReply gathers the reply to hand the contractor of contract id.
func MakeReply(r Receiver, id contract.ID) (Reply, error) {
	k, ok := r.(Kept)
	if !ok {
		return Reply{}, fmt.Errorf("this store keeps no receipts to reply with")
	}
	rep := Reply{Contract: id}
	var err error
	if rep.Receipt, err = k.NewestReceipt(id); err != nil {
		return Reply{}, err
	}
	if rep.Cosigned, err = k.CosignedCloses(id, MaxReplyCloses); err != nil {
		return Reply{}, err
	}
	if rep.Records, err = r.Proposed(id); err != nil {
		return Reply{}, err
	}
	if len(rep.Records) > MaxRecords {
		rep.Records = rep.Records[:MaxRecords]
	}
	refused, err := r.Refusals(id)
	if err != nil {
		return Reply{}, err
	}
	size, err := rep.size()
	if err != nil {
		return Reply{}, err
	}
	rep.Refused = recentRefusals(refused, size)
	return rep, rep.check()
}

// size is the log size the receipt cosigns (0 without one).
func (r Reply) size() (uint64, error) {
	if r.Receipt == nil {
		return 0, nil
	}
	cp, err := ledger.PeekCheckpoint(r.Receipt)
	if err != nil {
		return 0, fmt.Errorf("%w: the receipt: %v", ErrCheckpoint, err)
	}
	return cp.Size, nil
}

// check holds a reply to what a have and a receipt may carry: a few
// members, each of a note's or a record's size, none twice, refusals in
// order and within the receipt's size.
func (r Reply) check() error {
	size, err := r.size()
	if err != nil {
		return err
	}
	if len(r.Cosigned) > MaxReplyCloses || len(r.Refused) > MaxHaveRefusals {
		return fmt.Errorf("%w: %d cosigned week closes and %d refusals, at most %d and %d", ErrMalformed,
			len(r.Cosigned), len(r.Refused), MaxReplyCloses, MaxHaveRefusals)
	}
	if err := distinct("cosigned week close", r.Cosigned, ledger.MaxCheckpointSize); err != nil {
		return err
	}
	if err := distinct("contract record", r.Records, ledger.MaxRecordBytes); err != nil {
		return err
	}
	have := Msg{Type: tHave, Seq: size, Refused: r.Refused, Records: r.Records}
	if err := have.checkRecords(); err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if err := have.checkRefused(); err != nil {
		return fmt.Errorf("%w: %v (the receipt cosigns %d entries)", ErrMalformed, err, size)
	}
	return nil
}

// distinct refuses an empty or oversized member, and one given twice.
func distinct(what string, list [][]byte, max int) error {
	seen := map[string]int{}
	for i, b := range list {
		if len(b) == 0 || len(b) > max {
			return fmt.Errorf("%w: %s %d is %d bytes, want 1 to %d", ErrMalformed, what, i+1, len(b), max)
		}
		if j, ok := seen[string(b)]; ok {
			return fmt.Errorf("%w: %s %d repeats %d", ErrMalformed, what, i+1, j+1)
		}
		seen[string(b)] = i + 1
	}
	return nil
}

// ImportReply applies the employer's reply on the contractor's side, with
// the checks of a live round: each cosigned close and the receipt must
// cosign a note this node signed for this contract's log (a stale,
// foreign or half-signed one is ErrCheckpoint), the records bind as a
// have's would (Sender.Bind), then the refusals are recorded and the
// entries the receipt covers count as synced. The closes and the receipt
// are checked before anything is kept, each part all or nothing, and the
// first part refused stops the import.
func ImportReply(s Sender, employer peer.ID, r Reply) error {
	if err := r.check(); err != nil {
		return err
	}
	head, err := s.SenderHead(r.Contract, employer)
	if err != nil {
		return err
	}
	size, err := r.size()
	if err != nil {
		return err
	}
	if size > head.Seq {
		return fmt.Errorf("%w: the employer cosigned %d entries, this log has %d", ErrDiverged, size, head.Seq)
	}
	if len(r.Cosigned) > 0 {
		wc, ok := s.(WeekCloser)
		if !ok {
			return fmt.Errorf("%w: the reply carries week closes, which this log does not take", ErrCheckpoint)
		}
		sent := make([][]byte, len(r.Cosigned))
		for i, c := range r.Cosigned {
			if sent[i], err = ledger.FirstSigned(c); err != nil {
				return fmt.Errorf("%w: cosigned week close %d: %v", ErrCheckpoint, i+1, err)
			}
		}
		if err := wc.ClosesCosigned(r.Contract, sent, r.Cosigned); err != nil {
			return err
		}
	}
	if r.Receipt != nil {
		sent, err := ledger.FirstSigned(r.Receipt)
		if err != nil {
			return fmt.Errorf("%w: the receipt: %v", ErrCheckpoint, err)
		}
		if err := s.Receipt(r.Contract, sent, r.Receipt); err != nil {
			return err
		}
	}
	if len(r.Records) > 0 {
		if err := s.Bind(r.Contract, r.Records); err != nil {
			return err
		}
	}
	if err := s.Refused(r.Contract, r.Refused); err != nil {
		return err
	}
	if size > 0 {
		return s.Acked(r.Contract, size)
	}
	return nil
}

// NoteKey is the key that verifies a party's signatures on checkpoint
// notes and week closes: named by its peer ID.
func NoteKey(pub ed25519.PublicKey) ledger.NoteKey {
	return ledger.NoteKey{Name: identity.PeerIDOf(pub).String(), Public: pub}
}
