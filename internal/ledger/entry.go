package ledger

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"
)

// Version is the payload format version every entry carries (CBOR key 1).
const Version = 1

// SegmentSeconds is the length of a segment; segment starts are multiples of it.
const SegmentSeconds = 600

// Kind says what an entry records.
type Kind uint8

const (
	KindAuto   Kind = 0 // a tracked segment with activity and images
	KindManual Kind = 1 // time the contractor added by hand: no activity, no images
	KindVoid   Kind = 2 // withdraws an earlier auto or manual entry
	// KindRecord binds a signed contract record (an end, pause,
	// amendment, dispute…) into the log; it adds no time.
	KindRecord Kind = 3
)

func (k Kind) String() string {
	switch k {
	case KindAuto:
		return "auto"
	case KindManual:
		return "manual"
	case KindVoid:
		return "void"
	case KindRecord:
		return "record"
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Role says which camera took an image.
type Role uint8

const (
	RoleScreenshot Role = 0
	RoleWebcam     Role = 1
)

// Entry is one approved segment (or a void) in a contract's log. Times are
// Unix seconds, UTC. The writer fills ContractID, LogID, Seq and Prev (see
// Log.Append); the rest comes from the diary.
type Entry struct {
	ContractID ContractID
	LogID      LogID
	Seq        uint64   // 1, 2, 3, … without gaps
	Prev       [32]byte // Hash of the entry at Seq-1; zero for Seq 1
	Start      int64    // segment start, a multiple of SegmentSeconds
	Kind       Kind
	Minutes    []Minute // tracked minutes only, by increasing Index
	Apps       []App
	Memo       string
	Images     []Image
	ApprovedAt int64
	Voids      *VoidRef // set exactly when Kind is KindVoid
	Limits     Limits   // what the session could not record; auto entries only
	// Corrects is the start (Unix seconds) of an earlier, closed week this
	// time corrects: it is time of its own week, named so that both
	// parties see what it makes up for. 0: none; never on a void.
	Corrects int64
	// Record is a signed contract record (KindRecord entries only), exact
	// bytes; the ledger checks its size, the contract package its meaning.
	Record []byte
}

// Minute is the input counted in one minute of a segment. Counts only: never
// which key or what text.
type Minute struct {
	Index   uint8 // 0..9, the minute within the segment
	Keys    uint32
	Clicks  uint32
	Scrolls uint32
	Moved   bool
}

// Active reports whether the minute saw any input.
func (m Minute) Active() bool {
	return m.Keys > 0 || m.Clicks > 0 || m.Scrolls > 0 || m.Moved
}

// App is time spent in one application during the segment.
type App struct {
	Process string // process name
	Title   string // window title at screenshot time; may be empty
	Seconds uint32
}

// Image commits to a screenshot or webcam image by hash, so an entry verifies
// without the image and a deleted image cannot be swapped for another.
type Image struct {
	Role     Role
	SHA256   ImageHash
	Size     uint64 // bytes of the stored file
	TakenAt  int64
	Width    uint32
	Height   uint32
	Blurred  bool
	Redacted bool // an excluded app was in front: the image is a placeholder
}

// VoidRef names the entry a void withdraws.
type VoidRef struct {
	Seq  uint64
	Hash [32]byte
}

// Signed is an entry together with the exact bytes that were signed. Bytes
// is what gets stored and sent; nothing is re-encoded before verifying.
type Signed struct {
	Bytes  []byte   // the tagged COSE_Sign1 message
	Hash   [32]byte // SHA-256(Bytes): what the next entry's Prev and a void refer to
	Entry  Entry
	Signer ed25519.PublicKey
}

// Head is where a log stands: the last entry's seq and hash. The zero Head
// is an empty log, whose next entry is seq 1 with a zero Prev.
type Head struct {
	Seq  uint64
	Hash [32]byte
}

// Head returns the head of a log whose last entry is s.
func (s Signed) Head() Head { return Head{Seq: s.Entry.Seq, Hash: s.Hash} }

func (h Head) String() string {
	return fmt.Sprintf("seq %d (%s)", h.Seq, short(h.Hash))
}

// logIDPrefix separates log IDs from every other SHA-256 in the system.
const logIDPrefix = "workdiary/log/v1\n"

// LogIDOf names the log a contractor writes for a contract. It binds the
// contractor's key, so a log ID alone says whose signatures to expect.
func LogIDOf(contractID ContractID, contractor ed25519.PublicKey) LogID {
	h := sha256.New()
	h.Write([]byte(logIDPrefix))
	h.Write(contractID[:])
	h.Write(contractor)
	var id LogID
	h.Sum(id[:0])
	return id
}

// Void returns a void entry that withdraws target (see Signed.Summary; a
// store can build the summary from its index). The writer fills the chain
// fields; the memo says why.
func Void(target Summary, reason string, approvedAt int64) Entry {
	return Entry{
		Start:      target.Start,
		Kind:       KindVoid,
		Memo:       reason,
		ApprovedAt: approvedAt,
		Voids:      &VoidRef{Seq: target.Seq, Hash: target.Hash},
	}
}

// BindRecord returns an entry that binds the signed contract record into
// the log at approvedAt (Unix seconds). Its segment start is the segment
// of approvedAt, so the entry has one byte form.
func BindRecord(record []byte, approvedAt int64) Entry {
	return Entry{Start: approvedAt - approvedAt%SegmentSeconds, Kind: KindRecord, ApprovedAt: approvedAt, Record: record}
}

// short abbreviates a hash for error messages; the full value is in the data.
func short(h [32]byte) string { return hex.EncodeToString(h[:6]) }

func fmtTime(unix int64) string {
	return time.Unix(unix, 0).UTC().Format(time.RFC3339)
}
