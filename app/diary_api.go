package app

import (
	"fmt"
	"time"

	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/node"
)

// DiaryAPI is bound to the frontend's diary store.
type DiaryAPI struct {
	app *App
}

// Segment is one 10-minute cell of the diary grid.
type Segment = diary.View

// CurateResult says which segments changed and which void entries were
// appended.
type CurateResult = node.CurateResult

// LogStatus is where a contract's log stands after approving.
type LogStatus = node.LogStatus

// List returns the segments in [from, to) (RFC 3339), for one contract or
// all ("").
func (s *DiaryAPI) List(from, to, contract string) ([]Segment, error) {
	f, err := time.Parse(time.RFC3339, from)
	if err != nil {
		return nil, fmt.Errorf("from %q: %w", from, err)
	}
	t, err := time.Parse(time.RFC3339, to)
	if err != nil {
		return nil, fmt.Errorf("to %q: %w", to, err)
	}
	segs, err := s.app.n().Diary(node.DiaryParams{Contract: contract, From: f, To: t})
	if segs == nil {
		segs = []Segment{}
	}
	return segs, err
}

// Delete removes segments (a void entry for approved ones).
func (s *DiaryAPI) Delete(ids []string) (CurateResult, error) {
	return s.changed(s.app.n().DeleteSegments(node.CurateParams{IDs: ids}))
}

// DeleteWebcam removes the webcam photos of segments, keeping the time.
func (s *DiaryAPI) DeleteWebcam(ids []string) (CurateResult, error) {
	return s.changed(s.app.n().DeleteWebcam(node.CurateParams{IDs: ids}))
}

// Blur blurs the screenshots of segments; image = one screenshot's hash or
// "" for all.
func (s *DiaryAPI) Blur(ids []string, image string) (CurateResult, error) {
	return s.changed(s.app.n().BlurScreenshots(node.CurateParams{IDs: ids, Image: image}))
}

// SetMemo changes the memo of segments.
func (s *DiaryAPI) SetMemo(ids []string, memo string) (CurateResult, error) {
	return s.changed(s.app.n().SetMemo(node.CurateParams{IDs: ids, Memo: memo}))
}

// AddManual adds manual time [from, to) (RFC 3339) to a contract;
// corrects names the closed week (ISO, "2026-W48") it makes up for, or "".
func (s *DiaryAPI) AddManual(contract, from, to, memo, corrects string) (CurateResult, error) {
	f, err := time.Parse(time.RFC3339, from)
	if err != nil {
		return CurateResult{}, fmt.Errorf("from %q: %w", from, err)
	}
	t, err := time.Parse(time.RFC3339, to)
	if err != nil {
		return CurateResult{}, fmt.Errorf("to %q: %w", to, err)
	}
	return s.changed(s.app.n().AddManual(node.ManualParams{Contract: contract, From: f, To: t, Memo: memo, Corrects: corrects}))
}

// Approve signs the given segments of a contract into its log.
func (s *DiaryAPI) Approve(contract string, ids []string) (LogStatus, error) {
	return s.app.n().Approve(node.ApproveParams{Contract: contract, IDs: ids})
}

// changed gives the window a list, never null. The node announces the
// change (EventDiaryChanged) to every window, whoever made it.
func (s *DiaryAPI) changed(r CurateResult, err error) (CurateResult, error) {
	if r.Changed == nil {
		r.Changed = []string{}
	}
	return r, err
}
