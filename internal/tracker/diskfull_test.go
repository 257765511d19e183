package tracker

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/store"
)

// fullAfter is a blob folder whose disk fills up after n images.
type fullAfter struct {
	Blobs
	n   int
	err error
}

func (b *fullAfter) Put(data []byte) (store.Hash, error) {
	if b.n == 0 {
		return store.Hash{}, b.err
	}
	b.n--
	return b.Blobs.Put(data)
}

// noRoom is a blob folder that says ahead, after n moments, that nothing
// more fits, and counts the images written after it said so.
type noRoom struct {
	Blobs
	n, puts int
	full    bool
}

func (b *noRoom) Room(...int) error {
	if b.n == 0 {
		b.full = true
		return &store.DiskError{Dir: "/data", Kind: store.ErrDiskFull, Free: 1 << 20}
	}
	b.n--
	return nil
}

func (b *noRoom) Put(data []byte) (store.Hash, error) {
	if b.full {
		b.puts++
	}
	return b.Blobs.Put(data)
}

// fullDiary refuses segment writes from a moment on.
type fullDiary struct {
	Diary
	from  time.Time
	clock interface{ Now() time.Time }
}

func (d fullDiary) Put(s diary.Segment) error {
	if !d.clock.Now().Before(d.from) {
		return fmt.Errorf("save: %w", &store.DiskError{Dir: "/data", Kind: store.ErrDiskFull, Free: 0})
	}
	return d.Diary.Put(s)
}

// When the disk refuses a screenshot or a minute, the tracker stops with
// an error that says so and keeps every minute it saved before; any other
// screenshot failure is only reported.
func TestStopsWhenTheDiskIsFull(t *testing.T) {
	enospc := fmt.Errorf("store screenshot: %w", &fs.PathError{Op: "write", Path: "/data/blobs/ab/.tmp-1", Err: syscall.ENOSPC})
	tests := []struct {
		name  string
		setup func(r *rig, tr *Tracker)
		stops bool
	}{
		{"screenshot on a full disk", func(r *rig, tr *Tracker) {
			tr.Blobs = &fullAfter{Blobs: tr.Blobs, n: 2, err: enospc}
		}, true},
		{"minute on a full disk", func(r *rig, tr *Tracker) {
			tr.Diary = fullDiary{Diary: tr.Diary, from: t0.Add(13 * time.Minute), clock: r.clock}
		}, true},
		{"screenshot that does not fit", func(r *rig, tr *Tracker) {
			tr.Blobs = &noRoom{Blobs: tr.Blobs, n: 2}
		}, true},
		{"screenshot fails otherwise", func(r *rig, tr *Tracker) {
			tr.Blobs = &fullAfter{Blobs: tr.Blobs, n: 2, err: errors.New("encoder broke")}
		}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t)
			tr := r.tracker(Policy{Screenshots: 1})
			tc.setup(r, tr)
			err := r.run(t, tr, 40*time.Minute, nil)
			minutes := 0
			segs, _ := r.db.Range("c1", t0, t0.Add(time.Hour))
			for _, s := range segs {
				minutes += len(s.Minutes)
			}
			if !tc.stops {
				if err != nil || minutes != 40 {
					t.Fatalf("run = %v with %d minutes; want it to go on for all 40, reporting the problem", err, minutes)
				}
				return
			}
			if !store.IsDiskProblem(err) || !strings.Contains(fmt.Sprint(err), "tracking stopped at") {
				t.Fatalf("run = %v; want it stopped with the disk error", err)
			}
			if minutes == 0 || minutes >= 40 {
				t.Fatalf("%d minutes recorded; want those before the disk filled, and no more", minutes)
			}
			if b, ok := tr.Blobs.(*noRoom); ok && b.puts > 0 {
				t.Fatalf("%d images written although the folder said they would not fit", b.puts)
			}
			t.Logf("%d minutes kept; %v", minutes, err)
		})
	}
}
