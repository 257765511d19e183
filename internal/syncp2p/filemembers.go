package syncp2p

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/cose"
	"github.com/workdiary/workdiary/internal/ledger"
)

// The files of the offline transport (docs/format.md §6) are zip archives
// whose "format" member names what they are. A log file written before
// that member existed is FormatLog of version 1.
const (
	FormatMember = "format"
	FormatLog    = "workdiary-log 2"
	FormatReply  = "workdiary-reply 2"
	// fileVersion is the newest version of either kind this release reads.
	fileVersion = 2
)

// ErrNewerFile: a file written by a newer release, in a form this one
// does not read.
var ErrNewerFile = errors.New("the file was written by a newer Workdiary; update to import it")

// FileKind reads a file's format member (nil when it has none): FormatLog
// or FormatReply.
func FileKind(format []byte) (string, error) {
	if format == nil {
		return FormatLog, nil
	}
	line := strings.TrimSuffix(string(format), "\n")
	switch line {
	case FormatLog, FormatReply:
		return line, nil
	}
	kind, v, _ := strings.Cut(line, " ")
	if n, err := strconv.Atoi(v); err == nil && n > fileVersion && (kind == "workdiary-log" || kind == "workdiary-reply") {
		return "", fmt.Errorf("%w (%q)", ErrNewerFile, line)
	}
	return "", fmt.Errorf("%w: the format member says %q, not a Workdiary log file or reply", ErrMalformed, clipReason(line))
}

// Member is one file of an archive, by name.
type Member struct {
	Name string
	Data []byte
}

// Members of a reply file, besides FormatMember.
const (
	replyContract = "contract"
	replyReceipt  = "receipt.note"
	replyRefused  = "refusals.cbor"
	replyCloses   = "closes/"
	replyRecords  = "records/"
)

// ClosesDir holds the week closes in a log file and in a reply, one note
// each, numbered from 0001.
const ClosesDir = replyCloses

// CloseMember is the name of the i-th (from 1) week close of a file.
func CloseMember(i int) string { return fmt.Sprintf("%s%04d.note", replyCloses, i) }

// ReplyMemberSize is the most bytes a reply's member may unpack to, for
// the archive reader's limits (0: no such member).
func ReplyMemberSize(name string) uint64 {
	switch dir, _ := path.Split(name); {
	case name == FormatMember:
		return 64
	case name == replyContract:
		return 65
	case name == replyReceipt, dir == replyCloses:
		return ledger.MaxCheckpointSize
	case dir == replyRecords:
		return ledger.MaxRecordBytes
	case name == replyRefused:
		return MaxHaveRefusals * (MaxRefusalReason + 16)
	}
	return 0
}

// ReplyMembers is the reply as the members of its file.
func (r Reply) Members() ([]Member, error) {
	out := []Member{{FormatMember, []byte(FormatReply + "\n")}, {replyContract, []byte(hex.EncodeToString(r.Contract[:]) + "\n")}}
	if r.Receipt != nil {
		out = append(out, Member{replyReceipt, r.Receipt})
	}
	for i, c := range r.Cosigned {
		out = append(out, Member{CloseMember(i + 1), c})
	}
	for i, rec := range r.Records {
		out = append(out, Member{fmt.Sprintf("%s%04d.cose", replyRecords, i+1), rec})
	}
	if len(r.Refused) > 0 {
		b, err := cose.Marshal(r.Refused)
		if err != nil {
			return nil, err
		}
		out = append(out, Member{replyRefused, b})
	}
	return out, nil
}

// DecodeReply reads a reply file's members: each known, none twice,
// closes and records numbered from 1 without a gap, the refusals strict
// CBOR, and the whole within what a have and a receipt may carry.
func DecodeReply(members []Member) (Reply, error) {
	var r Reply
	seen := map[string]bool{}
	closes, records := map[string][]byte{}, map[string][]byte{}
	var contractHex []byte
	for _, m := range members {
		if seen[m.Name] {
			return Reply{}, fmt.Errorf("%w: %q appears twice in the reply", ErrMalformed, m.Name)
		}
		seen[m.Name] = true
		if max := ReplyMemberSize(m.Name); max == 0 {
			return Reply{}, fmt.Errorf("%w: unexpected file %q in a reply", ErrMalformed, clipReason(m.Name))
		} else if uint64(len(m.Data)) > max {
			return Reply{}, fmt.Errorf("%w: %s is %d bytes, at most %d", ErrMalformed, m.Name, len(m.Data), max)
		}
		switch dir, _ := path.Split(m.Name); {
		case m.Name == FormatMember:
			if kind, err := FileKind(m.Data); err != nil {
				return Reply{}, err
			} else if kind != FormatReply {
				return Reply{}, fmt.Errorf("%w: a %s file, not a reply", ErrMalformed, kind)
			}
		case m.Name == replyContract:
			contractHex = m.Data
		case m.Name == replyReceipt:
			r.Receipt = m.Data
		case m.Name == replyRefused:
			if err := cose.Unmarshal(m.Data, &r.Refused); err != nil || len(r.Refused) == 0 {
				return Reply{}, fmt.Errorf("%w: %s: want a non-empty list of refusals: %v", ErrMalformed, m.Name, err)
			}
		case dir == replyCloses:
			closes[m.Name] = m.Data
		default:
			records[m.Name] = m.Data
		}
	}
	if !seen[FormatMember] {
		return Reply{}, fmt.Errorf("%w: a reply without its %q member", ErrMalformed, FormatMember)
	}
	id, err := hex.DecodeString(strings.TrimSuffix(string(contractHex), "\n"))
	if err != nil || len(id) != 32 || !bytes.HasSuffix(contractHex, []byte("\n")) {
		return Reply{}, fmt.Errorf("%w: the %q member is not a contract ID in hex", ErrMalformed, replyContract)
	}
	r.Contract = contract.ID(id)
	if r.Cosigned, err = Numbered(closes, CloseMember, MaxReplyCloses); err != nil {
		return Reply{}, err
	}
	recName := func(i int) string { return fmt.Sprintf("%s%04d.cose", replyRecords, i) }
	if r.Records, err = Numbered(records, recName, MaxRecords); err != nil {
		return Reply{}, err
	}
	return r, r.check()
}

// numbered lists members named name(1), name(2)… in order (exported so
// the log file reader numbers its closes the same way): any other name, a
// gap or more than max is refused.
func Numbered(members map[string][]byte, name func(int) string, max int) ([][]byte, error) {
	if len(members) > max {
		return nil, fmt.Errorf("%w: %d members of a kind, at most %d", ErrMalformed, len(members), max)
	}
	var out [][]byte
	for i := 1; i <= len(members); i++ {
		b, ok := members[name(i)]
		if !ok {
			return nil, fmt.Errorf("%w: %s is missing: members are numbered from 1 without a gap", ErrMalformed, name(i))
		}
		out = append(out, b)
	}
	return out, nil
}
