package syncp2p

import (
	"fmt"
	"unicode/utf8"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/cose"
	"github.com/workdiary/workdiary/internal/ledger"
)

// Version of the message set; a peer with another version is refused with
// a clear reason.
const Version = 1

// Message types.
const (
	tHello      = 1  // dialer → listener: which contract; optional acceptance; pull
	tHave       = 2  // employer → contractor: the head of the employer's copy, its refusals
	tBatch      = 3  // contractor → employer: the next entries
	tAck        = 4  // employer → contractor: batch committed up to seq/hash, its refusals
	tReject     = 5  // either way: refused, with a code and a reason
	tCheckpoint = 6  // contractor → employer: signed note of the whole log
	tReceipt    = 7  // employer → contractor: the note, cosigned
	tBlobGet    = 8  // employer → contractor: an image by hash
	tBlob       = 9  // contractor → employer: the image's hash; its bytes follow as the next frame
	tAccept     = 10 // contractor → employer (pairing): signed acceptance
	tAccepted   = 11 // employer → contractor: acceptance recorded
	tWait       = 12 // employer → contractor, before the have: busy with other rounds, still there (only to a hello with a seq)
)

// keptClosesVersion, on a checkpoint with closes, says that the contractor
// takes, for a week the employer already closed at another size, the close
// the employer kept (docs/format.md §5.3). A node older than that answer
// leaves key 2 out of a checkpoint and refuses a close it did not send, so
// it is not sent one; an older employer ignores key 2 there.
const keptClosesVersion = 1

// Msg is every message: one type, the fields it uses. Encoded as
// deterministic CBOR, decoded strictly, so a message has one byte form.
type Msg struct {
	Type       uint8    `cbor:"1,keyasint"`
	Version    uint16   `cbor:"2,keyasint,omitempty"` // hello: Version; checkpoint with closes: keptClosesVersion
	Contract   []byte   `cbor:"3,keyasint,omitempty"`
	Seq        uint64   `cbor:"4,keyasint,omitempty"` // hello: the waits (tWait) the contractor accepts before the have
	Hash       []byte   `cbor:"5,keyasint,omitempty"`
	Entries    [][]byte `cbor:"6,keyasint,omitempty"`
	Note       []byte   `cbor:"7,keyasint,omitempty"`
	Code       string   `cbor:"8,keyasint,omitempty"`
	Reason     string   `cbor:"9,keyasint,omitempty"`
	Acceptance []byte   `cbor:"11,keyasint,omitempty"`
	Pull       bool     `cbor:"12,keyasint,omitempty"`
	// Refused lists entries the employer keeps but refused (have: all of
	// the copy's; ack: the batch's), by increasing seq, none after Seq.
	Refused []Refusal `cbor:"13,keyasint,omitempty"`
	// Proof goes with a first Acceptance: the contractor holds the
	// invite's pairing secret (contract.Contract.PairingProof).
	Proof []byte `cbor:"14,keyasint,omitempty"`
	// Closes go with a checkpoint: the contractor's signed closes of the
	// weeks whose deadline has passed (docs/format.md §5.3).
	Closes [][]byte `cbor:"15,keyasint,omitempty"`
	// Cosigned goes with a receipt: those closes the employer cosigned.
	Cosigned [][]byte `cbor:"16,keyasint,omitempty"`
	// Records (have only) are contract records the employer signed for
	// the contractor's node to bind into its log (contract.Lifecycle.Bind):
	// an end, pause, resumption, amendment or dispute.
	Records [][]byte `cbor:"18,keyasint,omitempty"`
	// Key 10 is not used: an image travels as a bare frame after its tBlob.
}

// MaxRecords bounds the records one have offers; more wait for the next
// round.
const MaxRecords = 16

// Encode returns the message's bytes.
func (m Msg) Encode() ([]byte, error) { return cose.Marshal(m) }

// Decode reads one message and checks that its fields suit its type.
func Decode(b []byte) (Msg, error) {
	var m Msg
	if err := cose.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if m.Type < tHello || m.Type > tWait {
		return m, fmt.Errorf("%w: unknown message type %d", ErrMalformed, m.Type)
	}
	if m.Contract != nil && len(m.Contract) != 32 {
		return m, fmt.Errorf("%w: contract ID is %d bytes", ErrMalformed, len(m.Contract))
	}
	if m.Proof != nil && (len(m.Proof) != 32 || m.Acceptance == nil) {
		return m, fmt.Errorf("%w: a pairing proof is 32 bytes and goes with an acceptance", ErrMalformed)
	}
	if m.Hash != nil && len(m.Hash) != 32 {
		return m, fmt.Errorf("%w: hash is %d bytes", ErrMalformed, len(m.Hash))
	}
	if m.Type == tHello && m.Version != Version {
		return m, fmt.Errorf("%w: protocol version %d, this node speaks %d (update Workdiary)", ErrVersion, m.Version, Version)
	}
	if err := m.checkRefused(); err != nil {
		return m, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if err := m.checkCloses(); err != nil {
		return m, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if err := m.checkRecords(); err != nil {
		return m, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return m, nil
}

// MaxRefusalReason bounds the text of one refusal, in bytes.
const MaxRefusalReason = 1000

// checkRefused admits refusals only where the employer reports them, each
// for an entry at or before the message's seq, in order, with a reason a
// person can read.
func (m Msg) checkRefused() error {
	if m.Refused == nil {
		return nil
	}
	if len(m.Refused) == 0 {
		return fmt.Errorf("an empty list of refusals (leave it out)")
	}
	if m.Type != tHave && m.Type != tAck {
		return fmt.Errorf("message type %d carries refusals", m.Type)
	}
	var last uint64
	for _, r := range m.Refused {
		switch {
		case r.Seq <= last || r.Seq > m.Seq:
			return fmt.Errorf("refusal of seq %d: want increasing seqs from 1 to %d", r.Seq, m.Seq)
		case r.Reason == "" || len(r.Reason) > MaxRefusalReason || !utf8.ValidString(r.Reason):
			return fmt.Errorf("refusal of seq %d: the reason must be valid UTF-8 of 1 to %d bytes", r.Seq, MaxRefusalReason)
		}
		last = r.Seq
	}
	return nil
}

// checkRecords admits records only in a have, a few of bounded size.
func (m Msg) checkRecords() error {
	switch {
	case m.Records == nil:
		return nil
	case m.Type != tHave:
		return fmt.Errorf("message type %d carries contract records", m.Type)
	case len(m.Records) == 0 || len(m.Records) > MaxRecords:
		return fmt.Errorf("%d contract records, want 1 to %d", len(m.Records), MaxRecords)
	}
	for i, r := range m.Records {
		if len(r) == 0 || len(r) > ledger.MaxRecordBytes {
			return fmt.Errorf("contract record %d is %d bytes, want 1 to %d", i, len(r), ledger.MaxRecordBytes)
		}
	}
	return nil
}

func (m Msg) contract() (contract.ID, error) {
	var id contract.ID
	if len(m.Contract) != 32 {
		return id, fmt.Errorf("%w: message type %d without a contract ID", ErrMalformed, m.Type)
	}
	copy(id[:], m.Contract)
	return id, nil
}
