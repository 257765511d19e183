//go:build e2e

package e2e

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

// What the CLI prints with --json, as the tests read it: the diary, a
// contract's log and the node's identity.

// segmentRecord is a segment of `diary --json` (field names match the
// JSON keys but for case).
type segmentRecord struct {
	ID, Contract, State, Memo string
	Start                     time.Time
	Keys, Clicks              int    // the segment's totals
	Entry                     uint64 // its place in the contract's log, once approved
	Minutes                   []minuteRecord
	Apps                      []struct {
		Name, Title string
		Seconds     int
	}
	Screenshots []imageRecord
	IdlePending []int `json:"idle_pending"` // minutes waiting for the idle question
	// Unverified says what the session could not record; ActivityMeasure
	// is "input counts" or "active minutes".
	Unverified      []string
	ActivityMeasure string `json:"activity_measure"`
}

type minuteRecord struct {
	Minute, Keys, Clicks, Scrolls int
	Moved                         bool
}

type imageRecord struct {
	Hash, Thumb   string
	TakenAt       time.Time `json:"taken_at"`
	Width, Height int
	Redacted      bool // an excluded app was in front: the image is a placeholder
}

// diaryArgs asks for every segment of every contract, whatever its time.
var diaryArgs = []string{"diary", "--json", "--from", "2000-01-01", "--to", "2100-01-01"}

// readDiary is the whole diary, or why it could not be read (a tracker
// that is being killed may not answer).
func readDiary(t *testing.T, home string) ([]segmentRecord, error) {
	t.Helper()
	out, err := tryCLI(t, home, diaryArgs...)
	if err != nil {
		return nil, err
	}
	var segs []segmentRecord
	if err := json.Unmarshal([]byte(out), &segs); err != nil {
		return nil, fmt.Errorf("diary --json: %v", err)
	}
	return segs, nil
}

func mustReadDiary(t *testing.T, home string) []segmentRecord {
	t.Helper()
	segs, err := readDiary(t, home)
	if err != nil {
		t.Fatal(err)
	}
	return segs
}

// minuteKey names one tracked minute of one contract.
type minuteKey struct {
	contract string
	at       time.Time
}

// minutesOf indexes a diary by minute; a minute listed twice is an error.
func minutesOf(segs []segmentRecord) (map[minuteKey]minuteRecord, error) {
	out := map[minuteKey]minuteRecord{}
	slots := map[minuteKey]bool{}
	for _, s := range segs {
		if slots[minuteKey{s.Contract, s.Start}] {
			return nil, fmt.Errorf("segment %s appears twice in the diary", s.ID)
		}
		slots[minuteKey{s.Contract, s.Start}] = true
		for _, m := range s.Minutes {
			if m.Minute < 0 || m.Minute > 9 {
				return nil, fmt.Errorf("segment %s has minute index %d, outside 0..9", s.ID, m.Minute)
			}
			k := minuteKey{s.Contract, s.Start.Add(time.Duration(m.Minute) * time.Minute)}
			if _, dup := out[k]; dup {
				return nil, fmt.Errorf("minute %s is recorded twice (segment %s)", k.at.Format(time.RFC3339), s.ID)
			}
			out[k] = m
		}
	}
	return out, nil
}

// logStatus is `workdiary log --json`, and `approve --json`, which says
// where the log stands after approving.
type logStatus struct {
	Contract   string `json:"contract"`
	LogID      string `json:"log_id"`
	Seq        uint64 `json:"seq"`
	Head       string `json:"head"`
	Checkpoint string `json:"checkpoint"`
	Cosigned   string `json:"cosigned"`
	Approved   int    `json:"approved"`
	// IdlePending counts segments left out while their idle question is open.
	IdlePending int `json:"idle_pending"`
}

// logPosition is where a log stands: the same on both sides of a synced
// contract, whatever each side's own checkpoint.
type logPosition struct {
	Seq  uint64
	Head string
}

func (s logStatus) position() logPosition { return logPosition{s.Seq, s.Head} }

func logArgs(contract string) []string { return []string{"log", "--contract", contract, "--json"} }

func readLog(t *testing.T, home, contract string) logStatus {
	t.Helper()
	return decodeJSON[logStatus](t, "log --json", cli(t, home, logArgs(contract)...))
}

// idRecord is `workdiary id --json`.
type idRecord struct {
	PeerID       string   `json:"peer_id"`
	Addrs        []string `json:"addrs"`
	SSHPublicKey string   `json:"ssh_public_key"`
}

func readID(t *testing.T, home string) idRecord {
	t.Helper()
	return decodeJSON[idRecord](t, "id --json", cli(t, home, "id", "--json"))
}

// decodeJSON decodes what a --json command printed; anything else fails
// the test.
func decodeJSON[T any](t *testing.T, what, out string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("%s: %v\n%s", what, err, out)
	}
	return v
}
