package tracker

import (
	"context"
	"time"

	"github.com/workdiary/workdiary/internal/activity"
	"github.com/workdiary/workdiary/internal/capture"
	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/store"
)

// Activity yields finished minutes of input counts.
type Activity interface {
	Flush(now time.Time) []activity.Minute
}

// LiveActivity is an Activity that can also show the minute in progress.
// With it the idle question comes as soon as input returns, not when the
// minute holding that input finishes (up to a minute later).
type LiveActivity interface {
	Activity
	Current(now time.Time) activity.Minute
}

// Camera takes the screenshots of one moment.
type Camera interface {
	Shoot(ctx context.Context, p capture.Policy) ([]capture.Shot, capture.Window, error)
}

// Windows samples the focused window.
type Windows interface {
	ActiveWindow() (capture.Window, error)
}

// Webcam takes one photo, or says why not.
type Webcam interface {
	Snap(ctx context.Context) ([]byte, error)
}

// Diary keeps segments.
type Diary interface {
	Get(contract string, start time.Time) (diary.Segment, error)
	Put(s diary.Segment) error
	Delete(contract string, start time.Time) error
	Tracked(contract string, from, to time.Time) (time.Duration, error)
	// Range lists the segments in [from, to), of every contract for "".
	Range(contract string, from, to time.Time) ([]diary.Segment, error)
	// IdlePending lists the contract's segments with minutes waiting for
	// the idle question, in time order.
	IdlePending(contract string) ([]diary.Segment, error)
}

// Blobs keeps images by content hash.
type Blobs interface {
	Put(data []byte) (store.Hash, error)
	Delete(h store.Hash) error
}

// IdleDecider is asked, when input returns after an idle span, whether to
// keep that time. The tracker goes on recording while it waits, so the
// GUI can leave the question to the person for as long as they like.
// answered is false when ctx ended first (tracking stopped): the span's
// minutes then stay marked as waiting, and the question is asked again
// when tracking of the contract next starts.
type IdleDecider interface {
	KeepIdle(ctx context.Context, from, to time.Time) (keep, answered bool)
}

// KeepIdle is an IdleDecider whose answer is given in advance (the CLI's
// --idle keep|discard).
type KeepIdle bool

// KeepIdle answers with the fixed choice.
func (k KeepIdle) KeepIdle(context.Context, time.Time, time.Time) (bool, bool) { return bool(k), true }
