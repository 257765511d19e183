package ledger

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

// ErrNotWeekClose: a note offered as a week close is not one, or does not
// close the week it should (docs/format.md §5.3).
var ErrNotWeekClose = errors.New("not a week close")

// WeekClose is a checkpoint that closes one contract week: both parties
// sign that the log had Size entries when the week closed, which of them
// have time in the week (Count of them, hashed into Digest) and which
// acceptance started the contract. Entries for the week after Size are
// refused by both sides, and a bundle of the week proves its entries
// against it (docs/format.md §5.3).
type WeekClose struct {
	Checkpoint
	Week       int64    // the week's start, Unix seconds
	Count      uint64   // entries up to Size with time in the week
	Digest     [32]byte // WeekDigest of those entries
	Acceptance [32]byte // SHA-256 of the signed acceptance
}

// Text is the note body: the checkpoint's three lines, then three
// extension lines (C2SP tlog-checkpoint allows them), so a week close can
// never be read as a plain checkpoint, or a checkpoint as a close.
func (w WeekClose) Text() string {
	return w.Checkpoint.Text() +
		"week " + strconv.FormatInt(w.Week, 10) + "\n" +
		"entries " + strconv.FormatUint(w.Count, 10) + " " + base64.StdEncoding.EncodeToString(w.Digest[:]) + "\n" +
		"acceptance " + hex.EncodeToString(w.Acceptance[:]) + "\n"
}

func (w WeekClose) String() string {
	return fmt.Sprintf("week %s closed at size %d (%d entries of the week)", fmtTime(w.Week), w.Size, w.Count)
}

// ParseWeekClose reads a week close body, accepting only the form Text
// writes.
func ParseWeekClose(text string) (WeekClose, error) {
	lines := strings.SplitAfter(text, "\n")
	if len(lines) != 7 || lines[6] != "" {
		return WeekClose{}, fmt.Errorf("%w: body has %d lines, want a checkpoint and week, entries and acceptance", ErrNotWeekClose, len(lines)-1)
	}
	c, err := ParseCheckpoint(strings.Join(lines[:3], ""))
	if err != nil {
		return WeekClose{}, fmt.Errorf("%w: %w", ErrNotWeekClose, err)
	}
	w := WeekClose{Checkpoint: c}
	week, ok := strings.CutPrefix(lines[3], "week ")
	entries, ok2 := strings.CutPrefix(lines[4], "entries ")
	acc, ok3 := strings.CutPrefix(lines[5], "acceptance ")
	count, digest, ok4 := strings.Cut(strings.TrimSuffix(entries, "\n"), " ")
	if !ok || !ok2 || !ok3 || !ok4 {
		return WeekClose{}, fmt.Errorf("%w: want the lines week, entries and acceptance", ErrNotWeekClose)
	}
	if w.Week, err = strconv.ParseInt(strings.TrimSuffix(week, "\n"), 10, 64); err != nil || w.Week < 0 {
		return WeekClose{}, fmt.Errorf("%w: week %q is not Unix seconds", ErrNotWeekClose, week)
	}
	if w.Count, err = strconv.ParseUint(count, 10, 64); err != nil || w.Count > w.Size {
		return WeekClose{}, fmt.Errorf("%w: %q entries of a log of %d", ErrNotWeekClose, count, w.Size)
	}
	d, err := base64.StdEncoding.Strict().DecodeString(digest)
	if err != nil || len(d) != 32 {
		return WeekClose{}, fmt.Errorf("%w: digest %q is not 32 bytes of base64", ErrNotWeekClose, digest)
	}
	copy(w.Digest[:], d)
	if a, err := hex.DecodeString(strings.TrimSuffix(acc, "\n")); err != nil || len(a) != 32 {
		return WeekClose{}, fmt.Errorf("%w: acceptance %q is not a SHA-256 in hex", ErrNotWeekClose, acc)
	} else {
		copy(w.Acceptance[:], a)
	}
	if w.Text() != text { // leading zeros, signs, upper case: one form only
		return WeekClose{}, fmt.Errorf("%w: body is not in canonical form", ErrNotWeekClose)
	}
	return w, nil
}

// InWeek reports whether an entry's segment has time in [from, to): a
// week that does not start on a segment boundary shares a segment with
// the week before.
func InWeek(e Entry, from, to int64) bool { return e.Start+SegmentSeconds > from && e.Start < to }

// OfWeek reports whether a week's close counts e: time of the week (and
// the voids of it), and every contract record, whenever bound, since the
// terms in force that week (an end, a pause, an amendment, a dispute)
// follow from all the records before the close.
func OfWeek(e Entry, from, to int64) bool { return ofWeek(e.Kind, e.Start, from, to) }

func ofWeek(k Kind, start, from, to int64) bool {
	return k == KindRecord || start+SegmentSeconds > from && start < to
}

// WeekEntries are the entries of log (in seq order) a close of [from,
// to) counts (OfWeek): its time of every kind, so a void travels with the
// week of the time it withdraws, and the contract records.
func WeekEntries(log []Signed, from, to int64) []Signed {
	var out []Signed
	for _, s := range log {
		if OfWeek(s.Entry, from, to) {
			out = append(out, s)
		}
	}
	return out
}

// WeekDigest is SHA-256 over the leaf hashes of entries, in order: what a
// week close signs about which entries the week has.
func WeekDigest(entries [][]byte) [32]byte {
	h := sha256.New()
	for _, e := range entries {
		l := LeafHash(e)
		h.Write(l[:])
	}
	return [32]byte(h.Sum(nil))
}

// NewWeekClose is the close of the week [from, to) of a log whose entries
// (all of them, seq 1 on, verified) are log.
func NewWeekClose(logID LogID, log []Signed, from, to int64, acceptance []byte) WeekClose {
	all := make([][]byte, len(log))
	for i, s := range log {
		all[i] = s.Bytes
	}
	return WeekCloseAt(CheckpointFor(logID, all), log, from, to, acceptance)
}

// WeekCloseAt is NewWeekClose given the log's checkpoint, computed once
// for the closes of several weeks.
func WeekCloseAt(cp Checkpoint, log []Signed, from, to int64, acceptance []byte) WeekClose {
	l := StoredLog{raw: make([][]byte, len(log)), fields: make([]kindStart, len(log))}
	for i, s := range log {
		l.raw[i], l.fields[i] = s.Bytes, kindStart{Start: s.Entry.Start, Kind: s.Entry.Kind}
	}
	return l.WeekCloseAt(cp, from, to, acceptance)
}

// SignWeekClose returns w as a signed note with one signature.
func SignWeekClose(key ed25519.PrivateKey, name string, w WeekClose) ([]byte, error) {
	s, err := newNoteSigner(key, name)
	if err != nil {
		return nil, err
	}
	return note.Sign(&note.Note{Text: w.Text()}, s)
}

// OpenWeekClose verifies a signed week close as OpenCheckpoint does a
// checkpoint: every signature by a known key, and returns its signers.
func OpenWeekClose(msg []byte, known ...NoteKey) (WeekClose, []NoteKey, error) {
	var w WeekClose
	signers, err := openNote(msg, func(text string) (err error) {
		w, err = ParseWeekClose(text)
		return err
	}, func() string { return w.String() }, known)
	if err != nil {
		return WeekClose{}, nil, err
	}
	return w, signers, nil
}

// OpenCosignedClose checks that cosigned is the employer's cosignature of
// exactly the close sent, as OpenReceipt does for checkpoints.
func OpenCosignedClose(sent, cosigned []byte, contractor, employer NoteKey) (WeekClose, error) {
	want, signers, err := OpenWeekClose(sent, contractor)
	if err != nil || len(signers) != 1 {
		return WeekClose{}, fmt.Errorf("%w: the close sent does not open: %v", ErrNotReceipt, err)
	}
	got, signers, err := OpenWeekClose(cosigned, contractor, employer)
	switch {
	case err != nil:
		return WeekClose{}, fmt.Errorf("%w: %v", ErrNotReceipt, err)
	case got != want || !bytes.HasPrefix(cosigned, sent):
		return WeekClose{}, fmt.Errorf("%w: it cosigns %v, the close sent is %v", ErrNotReceipt, got, want)
	case len(signers) != 2 || signers[1].Name != employer.Name:
		return WeekClose{}, fmt.Errorf("%w: %v: the employer's cosignature is missing", ErrNotReceipt, want)
	}
	return want, nil
}

// PeekWeekClose reads a note's week close without verifying signatures:
// for a note from one's own store, or whose signatures are checked next.
func PeekWeekClose(msg []byte) (WeekClose, error) {
	n, err := parseNote(msg, func(text string) error { _, err := ParseWeekClose(text); return err })
	if err != nil {
		return WeekClose{}, err
	}
	return ParseWeekClose(n.Text)
}

func checkpointBody(text string) error { _, err := ParseCheckpoint(text); return err }

// anyBody admits a checkpoint or a week close.
func anyBody(text string) error {
	if _, err := ParseCheckpoint(text); err == nil {
		return nil
	}
	_, err := ParseWeekClose(text)
	return err
}
