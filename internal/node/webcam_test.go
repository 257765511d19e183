package node

import (
	"errors"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
)

// The webcam switch is the contractor's, on a contract that allows photos,
// remembered in the settings and taken by the next session's policy.
func TestWebcamSwitch(t *testing.T) {
	clk := clocktest.New(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	with := acceptedPair(t, clk, OfferParams{Title: "With photos", Rate: "30.00", Currency: "EUR", Screenshots: 1, Webcam: true})
	without := acceptedPair(t, clk, OfferParams{Title: "No photos", Rate: "30.00", Currency: "EUR", Screenshots: 1})
	id := with.c.ID().String()

	st, err := with.con.WebcamStatus(id)
	if err != nil || !st.Allowed || st.On {
		t.Fatalf("status before: %+v, %v; want allowed and off", st, err)
	}
	st, err = with.con.SetWebcam(WebcamParams{Contract: id[:8], On: true, Device: "/dev/video2"})
	if err != nil || !st.On || st.Device != "/dev/video2" {
		t.Fatalf("switch on: %+v, %v; want on with /dev/video2", st, err)
	}
	_, pol, err := with.con.trackingPolicy(TrackParams{Contract: id, Memo: "work"})
	if err != nil || !pol.Webcam {
		t.Fatalf("policy after switching on: webcam %v, %v; want on", pol.Webcam, err)
	}
	if st, _ = with.con.SetWebcam(WebcamParams{Contract: id, On: false}); st.On {
		t.Fatalf("switch off: %+v, want off", st)
	}
	if _, pol, _ = with.con.trackingPolicy(TrackParams{Contract: id, Memo: "work"}); pol.Webcam {
		t.Fatal("policy after switching off: webcam on")
	}

	other := without.c.ID().String()
	if _, err := without.con.SetWebcam(WebcamParams{Contract: other, On: true}); !errors.Is(err, ErrWebcamNotAllowed) {
		t.Fatalf("switch on where the contract has no photos: %v, want ErrWebcamNotAllowed", err)
	}
	if _, err := with.emp.SetWebcam(WebcamParams{Contract: id, On: true}); !errors.Is(err, ErrWebcamNotAllowed) {
		t.Fatalf("the employer switching photos on: %v, want ErrWebcamNotAllowed", err)
	}
}
