package tracker

import (
	"context"
	"errors"
	"image"
	"image/color"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/activity"
	"github.com/workdiary/workdiary/internal/capture"
	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/diarydb"
	"github.com/workdiary/workdiary/internal/store"
)

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC) // a Monday

type fakeCamera struct{ n int }

func (c *fakeCamera) Shoot(_ context.Context, p capture.Policy) ([]capture.Shot, capture.Window, error) {
	c.n++
	img := image.NewRGBA(image.Rect(0, 0, 64, 40))
	for y := 0; y < 40; y++ { // distinct content per shot, whatever the encoder drops
		img.Set(c.n%64, y, color.White)
		img.Set((c.n/64)%64, y, color.White)
	}
	s, err := capture.Encode(img, p)
	return []capture.Shot{s}, capture.Window{Process: "xterm", Title: "vim main.go"}, err
}

type fakeWindows struct{}

func (fakeWindows) ActiveWindow() (capture.Window, error) {
	return capture.Window{Process: "xterm", Title: "vim main.go"}, nil
}

type rig struct {
	clock *clocktest.Fake
	input *activity.Counter
	db    *diarydb.DB
	st    *store.Store
	cam   *fakeCamera
	evs   []Event
}

func newRig(t *testing.T) *rig {
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &rig{clock: clocktest.New(t0), input: activity.NewCounter(t0), db: diarydb.New(st), st: st, cam: &fakeCamera{}}
}

func (r *rig) tracker(p Policy) *Tracker {
	if p.Contract == "" {
		p.Contract = "c1"
	}
	if p.Memo == "" {
		p.Memo = "writing the parser"
	}
	p.CountActivity = true
	return &Tracker{Clock: r.clock, Policy: p, Activity: r.input, Camera: r.cam, Windows: fakeWindows{},
		Diary: r.db, Blobs: r.st.Blobs, Notify: func(e Event) { r.evs = append(r.evs, e) }}
}

// run drives tr for d of fake time, in 5-second steps, calling input
// before each step so tests can inject activity at given moments.
func (r *rig) run(t *testing.T, tr *Tracker, d time.Duration, input func(now time.Time)) error {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- tr.Run(ctx) }()
	end := r.clock.Now().Add(d)
	for r.clock.Now().Before(end) {
		if err := waitBlocked(r.clock, done); err != nil {
			cancel()
			return err
		}
		if input != nil {
			input(r.clock.Now())
		}
		r.clock.Advance(5 * time.Second)
	}
	_ = waitBlocked(r.clock, done)
	cancel()
	return <-done
}

var errStopped = errors.New("tracker stopped")

func waitBlocked(c *clocktest.Fake, done chan error) error {
	for i := 0; i < 2000; i++ {
		select {
		case err := <-done:
			done <- err
			if err == nil {
				return errStopped
			}
			return err
		default:
		}
		if c.Waiters() > 0 {
			return nil
		}
		time.Sleep(time.Millisecond)
	}
	return errors.New("tracker never waited on the clock")
}

func TestRecordsMinutesAppsAndScreenshots(t *testing.T) {
	r := newRig(t)
	err := r.run(t, r.tracker(Policy{Screenshots: 2}), 20*time.Minute, func(now time.Time) {
		if now.Second() == 0 && now.Minute()%2 == 0 {
			r.input.Add(now, activity.Counts{Keys: 3, Clicks: 1})
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	segs, _ := r.db.Range("c1", t0, t0.Add(time.Hour))
	if got, want := len(segs), 2; got != want {
		t.Fatalf("%d segments, want %d", got, want)
	}
	for _, s := range segs {
		if got, want := len(s.Minutes), 10; got != want {
			t.Errorf("segment %s: %d minutes, want %d", s.ID(), got, want)
		}
		if k, c, _ := s.Totals(); k != 15 || c != 5 {
			t.Errorf("segment %s: %d keys %d clicks, want 15 and 5", s.ID(), k, c)
		}
		if got, want := s.ActiveMinutes(), 5; got != want {
			t.Errorf("segment %s: %d active minutes, want %d", s.ID(), got, want)
		}
		if got, want := len(s.Screenshots), 2; got != want {
			t.Errorf("segment %s: %d screenshots, want %d", s.ID(), got, want)
		}
		if s.MainApp() != "xterm" || s.Memo != "writing the parser" {
			t.Errorf("segment %s: app %q memo %q", s.ID(), s.MainApp(), s.Memo)
		}
		for _, img := range s.Screenshots {
			h, _ := store.ParseHash(img.Hash)
			if !r.st.Blobs.Has(h) || img.TakenAt.Before(s.Start) || !img.TakenAt.Before(s.Start.Add(diary.SegmentLength)) {
				t.Errorf("screenshot %+v: stored=%v, want stored and taken inside the segment", img, r.st.Blobs.Has(h))
			}
		}
	}
}

func TestMemoRequired(t *testing.T) {
	r := newRig(t)
	tr := r.tracker(Policy{})
	tr.Policy.Memo = "  "
	if err := tr.Run(context.Background()); !errors.Is(err, ErrNoMemo) {
		t.Fatalf("Run with a blank memo: %v, want ErrNoMemo", err)
	}
}

func TestIdleKeepAndDiscard(t *testing.T) {
	for _, keep := range []bool{true, false} {
		r := newRig(t)
		tr := r.tracker(Policy{IdleAfter: 5 * time.Minute})
		tr.Idle = KeepIdle(keep)
		// Input in minute 0, then nothing for 7 minutes, then input again.
		err := r.run(t, tr, 10*time.Minute, func(now time.Time) {
			if now.Equal(t0) || now.Equal(t0.Add(8*time.Minute)) {
				r.input.Add(now, activity.Counts{Keys: 1})
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		s, err := r.db.Get("c1", t0)
		if err != nil {
			t.Fatal(err)
		}
		want := 10
		if !keep {
			want = 3 // minutes 0, 8 and 9
		}
		if got := len(s.Minutes); got != want {
			t.Errorf("keep=%v: %d minutes recorded, want %d", keep, got, want)
		}
		if !hasEvent(r.evs, IdleStarted) {
			t.Errorf("keep=%v: no idle event", keep)
		}
	}
}

func TestWeeklyLimitWarnsAndStops(t *testing.T) {
	r := newRig(t)
	tr := r.tracker(Policy{WeeklyLimit: 10 * time.Minute})
	err := r.run(t, tr, 30*time.Minute, nil)
	if !errors.Is(err, ErrLimitReached) {
		t.Fatalf("Run: %v, want ErrLimitReached", err)
	}
	if d, _ := r.db.Tracked("c1", t0, t0.Add(time.Hour)); d != 10*time.Minute {
		t.Fatalf("tracked %v, want exactly the 10m limit", d)
	}
	if !hasEvent(r.evs, LimitWarning) || !hasEvent(r.evs, LimitReached) {
		t.Fatalf("events %v: want a warning and a stop", r.evs)
	}

	r = newRig(t)
	tr = r.tracker(Policy{WeeklyLimit: 10 * time.Minute, ContinueOverCap: true})
	if err := r.run(t, tr, 20*time.Minute, nil); err != nil {
		t.Fatal(err)
	}
	segs, _ := r.db.Range("c1", t0, t0.Add(time.Hour))
	if len(segs) != 2 || segs[0].OverLimit || !segs[1].OverLimit {
		t.Fatalf("continue-and-mark: %d segments, over-limit flags %v %v; want the second marked", len(segs), segs[0].OverLimit, segs[len(segs)-1].OverLimit)
	}
}

func TestRestartNeverDuplicatesMinutes(t *testing.T) {
	r := newRig(t)
	if err := r.run(t, r.tracker(Policy{}), 4*time.Minute, nil); err != nil {
		t.Fatal(err)
	}
	// A second run in the same slot, with an input counter that starts over
	// (as after a crash) and replays minutes already saved.
	r.input = activity.NewCounter(t0)
	if err := r.run(t, r.tracker(Policy{}), 4*time.Minute, nil); err != nil {
		t.Fatal(err)
	}
	s, err := r.db.Get("c1", t0)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for _, m := range s.Minutes {
		if seen[m.Index] {
			t.Fatalf("minute %d recorded twice", m.Index)
		}
		seen[m.Index] = true
	}
	if got, want := len(s.Minutes), 8; got != want {
		t.Fatalf("%d minutes after two 4-minute runs, want %d", got, want)
	}
}

func hasEvent(evs []Event, k EventKind) bool {
	for _, e := range evs {
		if e.Kind == k {
			return true
		}
	}
	return false
}

// A pause or an end that arrives while recording stops the run before the
// next minute is kept; the limit in force is the week's (an amendment).
func TestContractStopsAndWeeklyLimitFor(t *testing.T) {
	r := newRig(t)
	stop := errors.New("contract paused")
	tr := r.tracker(Policy{Allowed: func(at time.Time) error {
		if !at.Before(t0.Add(5 * time.Minute)) {
			return stop
		}
		return nil
	}})
	if err := r.run(t, tr, 30*time.Minute, nil); !errors.Is(err, stop) {
		t.Fatalf("Run: %v, want the contract's reason", err)
	}
	if d, _ := r.db.Tracked("c1", t0, t0.Add(time.Hour)); d != 5*time.Minute {
		t.Errorf("tracked %v, want the 5 minutes before the pause", d)
	}
	if !hasEvent(r.evs, ContractStopped) {
		t.Errorf("events %v: want contract-stopped", r.evs)
	}

	r = newRig(t)
	tr = r.tracker(Policy{WeeklyLimit: time.Hour, WeeklyLimitFor: func(time.Time) time.Duration { return 7 * time.Minute }})
	if err := r.run(t, tr, 30*time.Minute, nil); !errors.Is(err, ErrLimitReached) {
		t.Fatalf("Run: %v, want ErrLimitReached at the week's 7 minutes", err)
	}
	if d, _ := r.db.Tracked("c1", t0, t0.Add(time.Hour)); d != 7*time.Minute {
		t.Errorf("tracked %v, want the week's 7 minutes", d)
	}
}
