package diary

import (
	"encoding/hex"
	"fmt"
	"time"

	"github.com/workdiary/workdiary/internal/ledger"
)

// LedgerEntry is the log entry that approving the segment creates. The log
// writer fills the chain fields (contract, log, seq, prev).
func (s *Segment) LedgerEntry(approvedAt time.Time) (ledger.Entry, error) {
	e := ledger.Entry{Start: s.Start.Unix(), Kind: ledger.KindAuto, Memo: s.Memo, ApprovedAt: approvedAt.Unix(), Corrects: s.Corrects}
	if s.Kind == Manual {
		e.Kind = ledger.KindManual
	}
	if s.Kind == Manual {
		// The log records manual time as a whole segment with no activity,
		// apps or images (docs/format.md).
		return e, nil
	}
	e.Limits = s.Limits
	for _, m := range s.Minutes {
		e.Minutes = append(e.Minutes, ledger.Minute{Index: uint8(m.Index), Keys: uint32(m.Keys),
			Clicks: uint32(m.Clicks), Scrolls: uint32(m.Scrolls), Moved: m.Moved})
	}
	for _, a := range s.Apps {
		e.Apps = append(e.Apps, ledger.App{Process: a.Name, Title: a.Title, Seconds: uint32(a.Seconds)})
	}
	for _, group := range []struct {
		role ledger.Role
		imgs []Image
	}{{ledger.RoleScreenshot, s.Screenshots}, {ledger.RoleWebcam, s.Webcam}} {
		for _, img := range group.imgs {
			li, err := ledgerImage(group.role, img)
			if err != nil {
				return e, fmt.Errorf("segment %s: %w", s.ID(), err)
			}
			e.Images = append(e.Images, li)
		}
	}
	return e, nil
}

func ledgerImage(role ledger.Role, img Image) (ledger.Image, error) {
	li := ledger.Image{Role: role, Size: uint64(img.Bytes), TakenAt: img.TakenAt.Unix(),
		Width: uint32(img.Width), Height: uint32(img.Height), Blurred: img.Blurred, Redacted: img.Redacted}
	b, err := hex.DecodeString(img.Hash)
	if err != nil || len(b) != 32 {
		return li, fmt.Errorf("image hash %q is not a SHA-256", img.Hash)
	}
	copy(li.SHA256[:], b)
	return li, nil
}

// Approvable reports whether the segment may be approved at now: it must be
// recorded (not yet approved), its slot must be over, so the tracker
// never has to change an approved segment, and no idle question about its
// minutes may be open: their answer may still remove them.
func (s *Segment) Approvable(now time.Time) bool {
	return s.State == Recorded && !s.Start.Add(SegmentLength).After(now) && len(s.Minutes) > 0 &&
		len(s.IdlePending) == 0
}
