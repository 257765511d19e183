package ledger

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

// OriginPrefix starts every checkpoint origin line; the log ID in lowercase
// hex follows. It makes a checkpoint name the log it is about.
const OriginPrefix = "workdiary.log/"

// Checkpoint is the signed state of a log (C2SP tlog-checkpoint): the number
// of entries and the RFC 6962 root over them.
type Checkpoint struct {
	LogID LogID
	Size  uint64
	Root  [32]byte
}

// Origin returns the checkpoint's origin line (without newline).
func (c Checkpoint) Origin() string { return OriginPrefix + hex.EncodeToString(c.LogID[:]) }

// Text returns the note body: origin, size in decimal and root in standard
// base64, each line ending in a newline, and nothing else.
func (c Checkpoint) Text() string {
	return c.Origin() + "\n" + strconv.FormatUint(c.Size, 10) + "\n" +
		base64.StdEncoding.EncodeToString(c.Root[:]) + "\n"
}

func (c Checkpoint) String() string {
	return fmt.Sprintf("checkpoint %s… size %d root %s", hex.EncodeToString(c.LogID[:6]), c.Size, short(c.Root))
}

// ParseCheckpoint parses a note body. It accepts only the form Text writes
// (no extension lines, no leading zeros, canonical base64), so a checkpoint
// has one text and a signature over it cannot be replayed over another.
func ParseCheckpoint(text string) (Checkpoint, error) {
	lines := strings.Split(text, "\n")
	if len(lines) != 4 || lines[3] != "" {
		return Checkpoint{}, fmt.Errorf("%w: body has %d lines, want exactly origin, size and root", ErrMalformedCheckpoint, len(lines)-1)
	}
	var c Checkpoint
	id, ok := strings.CutPrefix(lines[0], OriginPrefix)
	if !ok || len(id) != 64 {
		return Checkpoint{}, fmt.Errorf("%w: origin %q, want %s followed by a 64-digit log ID", ErrMalformedCheckpoint, lines[0], OriginPrefix)
	}
	if _, err := hex.Decode(c.LogID[:], []byte(id)); err != nil || hex.EncodeToString(c.LogID[:]) != id {
		return Checkpoint{}, fmt.Errorf("%w: origin %q: log ID is not lowercase hex", ErrMalformedCheckpoint, lines[0])
	}
	size, err := strconv.ParseUint(lines[1], 10, 64)
	if err != nil || strconv.FormatUint(size, 10) != lines[1] {
		return Checkpoint{}, fmt.Errorf("%w: size %q is not a decimal number without leading zeros", ErrMalformedCheckpoint, lines[1])
	}
	c.Size = size
	// Even the strict decoder skips CR and LF, so compare the re-encoding too.
	root, err := base64.StdEncoding.Strict().DecodeString(lines[2])
	if err != nil || len(root) != 32 || base64.StdEncoding.EncodeToString(root) != lines[2] {
		return Checkpoint{}, fmt.Errorf("%w: root %q is not 32 bytes of standard base64", ErrMalformedCheckpoint, lines[2])
	}
	copy(c.Root[:], root)
	return c, nil
}

// CheckpointFor returns the checkpoint of a log whose entries (exact signed
// bytes, in seq order) are given.
func CheckpointFor(logID LogID, entries [][]byte) Checkpoint {
	return Checkpoint{LogID: logID, Size: uint64(len(entries)), Root: MerkleRoot(leafHashes(entries))}
}

// CheckCheckpoint checks c against one's own copy of the log: same log, same
// number of entries, same root. Pass exactly the first c.Size entries to
// check an older checkpoint.
func CheckCheckpoint(c Checkpoint, logID LogID, entries [][]byte) error {
	switch {
	case c.LogID != logID:
		return fmt.Errorf("%w: checkpoint is for log %s, want %s", ErrCheckpointMismatch, short(c.LogID), short(logID))
	case c.Size != uint64(len(entries)):
		return fmt.Errorf("%w: checkpoint has %d entries, the log has %d", ErrCheckpointMismatch, c.Size, len(entries))
	}
	if root := MerkleRoot(leafHashes(entries)); root != c.Root {
		return fmt.Errorf("%w: size %d: checkpoint root %s, the entries give %s", ErrCheckpointMismatch, c.Size, short(c.Root), short(root))
	}
	return nil
}

// VerifyConsistency checks that newer extends older: same log, and the
// proof (from ConsistencyProof) links the two roots.
func VerifyConsistency(older, newer Checkpoint, proof [][32]byte) error {
	if older.LogID != newer.LogID {
		return fmt.Errorf("%w: checkpoints of two logs, %s and %s", ErrNotConsistent, short(older.LogID), short(newer.LogID))
	}
	return VerifyConsistencyProof(older.Size, newer.Size, older.Root, newer.Root, proof)
}

func leafHashes(entries [][]byte) [][32]byte {
	out := make([][32]byte, len(entries))
	for i, e := range entries {
		out[i] = LeafHash(e)
	}
	return out
}
