package node_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/session"
)

// TestWaylandWithoutXIsSaidAndLabelled: in a Wayland session with no X at
// all, tracking starts (it used to refuse with an X-only message), says
// first what the session will not record and what to do, and every
// segment carries that into its signed entry, which the employer's diary
// shows after an offline import.
func TestWaylandWithoutXIsSaidAndLabelled(t *testing.T) {
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "wayland-test")
	t.Setenv("XDG_SESSION_TYPE", "wayland")
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir()) // no compositor and no session bus to ask
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	clk := clocktest.New(monday.Add(3 * time.Hour))
	emp := openNode(t, clk, "Erin")
	offer, err := emp.OfferContract(node.OfferParams{Title: "Parser", Rate: "35.00", Currency: "USD", Screenshots: 1, Unverified: "exclude"})
	if err != nil {
		t.Fatal(err)
	}
	con := openNode(t, clk, "Ada")
	preview, err := con.PreviewInvite(offer.Invite)
	if err != nil {
		t.Fatal(err)
	}
	consent := strings.Join(preview.Consent, "\n")
	for _, want := range []string{"In this Wayland session screenshots cannot be taken", "Such time is not billed", "log in to an X11 session"} {
		if !strings.Contains(consent, want) {
			t.Errorf("consent %q does not say %q", consent, want)
		}
	}
	acc, err := con.AcceptContract(context.Background(), node.AcceptParams{Code: offer.Invite, Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	cid := acc.Contract.ID
	st, err := con.TrackingStatus(cid)
	if err != nil || st.Session.Kind != session.Wayland || !st.SessionLimited || len(st.SessionLines) < 2 {
		t.Fatalf("tracker status %+v, %v; want a limited Wayland session with its lines", st, err)
	}

	var h heard
	s, err := con.StartTracking(context.Background(), node.TrackParams{Contract: cid, Memo: "on Wayland", KeepIdle: true}, nil, h.tell, nil)
	if err != nil {
		t.Fatalf("track in a Wayland session without X: %v", err)
	}
	for range 20 * 12 {
		clk.Advance(5 * time.Second)
		time.Sleep(time.Millisecond)
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	h.mu.Lock()
	first := h.evs[0]
	h.mu.Unlock()
	if first.Kind != node.TrackSession || !strings.Contains(first.Message, "Wayland session: screenshots cannot be taken") {
		t.Fatalf("first event %+v; want the session's limits before anything is recorded", first)
	}

	views, err := con.Diary(node.DiaryParams{Contract: cid, From: monday, To: monday.Add(24 * time.Hour)})
	if err != nil || len(views) == 0 {
		t.Fatalf("diary: %d segments, %v", len(views), err)
	}
	for _, v := range views {
		if !slices.Contains(v.Unverified, "screenshots unavailable in this session") {
			t.Errorf("segment %s: unverified %q; want screenshots unavailable", v.ID, v.Unverified)
		}
		if len(v.Apps) != 1 || v.Apps[0].Name != "unknown" {
			t.Errorf("segment %s: apps %+v; want the unseen window as \"unknown\"", v.ID, v.Apps)
		}
	}
	clk.Advance(time.Hour)
	if _, err := con.Approve(node.ApproveParams{Contract: cid, All: true}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "log.zip")
	if _, err := con.ExportLogFile(node.LogFileParams{Contract: cid, File: file}); err != nil {
		t.Fatal(err)
	}
	if _, err := emp.ImportLogFile(node.LogFileParams{File: file}); err != nil {
		t.Fatal(err)
	}
	got, err := emp.ReceivedDiary(cid, monday, monday.Add(24*time.Hour))
	if err != nil || len(got) == 0 {
		t.Fatalf("employer's diary: %d segments, %v", len(got), err)
	}
	for _, v := range got {
		if !slices.Contains(v.Unverified, "screenshots unavailable in this session") {
			t.Errorf("employer's segment %s: unverified %q; want the reason from the signed entry", v.ID, v.Unverified)
		}
	}
}
