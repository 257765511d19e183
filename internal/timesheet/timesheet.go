package timesheet

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/workdiary/workdiary/internal/identity"
)

// Version is the timesheet document version (the "version" field).
const Version = 1

// Who signed a timesheet: the "signed_by" field.
const (
	SignedByEmployer   = "employer"
	SignedByContractor = "contractor"
)

// Timesheet is one contract week's hours and amount. Its JSON encoding
// (MarshalJSON below; field names are stable) is the exact byte string the
// signer signs and the bundle carries as timesheet.json. Times are RFC 3339
// UTC; amounts are integer minor units plus a display string.
type Timesheet struct {
	Version    int    `json:"version"`
	SignedBy   string `json:"signed_by"`
	ContractID string `json:"contract_id"`
	Title      string `json:"title"`
	Week       string `json:"week"`
	WeekStart  string `json:"week_start"`
	WeekEnd    string `json:"week_end"` // exclusive
	// WeekZone is the IANA zone the contract's weeks and the days' dates
	// are counted in, from the signed offer; omitted for UTC.
	WeekZone           string `json:"week_zone,omitempty"`
	ContractStart      string `json:"contract_start"`
	ContractEnd        string `json:"contract_end,omitempty"`
	Currency           string `json:"currency"`
	RateMinor          int64  `json:"rate_minor"`
	Rate               string `json:"rate"`
	WeeklyLimitHours   int    `json:"weekly_limit_hours"`
	ManualTimeBillable bool   `json:"manual_time_billable"`
	// Unverified is the contract's policy for unverified time (separate,
	// bill or exclude), given when the week has any.
	Unverified string   `json:"unverified,omitempty"`
	Employer   Party    `json:"employer"`
	Contractor Party    `json:"contractor"`
	Days       []Day    `json:"days"`
	Totals     Totals   `json:"totals"`
	Entries    []uint64 `json:"entries"` // seqs of the live entries counted
	LogID      string   `json:"log_id"`
	LogSize    uint64   `json:"log_size"`
	LogRoot    string   `json:"log_root"` // RFC 6962 root of entries 1..log_size, base64
	// WeekClosed: log_size and log_root are those of the week's close,
	// which both parties signed, and the bundle carries only the week's
	// entries with their inclusion proofs (docs/format.md §5.3).
	WeekClosed bool `json:"week_closed,omitempty"`
	// ReviewedSize and ReviewedRoot, in a closed week's timesheet, are
	// the later checkpoint both parties signed that proves the disputes
	// and answers of the week bound after its close (docs/format.md §5.4).
	ReviewedSize uint64 `json:"reviewed_size,omitempty"`
	ReviewedRoot string `json:"reviewed_root,omitempty"`
	// Refused are live entries with time in the week that break a term
	// of the contract: kept in the log, counted for nothing. A contract
	// record the log binds that does not apply is listed here too.
	Refused []Refused `json:"refused,omitempty"`
	// Paused are the pauses bound into the log that overlap the week.
	Paused []Span `json:"paused,omitempty"`
	// Disputes are the employer's disputes of the week's segments bound
	// into the log, with the contractor's answers.
	Disputes []Dispute `json:"disputes,omitempty"`
	// Corrections are counted entries of this week that make up for time
	// of an earlier, closed week, and which week.
	Corrections []Correction `json:"corrections,omitempty"`

	src  sources        // the signed inputs, for Export; empty after decoding JSON
	rows []Row          // per-entry lines, for the CSV
	zone *time.Location // the week zone, whose dates the CSV gives; nil is UTC
}

// Party is one side of the contract as the timesheet shows it.
type Party struct {
	Name        string `json:"name"`
	PublicKey   string `json:"public_key"` // OpenSSH authorized_keys line
	Fingerprint string `json:"fingerprint"`
	PeerID      string `json:"peer_id"`
}

// Day is one UTC date of the week.
type Day struct {
	Date            string `json:"date"`
	TrackedMinutes  int    `json:"tracked_minutes"`
	ManualMinutes   int    `json:"manual_minutes"`
	BillableMinutes int    `json:"billable_minutes"`
}

// Refused is an entry the contract's entry rules refuse, and why.
type Refused struct {
	Seq    uint64 `json:"seq"`
	Start  string `json:"start"`
	Reason string `json:"reason"`
}

// Correction is time of this week that corrects a closed week.
type Correction struct {
	Seq      uint64 `json:"seq"`
	Start    string `json:"start"`
	Corrects string `json:"corrects"` // the closed week, ISO: 2026-W48
	Minutes  int    `json:"minutes"`  // its tracked minutes in this week
}

// Totals add up the week. Tracked minutes are exactly billable plus
// disputed plus over limit plus manual excluded plus outside contract plus
// unverified excluded. Unverified minutes are tracked minutes whose session could not
// record what the terms ask for, however the `unverified` term bills them;
// both unverified fields are left out when zero, so a week without such
// time encodes as it always did.
type Totals struct {
	TrackedMinutes         int `json:"tracked_minutes"`
	ManualMinutes          int `json:"manual_minutes"`
	OverLimitMinutes       int `json:"over_limit_minutes"`
	ManualExcludedMinutes  int `json:"manual_excluded_minutes"`
	OutsideContractMinutes int `json:"outside_contract_minutes"`
	BillableMinutes        int `json:"billable_minutes"`
	// UnverifiedMinutes are listed apart whatever the policy (separate,
	// bill or exclude); UnverifiedExcludedMinutes are those not billed.
	UnverifiedMinutes         int    `json:"unverified_minutes,omitempty"`
	UnverifiedExcludedMinutes int    `json:"unverified_excluded_minutes,omitempty"`
	AmountMinor               int64  `json:"amount_minor"`
	Amount                    string `json:"amount"`
	// DisputedMinutes would be billable but the employer disputes them:
	// shown apart, neither in BillableMinutes nor in the amount, and
	// DisputedAmount is what they would add. Left out when zero.
	DisputedMinutes     int    `json:"disputed_minutes,omitempty"`
	DisputedAmountMinor int64  `json:"disputed_amount_minor,omitempty"`
	DisputedAmount      string `json:"disputed_amount,omitempty"`
}

// Span is a stretch of time; an empty Until leaves it open.
type Span struct {
	From  string `json:"from"`
	Until string `json:"until,omitempty"`
}

// Dispute is one dispute of the week's time, as the log binds it.
type Dispute struct {
	ID       string   `json:"id"` // hex SHA-256 of the signed dispute
	At       string   `json:"at"`
	Reason   string   `json:"reason"`
	Segments []string `json:"segments"`
	Answers  []string `json:"answers,omitempty"`
}

// sources are the exact signed bytes a timesheet was built from.
type sources struct {
	offer, acceptance, end []byte
	entries                [][]byte
	employerKey            ed25519.PublicKey
	contractorKey          ed25519.PublicKey
	employerSigned         string // names as signed in offer and acceptance
	contractorSigned       string
	// close is the cosigned week close; then entries are the week's only,
	// seqs their seqs and proofs their inclusion proofs.
	close  []byte
	seqs   []uint64
	proofs [][][32]byte
	review review // what was bound after the close, proven (review.go)
	// pinned is the log Build verified under the checkpoint, which the
	// export's check of its own zip reuses (pinned.go).
	pinned *pinned
}

// Rows returns one line per counted entry, in time order (the CSV rows).
func (ts Timesheet) Rows() []Row { return ts.rows }

// Encode returns the canonical JSON bytes: two-space indented, fields in
// declaration order, a final newline. These are the bytes that get signed.
func (ts Timesheet) Encode() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(ts); err != nil {
		return nil, fmt.Errorf("encode timesheet: %w", err)
	}
	return buf.Bytes(), nil
}

// Decode parses timesheet JSON strictly: unknown fields are an error.
func Decode(b []byte) (Timesheet, error) {
	var ts Timesheet
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ts); err != nil {
		return Timesheet{}, fmt.Errorf("%w: timesheet.json: %v", ErrMalformed, err)
	}
	if ts.Version != Version {
		return Timesheet{}, fmt.Errorf("%w: timesheet.json: version %d, this Workdiary reads %d", ErrMalformed, ts.Version, Version)
	}
	return ts, nil
}

func partyOf(name string, pub ed25519.PublicKey) Party {
	return Party{Name: name, PublicKey: identity.SSHPublicKey(pub, ""),
		Fingerprint: identity.Fingerprint(pub), PeerID: identity.PeerIDOf(pub).String()}
}

// partyKey parses the Ed25519 key out of a party's OpenSSH line.
func partyKey(p Party) (ed25519.PublicKey, error) {
	k, _, _, _, err := ssh.ParseAuthorizedKey([]byte(p.PublicKey))
	if err != nil {
		return nil, err
	}
	ck, ok := k.(ssh.CryptoPublicKey)
	if !ok {
		return nil, fmt.Errorf("not an Ed25519 key")
	}
	pub, ok := ck.CryptoPublicKey().(ed25519.PublicKey)
	if !ok {
		return nil, fmt.Errorf("%s key, want ssh-ed25519", k.Type())
	}
	return pub, nil
}

func fingerprint(pub ed25519.PublicKey) string { return identity.Fingerprint(pub) }
