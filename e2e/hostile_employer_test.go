//go:build e2e

package e2e

import (
	"bytes"
	"encoding/hex"
	"errors"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/proctest"
	"github.com/workdiary/workdiary/internal/store"
)

// The hostile peer, with the employer's identity, answers a serving
// contractor's own pushes badly: endless waits, a have of another history
// or with made-up refusals or records, acks of another seq or refusing
// what was not sent, receipts of another note or with a forged
// cosignature, closes the contractor never sent; and asks it for images
// of another contract, of no entry, and of an entry the terms refuse. The contractor's node ends every
// round with a reason, keeps nothing of any of them (its log, receipt,
// diary and contracts as they were), and syncs with the real employer
// afterwards. Asked for a large screenshot it must serve, over and over on
// several streams at once, it serves every request, and its memory grows
// by no more than a few images per stream.
func TestHostileEmployerAgainstServe(t *testing.T) {
	requireDisplay(t)
	attacker := buildHostilePeer(t)
	p := newEmployerAttack(t, "--manual-time", "--blur", "required")
	emp, con, id, victim, srv := p.emp, p.con, p.id, p.victim, p.srv
	addManualTime(t, con, id, 3*time.Hour, 3)
	cli(t, con, "approve", "--contract", id, "--all")
	// An entry with a sharp screenshot, signed as an earlier release might
	// have: the employer refuses it and never asks for its image.
	sharp := signSharpScreenshot(t, con, id)
	served, servedSize := signLargeScreenshot(t, con, id)
	syncHonest(t, con, id)
	srv.stop(t, 10*time.Second) // the attacker takes the employer's folder

	conSrv := startServeOffline(t, nil, con)
	logBefore, diaryBefore := readLog(t, con, id), cli(t, con, diaryArgs...)
	if logBefore.Seq < 2 || logBefore.Cosigned == "" {
		t.Fatalf("before the attacks the contractor's log is %+v; want at least 2 entries with a receipt", logBefore)
	}
	contractsBefore := cli(t, con, "contract", "list", "--json")
	weeksBefore := cli(t, con, "contract", "weeks", id, "--json")
	// The soak run also holds a blob stream without reading it, which
	// lasts the contractor's write deadline.
	var slow []string
	if os.Getenv("WORKDIARY_SOAK") != "" {
		slow = []string{"--slow"}
	}
	peakBefore := peakRSS(t, conSrv)
	start := time.Now()
	run := startProc(t, nil, attacker, append(slow, "--as", "employer", "--target", peerAddress(t, con), "--employer-party", emp,
		"--victim-contract", victim, "--refused-image", sharp, "--served-image", served, "--answer-within", "20s", "--rounds", hostileSize().rounds,
		"--", binary(t, "workdiary"), "--home", con, "sync", "--contract", id)...)
	if err := run.wait(); err != nil {
		t.Errorf("hostile employer: %v\n%s", err, run.stderr.String())
	}
	t.Logf("the employer's attacks took %v", time.Since(start).Round(time.Millisecond))
	reports := checkRefused(t, parseReports(t, run.stdout.String()))
	for _, k := range []string{"employer/wait-forever", "employer/have-longer", "employer/have-diverged",
		"employer/have-refuses-unsent", "employer/have-refuses-beyond-head", "employer/have-record-",
		"employer/ack-wrong-seq", "employer/ack-wrong-hash", "employer/ack-refuses-unsent",
		"employer/receipt-foreign-note", "employer/receipt-other-log", "employer/receipt-forged-cosignature",
		"employer/closes-unasked", "employer/receipt-out-of-turn", "employer/blob-other-contract", "employer/blob-unknown-hash", "employer/blob-flood", "employer/blob-terms-refused",
		"employer/blob-flood-served"} {
		found := false
		for _, r := range reports {
			found = found || strings.HasPrefix(r.Attack, k)
		}
		if !found {
			t.Errorf("no %s… attack in the run", k)
		}
	}
	for _, r := range reports {
		t.Logf("%s: %s %q (%s)", r.Attack, r.Code, r.Reason, r.Duration)
	}
	// Each of the served flood's streams holds at most four images at
	// once (one being sent, two loaded ahead, one loading: serveBlobs),
	// and the collector lets the heap grow to twice what is live: eight
	// a stream. The bound adds room for the rest of the attacks. Measured
	// with 1.7 MB images: from 35–41 MB to 144–153 MB; a serve that loaded
	// every request waiting reached 450 MB.
	peakAfter := peakRSS(t, conSrv)
	limit := peakBefore + 8*servedStreams*servedSize + 96<<20
	t.Logf("the contractor's serve: peak RSS %d MB before the attacks, %d MB after (limit %d MB; screenshot %d KB)",
		peakBefore>>20, peakAfter>>20, limit>>20, servedSize>>10)
	if peakAfter > limit {
		t.Errorf("the contractor's serve peaked at %d MB under the attacks, from %d MB: over %d MB", peakAfter>>20, peakBefore>>20, limit>>20)
	}

	// Nothing of the attacks was kept.
	if got := readLog(t, con, id); got.Seq != logBefore.Seq || got.Head != logBefore.Head || got.Cosigned != logBefore.Cosigned {
		t.Errorf("the contractor's log moved under the attacks: %+v, want %+v", got, logBefore)
	}
	if got := cli(t, con, diaryArgs...); got != diaryBefore {
		t.Errorf("the attacks changed the contractor's diary:\nbefore %s\nafter  %s", diaryBefore, got)
	}
	if got := cli(t, con, "contract", "list", "--json"); got != contractsBefore {
		t.Errorf("the attacks changed the contractor's contracts:\nbefore %s\nafter  %s", contractsBefore, got)
	}
	if got := cli(t, con, "contract", "weeks", id, "--json"); got != weeksBefore {
		t.Errorf("the attacks changed the contractor's weeks (closes):\nbefore %s\nafter  %s", weeksBefore, got)
	}

	// The contractor still syncs with its real employer.
	if conSrv.exited() {
		t.Fatalf("the contractor's serve exited during the attacks: %v\n%s", conSrv.err, conSrv.out.String())
	}
	startServe(t, emp, "")
	syncHonest(t, con, id)
	if log := conSrv.out.String(); strings.Contains(log, "panicked") {
		t.Errorf("a protocol handler of the contractor's serve panicked:\n%s", log)
	}
}

// employerAttack is the scene of the hostile employer's attacks: an
// employer (its node serving) and a contractor with contract id between
// them, and victim, a contract of the contractor's with someone else.
type employerAttack struct {
	emp, con, id, victim string
	srv                  *proc
}

// newEmployerAttack sets the scene, the contract offered online with
// terms.
func newEmployerAttack(t *testing.T, terms ...string) employerAttack {
	t.Helper()
	emp, other, con := t.TempDir(), t.TempDir(), t.TempDir()
	cli(t, emp, "init", "--name", "Erin Employer")
	cli(t, other, "init", "--name", "Otto Other")
	cli(t, con, "init", "--name", "Cleo Contractor")
	srv := startServe(t, emp, "")
	id := offerAndAccept(t, cliIn(t, emp), cliIn(t, con),
		offer{title: "Work", rate: "30", currency: "USD", screenshots: 1, terms: terms, online: true})
	// The hostile employer asks for the other contract's images, and
	// offers records and closes of its log.
	victim := offerAndAccept(t, cliIn(t, other), cliIn(t, con),
		offer{title: "Other work", rate: "30", currency: "USD", screenshots: 1, terms: []string{"--manual-time"}})
	return employerAttack{emp: emp, con: con, id: id, victim: victim, srv: srv}
}

// startServeOffline starts a contractor's node while its employer is
// offline, and waits for the first round of its sync loop to give up:
// that round tries every address the employer had, and a QUIC handshake
// to a closed port takes seconds to fail. A sync started meanwhile joins
// that dial and fails with it, even once the real employer is back.
func startServeOffline(t *testing.T, env []string, home string) *proc {
	t.Helper()
	p := startServeEnv(t, env, home, "/ip4/127.0.0.1/tcp/0")
	waitFor(t, p.out, "cannot reach the employer", time.Minute)
	return p
}

// servedStreams is how many blob streams the hostile employer floods with
// requests for the large screenshot at once (e2e/hostilepeer).
const servedStreams = 6

// signLargeScreenshot appends to the contract's log an approved entry
// with a blurred screenshot the contract's terms allow: a real JPEG of
// 2560×1440 pixels of noise, about ten times a typical 1080p screenshot
// (noise is what JPEG compresses worst). It returns the image's hash and
// size.
func signLargeScreenshot(t *testing.T, home, contractID string) (string, int64) {
	t.Helper()
	const w, h = 2560, 1440
	pic := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(1, 2))
	for i := range pic.Pix {
		pic.Pix[i] = byte(r.IntN(256))
	}
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, pic, &jpeg.Options{Quality: 60}); err != nil {
		t.Fatal(err)
	}
	n, c, me := openOwnLog(t, home, contractID)
	defer n.Close()
	hash, err := n.Store().Blobs.Put(jpg.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now().UTC().Add(-40 * time.Minute).Truncate(10 * time.Minute).Unix()
	e := ledger.Entry{Start: start, Kind: ledger.KindAuto, ApprovedAt: time.Now().Unix(),
		Minutes: []ledger.Minute{{Index: 0, Keys: 40}},
		Images: []ledger.Image{{Role: ledger.RoleScreenshot, SHA256: [32]byte(hash), Size: uint64(jpg.Len()),
			TakenAt: start + 60, Width: w, Height: h, Blurred: true}}}
	if err := c.EntryRules().Check(e); err != nil {
		t.Fatalf("the contract's rules refuse the blurred screenshot (%v); the test needs one they take", err)
	}
	err = n.Store().Update(func(x *store.Txn) error { _, err := appendOwn(x, me, c, e); return err })
	if err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(hash[:]), int64(jpg.Len())
}

// peakRSS is the most memory the process has held so far (VmHWM).
func peakRSS(t *testing.T, p *proc) int64 {
	t.Helper()
	kb, err := proctest.StatusKB(p.cmd.Process.Pid, "VmHWM")
	if err != nil {
		t.Fatal(err)
	}
	return kb << 10
}

// signSharpScreenshot appends to the contract's log an entry with a sharp
// screenshot, which the contract (blur required) refuses, and stores the
// image. It opens the folder itself (nothing else may run on it) and
// returns the image's hash.
func signSharpScreenshot(t *testing.T, home, contractID string) string {
	t.Helper()
	n, c, me := openOwnLog(t, home, contractID)
	defer n.Close()
	img := []byte{0xff, 0xd8, 0xff, 0xe0, 's', 'h', 'a', 'r', 'p', 0xff, 0xd9}
	h, err := n.Store().Blobs.Put(img)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now().UTC().Add(-time.Hour).Truncate(10 * time.Minute).Unix()
	e := ledger.Entry{Start: start, Kind: ledger.KindAuto, ApprovedAt: time.Now().Unix(),
		Minutes: []ledger.Minute{{Index: 0, Keys: 3}},
		Images: []ledger.Image{{Role: ledger.RoleScreenshot, SHA256: [32]byte(h), Size: uint64(len(img)),
			TakenAt: start + 60, Width: 1, Height: 1}}}
	if err := c.EntryRules().Check(e); !errors.Is(err, contract.ErrBreaksTerms) {
		t.Fatalf("the contract's rules take the sharp screenshot (%v); the test needs one they refuse", err)
	}
	err = n.Store().Update(func(x *store.Txn) error { _, err := appendOwn(x, me, c, e); return err })
	if err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h[:])
}
