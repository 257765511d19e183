package tracker

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // webcam photos are JPEG
	"time"

	"github.com/workdiary/workdiary/internal/capture"
	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/diarydb"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/store"
)

// planShots picks the slot's screenshot moments at random in what is left
// of the slot, so nobody can predict them. A run that starts inside a
// segment which already has shots (a restart after a stop or a crash)
// takes only the rest: the employer refuses a segment with more moments
// than the contract allows.
func (t *Tracker) planShots(now time.Time) {
	t.slot = diary.SlotStart(now)
	t.shots = t.shots[:0]
	if t.Camera == nil || t.Policy.Screenshots <= 0 {
		return
	}
	end := t.slot.Add(diary.SegmentLength)
	left := end.Sub(now)
	if left <= time.Second {
		return
	}
	for i := t.shotMoments(t.slot); i < t.Policy.Screenshots; i++ {
		t.shots = append(t.shots, now.Add(time.Duration(t.Rand.Int64N(int64(left)))))
	}
}

// shotMoments counts the moments at which the slot's segment already has
// screenshots (one moment holds a shot of each monitor).
func (t *Tracker) shotMoments(slot time.Time) int {
	seg, err := t.Diary.Get(t.Policy.Contract, slot)
	if errors.Is(err, diarydb.ErrNotFound) {
		return 0
	}
	if err != nil {
		return t.Policy.Screenshots // unknown: take none rather than too many
	}
	moments := map[time.Time]bool{}
	for _, img := range seg.Screenshots {
		moments[img.TakenAt] = true
	}
	return len(moments)
}

// takeDueShots takes every planned screenshot whose moment has come.
func (t *Tracker) takeDueShots(ctx context.Context, now time.Time) error {
	var keep []time.Time
	var firstErr error
	for _, at := range t.shots {
		if at.After(now) {
			keep = append(keep, at)
			continue
		}
		err := t.shoot(ctx, now)
		if err != nil && !store.IsDiskProblem(err) {
			// The segment says so: time without its screenshots is never
			// passed off as time with them.
			err = errors.Join(err, t.markLimit(diary.SlotStart(now), ledger.LimitNoScreenshots))
		}
		if err != nil && firstErr == nil {
			firstErr = err
		}
	}
	t.shots = keep
	return firstErr
}

// markLimit records on a slot's segment that something could not be
// recorded in it.
func (t *Tracker) markLimit(slot time.Time, l ledger.Limits) error {
	seg, err := t.segment(slot)
	if err != nil {
		return err
	}
	if seg.Limits&l == l {
		return nil
	}
	seg.Limits |= l
	if err := t.Diary.Put(seg); err != nil {
		return fmt.Errorf("mark segment %s: %w", seg.ID(), err)
	}
	return nil
}

// shoot captures, stores the images and adds them to the slot's segment.
// Blur and redaction happen inside the camera, before anything is written.
func (t *Tracker) shoot(ctx context.Context, now time.Time) error {
	shots, win, err := t.Camera.Shoot(ctx, capture.Policy{Blur: t.Policy.Blur, Exclude: t.Policy.Exclude})
	if err != nil {
		return fmt.Errorf("screenshot: %w", err)
	}
	slot := diary.SlotStart(now)
	seg, err := t.segment(slot)
	if err != nil {
		return err
	}
	if err := t.roomFor(shots); err != nil {
		return fmt.Errorf("store screenshot: %w", err)
	}
	var thumb string
	for _, s := range shots {
		img, err := t.storeShot(s, now)
		if err != nil {
			return err
		}
		seg.Screenshots = append(seg.Screenshots, img)
		thumb = img.Thumb
	}
	if win = capture.Screened(win, t.Policy.Exclude); win.Process != "" {
		seg.AddAppTime(win.Process, win.Title, 0)
	}
	if t.Webcam != nil && t.Policy.Webcam {
		t.snapWebcam(ctx, &seg, now)
	}
	if err := t.Diary.Put(seg); err != nil {
		return fmt.Errorf("save screenshot: %w", err)
	}
	t.report(Event{Kind: ScreenshotTaken, At: now, Segment: seg.ID(), Thumb: thumb, Message: "Screenshot taken"})
	return nil
}

func (t *Tracker) storeShot(s capture.Shot, now time.Time) (diary.Image, error) {
	full, err := t.Blobs.Put(s.Full)
	if err != nil {
		return diary.Image{}, fmt.Errorf("store screenshot: %w", err)
	}
	thumb, err := t.Blobs.Put(s.Thumb)
	if err != nil {
		return diary.Image{}, fmt.Errorf("store thumbnail: %w", err)
	}
	return diary.Image{Hash: full.String(), Thumb: thumb.String(), TakenAt: now, Width: s.Width, Height: s.Height,
		Bytes: len(s.Full), Blurred: s.Blurred, Redacted: s.Redacted}, nil
}

func (t *Tracker) snapWebcam(ctx context.Context, seg *diary.Segment, now time.Time) {
	photo, err := t.Webcam.Snap(ctx)
	if err != nil {
		t.report(Event{Kind: Problem, At: now, Message: err.Error()})
		return
	}
	h, err := t.Blobs.Put(photo)
	if err != nil {
		t.report(Event{Kind: Problem, At: now, Message: err.Error()})
		return
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(photo))
	if err != nil {
		t.report(Event{Kind: Problem, At: now, Message: fmt.Sprintf("webcam photo unreadable: %v", err)})
		return
	}
	seg.Webcam = append(seg.Webcam, diary.Image{Hash: h.String(), TakenAt: now, Bytes: len(photo), Width: cfg.Width, Height: cfg.Height})
}

// takeImages splits off the images taken in [from, to).
func takeImages(imgs []diary.Image, from, to time.Time) (keep, gone []diary.Image) {
	for _, img := range imgs {
		if img.TakenAt.Before(from) || !img.TakenAt.Before(to) {
			keep = append(keep, img)
		} else {
			gone = append(gone, img)
		}
	}
	return keep, gone
}

// deleteImages removes the files of images that no segment refers to any
// more. Content addressing shares identical bytes (a screen that did not
// change while its owner was away looks the same before and after), so a
// file goes only with its last user.
func (t *Tracker) deleteImages(imgs []diary.Image) error {
	if len(imgs) == 0 {
		return nil
	}
	segs, err := t.Diary.Range("", time.Unix(0, 0), time.Unix(1<<40, 0))
	if err != nil {
		return fmt.Errorf("delete images: %w", err)
	}
	used := map[string]bool{}
	for _, s := range segs {
		for _, img := range append(s.Screenshots, s.Webcam...) {
			used[img.Hash], used[img.Thumb] = true, true
		}
	}
	for _, img := range imgs {
		for _, hs := range []string{img.Hash, img.Thumb} {
			if h, err := store.ParseHash(hs); err == nil && !used[hs] {
				if err := t.Blobs.Delete(h); err != nil {
					return fmt.Errorf("delete image: %w", err)
				}
				used[hs] = true // deleted once is enough
			}
		}
	}
	return nil
}
