package node_test

import (
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/store"
)

// P11: an employer folder after a working year of a team. Each contractor
// tracks ten 10-minute segments (1 h 40 min) every weekday for 52 weeks,
// 2,600 entries a year: 1000 contractors make 2.6 million entries, about
// what a large team's year comes to when people track a part of each day.
// The entries are signed by the ledger (ledger.Log, which applies the
// chain rules) and written with the receiver's store writes (logdb.Append
// in batches of a sync's size, images through a blob staging commit), not
// sent over the network: a year of a thousand contractors takes minutes
// to build that way and hours through a million sync batches.

var (
	// yearStart is the Monday the contracts start, yearNow the Friday
	// evening 52 weeks later at which the folder is measured.
	yearStart = time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	yearNow   = yearStart.Add((51*7+4)*24*time.Hour + 18*time.Hour)
)

const (
	yearSegmentsPerDay = 10
	yearDays           = 52 * 5
	yearEntries        = yearSegmentsPerDay * yearDays
	// yearImages distinct screenshots are reused across entries: images
	// are content-addressed, so a folder holds each once.
	yearImages     = 3000
	yearImageBytes = 8 << 10
	yearBatch      = 512 // entries per commit, as a sync batch
	yearDoneFile   = "generated"
	// yearIndexedFile marks a folder whose logs' indexes are whole.
	yearIndexedFile = "indexed"
)

// yearFolder is the generated data of one team size: the employer's
// folder, and the folder of contractor 0 (the one that syncs in the
// measurement); the other contractors keep only their keys.
type yearFolder struct{ dir string }

func (y yearFolder) employer() string { return filepath.Join(y.dir, "employer") }
func (y yearFolder) contractor(i int) string {
	return filepath.Join(y.dir, "contractors", fmt.Sprint(i))
}

// generateYear builds (or finishes building) the folder for n
// contractors; a folder already complete is left as it is.
func generateYear(dir string, n int, logf func(string, ...any)) error {
	y := yearFolder{dir}
	if _, err := os.Stat(filepath.Join(dir, yearDoneFile)); err == nil {
		if _, err := os.Stat(filepath.Join(dir, yearIndexedFile)); err == nil {
			// Not opened as a node here: the measurement's opening is
			// the first. Only its store is settled as a running app
			// leaves it.
			return settleYear(y)
		}
		return withNode(y.employer(), func(emp *node.Node) error { return indexYear(y, emp) })
	}
	clk := clocktest.New(yearStart.Add(-time.Hour))
	emp, err := node.Open(y.employer(), "bench", clk)
	if err != nil {
		return err
	}
	defer emp.Close()
	if _, err := emp.Identity(); err != nil {
		if _, err := emp.CreateIdentity("Erin"); err != nil {
			return err
		}
	}
	if err := putImagePool(emp.Store()); err != nil {
		return err
	}
	have := map[string]*contract.Contract{}
	cs, err := emp.Contracts().List()
	if err != nil {
		return err
	}
	for _, c := range cs {
		have[c.Offer.Title] = c
	}
	t0 := time.Now()
	for i := 0; i < n; i++ {
		if err := generateContractor(y, emp, have[yearTitle(i)], i); err != nil {
			return fmt.Errorf("contractor %d: %w", i, err)
		}
		if (i+1)%max(n/10, 1) == 0 {
			logf("year of %d: %d contractors written in %s", n, i+1, time.Since(t0).Round(time.Second))
		}
	}
	if err := os.WriteFile(filepath.Join(dir, yearDoneFile), []byte(time.Now().UTC().Format(time.RFC3339)+"\n"), 0o644); err != nil {
		return err
	}
	return indexYear(y, emp)
}

// settleYear compacts the employer's store as the app's store does 30 s
// after it starts (store.Compact on its tick, when level 0 holds two
// tables). Each measuring process's close leaves a table in level 0, and
// a process as short as the measurement never reaches its tick: without
// this, every fourth measurement would open a folder with four, which
// the store flattens as it opens, beside the queries being timed.
func settleYear(y yearFolder) error {
	st, err := store.Open(y.employer())
	if err != nil {
		return err
	}
	_, cerr := st.Compact()
	return errors.Join(cerr, st.Close())
}

func yearTitle(i int) string { return fmt.Sprintf("Year %d", i) }

// indexYear builds the indexes a folder generated before them lacks
// (logdb.EnsureIndexes), so that it measures as if written with them;
// yearIndexedFile says it is done.
func indexYear(y yearFolder, emp *node.Node) error {
	done := filepath.Join(y.dir, yearIndexedFile)
	if _, err := os.Stat(done); err == nil {
		return nil
	}
	cs, err := emp.Contracts().List()
	if err != nil {
		return err
	}
	for _, c := range cs {
		if c.Acceptance != nil {
			if err := logdb.EnsureIndexes(emp.Store(), ledger.LogIDOf([32]byte(c.ID()), c.Acceptance.Contractor.PublicKey)); err != nil {
				return err
			}
		}
	}
	return os.WriteFile(done, []byte(time.Now().UTC().Format(time.RFC3339)+"\n"), 0o644)
}

// putImagePool stores the distinct screenshots once.
func putImagePool(st *store.Store) error {
	stage := st.Blobs.NewStaging()
	defer stage.Discard()
	for k := 0; k < yearImages; k++ {
		if _, err := stage.Add(benchImage(uint64(k), yearImageBytes)); err != nil {
			return err
		}
	}
	_, err := stage.Commit()
	return err
}

// generateContractor makes contractor i's contract (when c is nil) and
// writes its year into the employer's folder past whatever it holds.
func generateContractor(y yearFolder, emp *node.Node, c *contract.Contract, i int) error {
	me, err := identity.Load(y.contractor(i))
	if errors.Is(err, identity.ErrNoIdentity) {
		if err := os.MkdirAll(y.contractor(i), 0o700); err != nil {
			return err
		}
		me, err = identity.Create(y.contractor(i), fmt.Sprintf("Contractor %d", i))
	}
	if err != nil {
		return err
	}
	if c == nil {
		if c, err = yearContract(y, emp, me, i); err != nil {
			return err
		}
	}
	entries, err := yearLog(me.PrivateKey(), c.ID(), i)
	if err != nil {
		return err
	}
	empID, _ := emp.Identity()
	if i == 0 {
		err := withNode(y.contractor(0), func(con *node.Node) error {
			if err := putImagePool(con.Store()); err != nil {
				return err
			}
			return writeLog(con.Store(), entries, me.PrivateKey(), empID.PrivateKey())
		})
		if err != nil {
			return err
		}
	}
	return writeLog(emp.Store(), entries, me.PrivateKey(), empID.PrivateKey())
}

// yearContract has the employer offer contract i and records the
// contractor's acceptance, as a delivered acceptance is recorded.
// Contractor 0 accepts in its own folder, which the measurement syncs.
func yearContract(y yearFolder, emp *node.Node, me *identity.Identity, i int) (*contract.Contract, error) {
	return yearContractOf(y, emp, me, i, node.OfferParams{Title: yearTitle(i), Rate: "35.00", Currency: "USD", Screenshots: 1})
}

// yearContractOf is yearContract with the offer's terms given.
func yearContractOf(y yearFolder, emp *node.Node, me *identity.Identity, i int, p node.OfferParams) (*contract.Contract, error) {
	o, err := emp.OfferContract(p)
	if err != nil {
		return nil, err
	}
	offer, err := contract.DecodeInvite(o.Invite)
	if err != nil {
		return nil, err
	}
	acc, err := contract.Accept(offer, me, nil, emp.Clock.Now())
	if err != nil {
		return nil, err
	}
	if i == 0 {
		if err := withNode(y.contractor(0), func(con *node.Node) error {
			c, err := con.Contracts().AcceptOffline(o.Invite, me, nil, emp.Clock.Now())
			if err == nil {
				acc, err = c.Acceptance, con.Contracts().MarkDelivered(c.ID())
			}
			return err
		}); err != nil {
			return nil, err
		}
	}
	offered, err := emp.Contracts().Get(offer.ID())
	if err != nil {
		return nil, err
	}
	return emp.Contracts().RecordAcceptance(acc.Signed(), offered.PairingProof(me.PeerID()), emp.Clock.Now())
}

// withNode runs fn on the node of folder home, opened for the moment.
func withNode(home string, fn func(*node.Node) error) error {
	n, err := node.Open(home, "bench", clocktest.New(yearNow))
	if err != nil {
		return err
	}
	return errors.Join(fn(n), n.Close())
}

// yearLog signs contractor i's year. Ed25519 is deterministic, so the
// same year comes out on every run and an interrupted write resumes.
func yearLog(key ed25519.PrivateKey, cid [32]byte, i int) ([]ledger.Signed, error) {
	l, err := ledger.NewLog(key, cid, ledger.Head{}, nil)
	if err != nil {
		return nil, err
	}
	out := make([]ledger.Signed, 0, yearEntries)
	from := 9*time.Hour + time.Duration(i%8)*time.Hour
	for d := 0; d < yearDays; d++ {
		day := yearStart.Add(time.Duration(d/5*7+d%5) * 24 * time.Hour)
		for k := 0; k < yearSegmentsPerDay; k++ {
			start := day.Add(from + time.Duration(k)*diary.SegmentLength)
			s, err := l.Append(yearEntry(start, uint64(i*yearEntries+len(out))))
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
	}
	return out, nil
}

func yearEntry(start time.Time, n uint64) ledger.Entry {
	img := benchImage(n%yearImages, yearImageBytes)
	e := ledger.Entry{Start: start.Unix(), Kind: ledger.KindAuto, Memo: "bench: parser work",
		ApprovedAt: start.Add(2 * time.Hour).Unix(),
		Apps:       []ledger.App{{Process: "code", Title: "parser.go", Seconds: 420}, {Process: "firefox", Title: "docs", Seconds: 180}},
		Images: []ledger.Image{{Role: ledger.RoleScreenshot, SHA256: sha256.Sum256(img), Size: uint64(len(img)),
			TakenAt: start.Add(4 * time.Minute).Unix(), Width: 1920, Height: 1080}}}
	for m := uint8(0); m < 10; m++ {
		e.Minutes = append(e.Minutes, ledger.Minute{Index: m, Keys: 40 + uint32(m), Clicks: 7, Scrolls: 3, Moved: true})
	}
	return e
}

// writeLog appends the entries st does not hold yet, a batch per
// transaction, and keeps the receipt a sync would leave: the contractor's
// checkpoint of the whole log, cosigned by the employer.
func writeLog(st *store.Store, entries []ledger.Signed, conKey, empKey ed25519.PrivateKey) error {
	logID := entries[0].Entry.LogID
	var head ledger.Head
	if err := st.View(func(x *store.Txn) error { var err error; head, err = logdb.Head(x, logID); return err }); err != nil {
		return err
	}
	for from := int(head.Seq); from < len(entries); from += yearBatch {
		batch := entries[from:min(from+yearBatch, len(entries))]
		if err := st.Update(func(x *store.Txn) error { return logdb.Append(x, logID, batch) }); err != nil {
			return err
		}
	}
	raw := make([][]byte, len(entries))
	for k, s := range entries {
		raw[k] = s.Bytes
	}
	note, err := ledger.SignCheckpoint(conKey, peerName(conKey), ledger.CheckpointFor(logID, raw))
	if err != nil {
		return err
	}
	cosigned, err := ledger.Cosign(note, empKey, peerName(empKey))
	if err != nil {
		return err
	}
	return st.Update(func(x *store.Txn) error {
		if err := logdb.SaveNote(x, logID, logdb.NoteCheckpoint, note); err != nil {
			return err
		}
		return logdb.SaveNote(x, logID, logdb.NoteCosigned, cosigned)
	})
}

// peerName is the name a party signs checkpoint notes under.
func peerName(key ed25519.PrivateKey) string {
	return identity.PeerIDOf(key.Public().(ed25519.PublicKey)).String()
}
