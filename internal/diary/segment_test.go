package diary_test

import (
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/diary"
)

func TestSlotsAndIDs(t *testing.T) {
	at := time.Date(2026, 11, 23, 9, 17, 42, 0, time.FixedZone("X", 5*3600))
	got := diary.SlotStart(at)
	if want := time.Date(2026, 11, 23, 4, 10, 0, 0, time.UTC); !got.Equal(want) {
		t.Fatalf("SlotStart(%v) = %v, want %v", at, got, want)
	}
	id := diary.SegmentID("abc123", got)
	c, s, err := diary.ParseSegmentID(id)
	if err != nil || c != "abc123" || !s.Equal(got) {
		t.Fatalf("ParseSegmentID(%q) = %q %v %v", id, c, s, err)
	}
	for _, bad := range []string{"", "abc", "abc-12", "abc-x"} {
		if _, _, err := diary.ParseSegmentID(bad); err == nil {
			t.Errorf("ParseSegmentID(%q) succeeded", bad)
		}
	}
}

func TestMinutesAreRecordedOnce(t *testing.T) {
	s := diary.Segment{Start: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	for _, m := range []diary.Minute{{Index: 3, Keys: 5}, {Index: 1, Moved: true}, {Index: 3, Keys: 99}, {Index: 2}, {Index: 10}} {
		s.AddMinute(m)
	}
	if got, want := len(s.Minutes), 3; got != want {
		t.Fatalf("%d minutes, want %d", got, want)
	}
	if s.Minutes[0].Index != 1 || s.Minutes[2].Keys != 5 {
		t.Fatalf("minutes = %+v, want sorted with the first minute 3 kept", s.Minutes)
	}
	if got, want := s.ActiveMinutes(), 2; got != want {
		t.Fatalf("ActiveMinutes = %d, want %d", got, want)
	}
	if got, want := s.End(), s.Start.Add(4*time.Minute); !got.Equal(want) {
		t.Fatalf("End = %v, want %v", got, want)
	}
	s.AddAppTime("xterm", "a", 30)
	s.AddAppTime("code", "b", 20)
	s.AddAppTime("xterm", "c", 15)
	if s.MainApp() != "xterm" || s.Apps[0].Seconds != 45 || s.Apps[0].Title != "c" {
		t.Fatalf("apps = %+v, want xterm 45s titled c first", s.Apps)
	}
	v := diary.ViewOf(s)
	if v.Screenshots == nil || v.Webcam == nil || v.Keys != 5 {
		t.Fatalf("view = %+v", v)
	}
}
