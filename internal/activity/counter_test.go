package activity_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/activity"
	"github.com/workdiary/workdiary/internal/clock/clocktest"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func at(min, sec int) time.Time {
	return t0.Add(time.Duration(min)*time.Minute + time.Duration(sec)*time.Second)
}

func TestFlushBuckets(t *testing.T) {
	tests := []struct {
		name   string
		events []activity.Event
		now    time.Time
		want   []activity.Minute
	}{
		{
			name: "nothing finished yet",
			events: []activity.Event{
				{At: at(0, 5), Kind: activity.KeyPress},
			},
			now:  at(0, 59),
			want: nil,
		},
		{
			name: "minute ends exactly at now",
			events: []activity.Event{
				{At: at(0, 5), Kind: activity.KeyPress, N: 3},
				{At: at(0, 59), Kind: activity.Click},
			},
			now:  at(1, 0),
			want: []activity.Minute{{Start: at(0, 0), Keys: 3, Clicks: 1}},
		},
		{
			name: "boundary event belongs to the next minute",
			events: []activity.Event{
				{At: at(0, 59).Add(999 * time.Millisecond), Kind: activity.Scroll},
				{At: at(1, 0), Kind: activity.Scroll, N: 2},
			},
			now:  at(2, 0),
			want: []activity.Minute{{Start: at(0, 0), Scrolls: 1}, {Start: at(1, 0), Scrolls: 2}},
		},
		{
			name: "empty minutes are explicit and current minute is kept",
			events: []activity.Event{
				{At: at(0, 10), Kind: activity.Move, N: 40},
				{At: at(3, 1), Kind: activity.KeyPress},
				{At: at(4, 30), Kind: activity.KeyPress},
			},
			now: at(4, 31),
			want: []activity.Minute{
				{Start: at(0, 0), Moved: true},
				{Start: at(1, 0)},
				{Start: at(2, 0)},
				{Start: at(3, 0), Keys: 1},
			},
		},
		{
			name: "out of order events land in their own minutes",
			events: []activity.Event{
				{At: at(1, 10), Kind: activity.Click},
				{At: at(0, 10), Kind: activity.KeyPress},
			},
			now:  at(2, 0),
			want: []activity.Minute{{Start: at(0, 0), Keys: 1}, {Start: at(1, 0), Clicks: 1}},
		},
		{
			name: "unknown kind and zero counts are ignored",
			events: []activity.Event{
				{At: at(0, 10), Kind: activity.Kind(99), N: 5},
			},
			now:  at(1, 0),
			want: []activity.Minute{{Start: at(0, 0)}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := activity.NewCounter(t0)
			for _, e := range tt.events {
				c.Record(e)
			}
			got := c.Flush(tt.now)
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Flush(%s) = %+v, want %+v", tt.now.Format("15:04:05"), got, tt.want)
			}
		})
	}
}

func TestFlushTwiceAndLateInput(t *testing.T) {
	c := activity.NewCounter(at(0, 30))
	c.Add(at(0, 40), activity.Counts{Keys: 2})
	c.Add(at(1, 20), activity.Counts{Clicks: 1})

	first := c.Flush(at(1, 30))
	if want := []activity.Minute{{Start: at(0, 0), Keys: 2}}; !reflect.DeepEqual(first, want) {
		t.Fatalf("first Flush = %+v, want %+v", first, want)
	}
	if got := c.Flush(at(1, 59)); got != nil {
		t.Fatalf("second Flush inside the same minute = %+v, want nil", got)
	}
	// A report that arrives after its minute was flushed must not vanish
	// nor rewrite the flushed (durable) minute: it joins the open minute.
	c.Add(at(0, 50), activity.Counts{Scrolls: 1})
	if got, want := c.Current(at(1, 45)), (activity.Minute{Start: at(1, 0), Clicks: 1, Scrolls: 1}); got != want {
		t.Fatalf("Current = %+v, want %+v", got, want)
	}
	got := c.Flush(at(2, 0))
	if want := []activity.Minute{{Start: at(1, 0), Clicks: 1, Scrolls: 1}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("Flush after late input = %+v, want %+v", got, want)
	}
}

func TestMinuteActive(t *testing.T) {
	tests := []struct {
		m    activity.Minute
		want bool
	}{
		{activity.Minute{}, false},
		{activity.Minute{Keys: 1}, true},
		{activity.Minute{Clicks: 1}, true},
		{activity.Minute{Scrolls: 1}, true},
		{activity.Minute{Moved: true}, true},
	}
	for _, tt := range tests {
		if got := tt.m.Active(); got != tt.want {
			t.Errorf("%+v.Active() = %v, want %v", tt.m, got, tt.want)
		}
	}
}

func TestIdleSince(t *testing.T) {
	tests := []struct {
		name      string
		input     []time.Duration // offsets from t0 of single key presses
		elapsed   time.Duration   // fake clock advance before asking
		threshold time.Duration
		wantSince time.Time
		wantIdle  bool
	}{
		{"no input yet, under default", nil, 9*time.Minute + 59*time.Second, 0, t0, false},
		{"no input yet, at default", nil, 10 * time.Minute, 0, t0, true},
		{"just under threshold", []time.Duration{time.Minute}, 11*time.Minute - time.Nanosecond, 0, at(1, 0), false},
		{"exactly threshold", []time.Duration{time.Minute}, 11 * time.Minute, 0, at(1, 0), true},
		{"span starts at last input", []time.Duration{time.Minute, 2 * time.Minute}, 30 * time.Minute, 0, at(2, 0), true},
		{"custom threshold", []time.Duration{0}, 3 * time.Minute, 3 * time.Minute, t0, true},
		{"negative threshold means default", []time.Duration{0}, 3 * time.Minute, -time.Second, t0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := clocktest.New(t0)
			c := activity.NewCounter(clk.Now())
			for _, d := range tt.input {
				c.Record(activity.Event{At: t0.Add(d), Kind: activity.KeyPress})
			}
			clk.Advance(tt.elapsed)
			since, idle := c.IdleSince(clk.Now(), tt.threshold)
			if !since.Equal(tt.wantSince) || idle != tt.wantIdle {
				t.Fatalf("IdleSince(+%v, %v) = %s, %v; want %s, %v",
					tt.elapsed, tt.threshold, since.Format("15:04:05"), idle, tt.wantSince.Format("15:04:05"), tt.wantIdle)
			}
		})
	}
}

func TestMouseMoveIsInputForIdle(t *testing.T) {
	c := activity.NewCounter(t0)
	c.Add(at(5, 0), activity.Counts{Moves: 1})
	if got := c.LastInput(); !got.Equal(at(5, 0)) {
		t.Fatalf("LastInput = %s, want %s", got, at(5, 0))
	}
	// A batch that reports nothing is not input.
	c.Add(at(6, 0), activity.Counts{})
	if got := c.LastInput(); !got.Equal(at(5, 0)) {
		t.Fatalf("LastInput after empty batch = %s, want %s", got, at(5, 0))
	}
	// Late input must not move LastInput backwards.
	c.Add(at(4, 0), activity.Counts{Keys: 1})
	if got := c.LastInput(); !got.Equal(at(5, 0)) {
		t.Fatalf("LastInput after late input = %s, want %s", got, at(5, 0))
	}
}

func TestMinuteStartIsUTC(t *testing.T) {
	// Half-hour offset zones must not shift minute buckets.
	india := time.FixedZone("IST", 5*3600+1800)
	c := activity.NewCounter(t0.In(india))
	c.Add(at(0, 30).In(india), activity.Counts{Keys: 1})
	got := c.Flush(at(1, 0).In(india))
	if len(got) != 1 || !got[0].Start.Equal(t0) || got[0].Start.Location() != time.UTC {
		t.Fatalf("Flush = %+v, want one minute starting %s UTC", got, t0)
	}
}
