package node_test

import (
	"context"
	"errors"
	"image"
	"image/color"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/capture"
	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/diarydb"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/store"
)

var monday = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// contractorNode is a contractor who accepted an offer with the given
// blur policy and manual-time rule (webcam allowed), with the clock at
// Monday 12:00, when the offer is made.
func contractorNode(t *testing.T, blur string, manual bool) (*node.Node, string) {
	t.Helper()
	clk := clocktest.New(monday.Add(3 * time.Hour))
	emp := openNode(t, clk, "Erin")
	offer, err := emp.OfferContract(node.OfferParams{Title: "Parser", Rate: "35.00", Currency: "USD",
		Screenshots: 1, Blur: blur, ManualTime: manual, Webcam: true})
	if err != nil {
		t.Fatal(err)
	}
	con := openNode(t, clk, "Ada")
	res, err := con.AcceptContract(context.Background(), node.AcceptParams{Code: offer.Invite, Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	return con, res.Contract.ID
}

func openNode(t *testing.T, clk *clocktest.Fake, name string) *node.Node {
	t.Helper()
	return node.OpenTestNode(t, clk, name)
}

// addSegment stores a recorded segment with one real JPEG screenshot.
func addSegment(t *testing.T, n *node.Node, contract string, start time.Time, shade uint8) diary.Segment {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 320, 200))
	for i := 0; i < 320*200; i++ {
		img.Set(i%320, i/320, color.RGBA{shade, uint8(i % 251), uint8(i / 320), 255})
	}
	shot, err := capture.Encode(img, capture.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	full, _ := n.Store().Blobs.Put(shot.Full)
	thumb, _ := n.Store().Blobs.Put(shot.Thumb)
	s := diary.Segment{Contract: contract, Start: start, State: diary.Recorded, Kind: diary.Auto, Memo: "work",
		Screenshots: []diary.Image{{Hash: full.String(), Thumb: thumb.String(), TakenAt: start.Add(time.Minute),
			Width: shot.Width, Height: shot.Height, Bytes: len(shot.Full)}},
		Webcam: []diary.Image{{Hash: thumb.String(), TakenAt: start.Add(time.Minute), Bytes: len(shot.Thumb),
			Width: shot.ThumbWidth, Height: shot.ThumbHeight}}}
	for i := 0; i < 10; i++ {
		s.AddMinute(diary.Minute{Index: i, Keys: i})
	}
	if err := diarydb.New(n.Store()).Put(s); err != nil {
		t.Fatal(err)
	}
	return s
}

func blobExists(n *node.Node, hash string) bool {
	h, _ := store.ParseHash(hash)
	_, err := os.Stat(n.Store().Blobs.Path(h))
	return err == nil
}

func TestApproveSignsAChainThatVerifies(t *testing.T) {
	n, cid := contractorNode(t, "off", false)
	var segs []diary.Segment
	for i := 0; i < 4; i++ {
		segs = append(segs, addSegment(t, n, cid, monday.Add(time.Duration(i)*diary.SegmentLength), uint8(i*40)))
	}
	st, err := n.Approve(node.ApproveParams{Contract: cid, Through: monday.Add(25 * time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	if st.Approved != 3 || st.Seq != 3 {
		t.Fatalf("approved %d, seq %d; want the 3 segments starting before 9:25", st.Approved, st.Seq)
	}
	if _, err := n.SetMemo(node.CurateParams{IDs: []string{segs[0].ID()}, Memo: "rewrite"}); err == nil {
		t.Fatal("editing an approved segment's memo succeeded")
	}
	del, err := n.DeleteSegments(node.CurateParams{IDs: []string{segs[1].ID()}})
	if err != nil || len(del.Voided) != 1 || del.Voided[0] != 4 {
		t.Fatalf("delete approved: %+v %v; want void entry 4", del, err)
	}
	if blobExists(n, segs[1].Screenshots[0].Hash) {
		t.Fatal("the voided segment's screenshot is still on disk")
	}
	verifyStoredLog(t, n, cid, 4)
	if st, _ := n.Approve(node.ApproveParams{Contract: cid, All: true}); st.Approved != 1 || st.Seq != 5 {
		t.Fatalf("approve all: %+v; want the last segment as seq 5", st)
	}
}

// verifyStoredLog checks the stored bytes as the employer will: chain,
// signatures, and the signed checkpoint against the entries.
func verifyStoredLog(t *testing.T, n *node.Node, cid string, want int) {
	t.Helper()
	id, _ := n.Identity()
	c, err := n.Contracts().Resolve(cid)
	if err != nil {
		t.Fatal(err)
	}
	logID := ledger.LogIDOf(c.ID(), id.PublicKey())
	var entries [][]byte
	var note []byte
	_ = n.Store().View(func(x *store.Txn) error {
		entries, _ = logdb.Entries(x, logID, 1, 1<<62)
		note, _ = logdb.Note(x, logID, logdb.NoteCheckpoint)
		return nil
	})
	if len(entries) != want {
		t.Fatalf("%d entries stored, want %d", len(entries), want)
	}
	if _, err := ledger.VerifyChain(c.ID(), id.PublicKey(), ledger.Head{}, nil, entries...); err != nil {
		t.Fatalf("stored log does not verify: %v", err)
	}
	cp, _, err := ledger.OpenCheckpoint(note, ledger.NoteKey{Name: id.PeerID().String(), Public: id.PublicKey()})
	if err != nil {
		t.Fatalf("checkpoint: %v", err)
	}
	if err := ledger.CheckCheckpoint(cp, logID, entries); err != nil {
		t.Fatalf("checkpoint does not match the entries: %v", err)
	}
}

func TestCurationRules(t *testing.T) {
	n, cid := contractorNode(t, "off", false)
	s := addSegment(t, n, cid, monday, 10)
	if _, err := n.BlurScreenshots(node.CurateParams{IDs: []string{s.ID()}}); err == nil || !strings.Contains(err.Error(), "does not allow") {
		t.Fatalf("blur under blur=off: %v, want a refusal", err)
	}
	if _, err := n.AddManual(node.ManualParams{Contract: cid, From: monday.Add(time.Hour), To: monday.Add(90 * time.Minute), Memo: "call"}); err == nil {
		t.Fatal("manual time on a contract without it succeeded")
	}
	if _, err := n.SetMemo(node.CurateParams{IDs: []string{s.ID()}, Memo: " "}); err == nil {
		t.Fatal("an empty memo was accepted")
	}
	if _, err := n.DeleteWebcam(node.CurateParams{IDs: []string{s.ID()}}); err != nil {
		t.Fatal(err)
	}
	got, _ := diarydb.New(n.Store()).Get(cid, monday)
	if len(got.Webcam) != 0 || len(got.Minutes) != 10 {
		t.Fatalf("after deleting the webcam photo: %d photos, %d minutes; want 0 and all 10", len(got.Webcam), len(got.Minutes))
	}
	if !blobExists(n, s.Screenshots[0].Thumb) {
		t.Fatal("deleting the webcam photo removed the screenshot's thumbnail, which shares its bytes")
	}
	if _, err := n.DeleteSegments(node.CurateParams{IDs: []string{s.ID()}}); err != nil {
		t.Fatal(err)
	}
	if blobExists(n, s.Screenshots[0].Hash) || blobExists(n, s.Screenshots[0].Thumb) {
		t.Fatal("a deleted segment's images are still on disk")
	}
	if _, err := diarydb.New(n.Store()).Get(cid, monday); !errors.Is(err, diarydb.ErrNotFound) {
		t.Fatalf("deleted segment still there: %v", err)
	}
}

func TestBlurAndManualWhereAllowed(t *testing.T) {
	n, cid := contractorNode(t, "allowed", true)
	s := addSegment(t, n, cid, monday, 200)
	if _, err := n.BlurScreenshots(node.CurateParams{IDs: []string{s.ID()}}); err != nil {
		t.Fatal(err)
	}
	got, _ := diarydb.New(n.Store()).Get(cid, monday)
	if !got.Screenshots[0].Blurred || got.Screenshots[0].Hash == s.Screenshots[0].Hash || blobExists(n, s.Screenshots[0].Hash) {
		t.Fatalf("after blur: %+v; want a new blurred image and the sharp one gone from disk", got.Screenshots[0])
	}
	if _, err := n.AddManual(node.ManualParams{Contract: cid, From: monday.Add(65 * time.Minute), To: monday.Add(95 * time.Minute), Memo: "x"}); err == nil {
		t.Fatal("manual time 10:05–10:35, not on segment boundaries, was accepted")
	}
	// A refusal speaks in the zone the times came in: 10:05 UTC is 19:05 in Tokyo.
	tokyo := time.FixedZone("JST", 9*3600)
	_, err := n.AddManual(node.ManualParams{Contract: cid, From: monday.Add(65 * time.Minute).In(tokyo), To: monday.Add(95 * time.Minute).In(tokyo), Memo: "x"})
	if err == nil || !strings.Contains(err.Error(), "got 19:05–19:35") {
		t.Fatalf("unaligned manual time given in Tokyo time: %v; want it to echo 19:05–19:35", err)
	}
	_, err = n.AddManual(node.ManualParams{Contract: cid, From: monday.In(tokyo), To: monday.Add(10 * time.Minute).In(tokyo), Memo: "x"})
	if err == nil || !strings.Contains(err.Error(), " 18:00: ") {
		t.Fatalf("manual time over recorded time given in Tokyo time: %v; want it to name 18:00", err)
	}
	early := monday.Add(-48 * time.Hour).In(tokyo) // Saturday 18:00 in Tokyo; the contract takes time from Sunday 21:00
	_, err = n.AddManual(node.ManualParams{Contract: cid, From: early, To: early.Add(10 * time.Minute), Memo: "x"})
	if !errors.Is(err, contract.ErrBreaksTerms) || !strings.Contains(err.Error(), "at 2026-11-21 18:00 JST is before") || !strings.Contains(err.Error(), "from 2026-11-22 21:00 JST") {
		t.Fatalf("manual time before the contract given in Tokyo time: %v; want the terms refusal in Tokyo time", err)
	}
	res, err := n.AddManual(node.ManualParams{Contract: cid, From: monday.Add(60 * time.Minute), To: monday.Add(90 * time.Minute), Memo: "call with client"})
	if err != nil || len(res.Changed) != 3 {
		t.Fatalf("manual 10:00–10:30: %+v %v; want 3 segments", res, err)
	}
	if _, err := n.Approve(node.ApproveParams{Contract: cid, All: true}); err != nil {
		t.Fatalf("approving manual time: %v", err)
	}
	if _, err := n.AddManual(node.ManualParams{Contract: cid, From: monday, To: monday.Add(5 * time.Minute), Memo: "x"}); err == nil {
		t.Fatal("manual time overlapping recorded time was accepted")
	}
	if _, err := n.AddManual(node.ManualParams{Contract: cid, From: monday.Add(2 * time.Hour), To: monday.Add(5 * time.Hour), Memo: "x"}); err == nil {
		t.Fatal("manual time in the future was accepted")
	}
	d, _ := diarydb.New(n.Store()).Tracked(cid, monday, monday.Add(3*time.Hour))
	if d != 40*time.Minute {
		t.Fatalf("tracked %v, want 10m recorded + 30m manual", d)
	}
	verifyStoredLog(t, n, cid, 4)
}

func TestAutoApproveAfterHours(t *testing.T) {
	n, cid := contractorNode(t, "off", false)             // the clock reads Monday 12:00
	addSegment(t, n, cid, monday, 1)                      // 9:00, three hours old
	addSegment(t, n, cid, monday.Add(150*time.Minute), 2) // 11:30, half an hour old
	n.AutoApprove()
	if st, _ := n.LogStatus(cid); st.Seq != 0 {
		t.Fatalf("with the setting off, %d entries were approved", st.Seq)
	}
	if err := n.SetAutoApproveHours(2); err != nil {
		t.Fatal(err)
	}
	n.AutoApprove()
	if st, _ := n.LogStatus(cid); st.Seq != 1 {
		t.Fatalf("auto-approve after 2 h: %d entries, want only the 9:00 segment", st.Seq)
	}
}

// Manual time more than a day before the offer is what the employer
// refuses: add-manual refuses it first, saying when the contract starts,
// and approve never signs such a segment already in the diary.
func TestManualTimeBeforeContractRefused(t *testing.T) {
	n, cid := contractorNode(t, "off", true)
	before := monday.AddDate(0, 0, -3) // Friday 09:00; the offer is Monday 12:00
	_, err := n.AddManual(node.ManualParams{Contract: cid, From: before, To: before.Add(30 * time.Minute), Memo: "old call"})
	if err == nil || !strings.Contains(err.Error(), "before the contract started") || !strings.Contains(err.Error(), "2026-11-22 12:00 UTC") {
		t.Fatalf("add-manual 3 days before the offer: %v; want a refusal naming when the contract starts", err)
	}
	if segs, _ := n.Diary(node.DiaryParams{Contract: cid, From: before.Add(-time.Hour), To: monday.Add(3 * time.Hour)}); len(segs) != 0 {
		t.Fatalf("the refused manual time left %d segments in the diary", len(segs))
	}
	if _, err := n.AddManual(node.ManualParams{Contract: cid, From: monday.Add(-20 * time.Hour), To: monday.Add(-19 * time.Hour), Memo: "prep"}); err != nil {
		t.Fatalf("manual time within the day of grace: %v", err)
	}

	// A segment from before the window already in the diary (written by
	// an earlier release) stays recorded; the rest is approved.
	old := addSegment(t, n, cid, before, 30)
	st, err := n.Approve(node.ApproveParams{Contract: cid, All: true})
	if err != nil {
		t.Fatal(err)
	}
	if st.Approved != 6 || len(st.NotApproved) != 1 || st.NotApproved[0].ID != old.ID() ||
		!strings.Contains(st.NotApproved[0].Reason, "before the contract started") {
		t.Fatalf("approve --all: %d approved, held %+v; want the 6 manual segments and %s held", st.Approved, st.NotApproved, old.ID())
	}
	if got, _ := diarydb.New(n.Store()).Get(cid, before); got.State != diary.Recorded {
		t.Fatalf("the segment before the contract is %s, want recorded", got.State)
	}
}
