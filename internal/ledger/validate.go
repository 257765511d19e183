package ledger

import (
	"fmt"
	"unicode/utf8"
)

// Limits on an entry. They are far above what the tracker produces and exist
// so that a peer cannot make the other side store or show unbounded data.
const (
	MaxEntrySize    = 64 << 10 // bytes of the whole signed entry
	MaxMemoBytes    = 2000
	MaxApps         = 32
	MaxProcessBytes = 256
	MaxTitleBytes   = 1024
	MaxImages       = 32
	MaxImageSize    = 16 << 20
	MaxImageSide    = 65535
	// MaxRecordBytes bounds the contract record a KindRecord entry binds:
	// the largest, a dispute of a whole week's segments, is under 8 KiB.
	MaxRecordBytes = 16 << 10
)

// Validate checks that every field of e is in range and that the fields
// present fit its kind. It does not look at other entries: chain rules
// (seq continuity, prev, overlap, void targets) are the Verifier's.
func Validate(e Entry) error {
	if e.Seq == 0 {
		return invalid(e, "seq is 0; the first entry is seq 1")
	}
	if e.Start < 0 || e.Start%SegmentSeconds != 0 {
		return invalid(e, "segment start %d is not a non-negative multiple of %d", e.Start, SegmentSeconds)
	}
	if e.ApprovedAt < e.Start {
		return invalid(e, "approved at %s, before the segment start %s", fmtTime(e.ApprovedAt), fmtTime(e.Start))
	}
	if len(e.Memo) > MaxMemoBytes || !utf8.ValidString(e.Memo) {
		return invalid(e, "memo must be valid UTF-8 of at most %d bytes (is %d)", MaxMemoBytes, len(e.Memo))
	}
	if err := validateKind(e); err != nil {
		return err
	}
	if err := validateMinutes(e); err != nil {
		return err
	}
	if err := validateApps(e); err != nil {
		return err
	}
	return validateImages(e)
}

// validateKind enforces which optional fields each kind may carry: manual
// time has no activity or images by definition, and a void only points.
func validateKind(e Entry) error {
	switch e.Kind {
	case KindAuto:
		if len(e.Minutes) == 0 {
			return invalid(e, "an auto entry needs at least one tracked minute")
		}
	case KindRecord:
		return validateRecord(e)
	case KindManual, KindVoid:
		if e.Limits != 0 {
			return invalid(e, "a %s entry records nothing, so nothing of it can be limited", e.Kind)
		}
		if len(e.Minutes)+len(e.Apps)+len(e.Images) != 0 {
			return invalid(e, "a %s entry has no minutes, apps or images (has %d, %d, %d)",
				e.Kind, len(e.Minutes), len(e.Apps), len(e.Images))
		}
	default:
		return invalid(e, "kind %d, want 0 (auto), 1 (manual), 2 (void) or 3 (record)", e.Kind)
	}
	if len(e.Record) != 0 {
		return invalid(e, "only a record entry carries a contract record")
	}
	if e.Limits&^limitsDefined != 0 {
		return invalid(e, "limits %#x, only bits 0 to 3 are defined", uint8(e.Limits))
	}
	if e.Corrects != 0 && (e.Kind != KindAuto && e.Kind != KindManual || e.Corrects < 0 || e.Corrects >= e.Start) {
		return invalid(e, "corrects %d: only time corrects, and only a week before its own", e.Corrects)
	}
	switch {
	case e.Kind == KindVoid && e.Voids == nil:
		return invalid(e, "a void entry must say which entry it voids")
	case e.Kind != KindVoid && e.Voids != nil:
		return invalid(e, "only a void entry may refer to a voided entry")
	case e.Voids != nil && (e.Voids.Seq == 0 || e.Voids.Seq >= e.Seq):
		return invalid(e, "voids seq %d, want an earlier entry (1..%d)", e.Voids.Seq, e.Seq-1)
	}
	return nil
}

// validateRecord: a record entry carries its record and nothing else, and
// its start is the segment of its approval.
func validateRecord(e Entry) error {
	switch {
	case len(e.Record) == 0 || len(e.Record) > MaxRecordBytes:
		return invalid(e, "a record entry carries a contract record of 1..%d bytes (has %d)", MaxRecordBytes, len(e.Record))
	case len(e.Minutes)+len(e.Apps)+len(e.Images) != 0 || e.Memo != "" || e.Limits != 0 || e.Voids != nil:
		return invalid(e, "a record entry has no minutes, apps, images, memo, limits or void")
	case e.Start != e.ApprovedAt-e.ApprovedAt%SegmentSeconds:
		return invalid(e, "a record entry starts at the segment of its approval %s, not %s", fmtTime(e.ApprovedAt), fmtTime(e.Start))
	}
	return nil
}

func validateMinutes(e Entry) error {
	next := 0 // the smallest index the next minute may have
	for i, m := range e.Minutes {
		if int(m.Index) < next || m.Index > 9 {
			return invalid(e, "minute %d: index %d, want %d..9 and increasing", i, m.Index, next)
		}
		next = int(m.Index) + 1
	}
	return nil
}

func validateApps(e Entry) error {
	if len(e.Apps) > MaxApps {
		return invalid(e, "%d apps, at most %d", len(e.Apps), MaxApps)
	}
	total := 0
	for i, a := range e.Apps {
		switch {
		case a.Process == "" || len(a.Process) > MaxProcessBytes || !utf8.ValidString(a.Process):
			return invalid(e, "app %d: process name must be valid UTF-8 of 1..%d bytes", i, MaxProcessBytes)
		case len(a.Title) > MaxTitleBytes || !utf8.ValidString(a.Title):
			return invalid(e, "app %d: title must be valid UTF-8 of at most %d bytes", i, MaxTitleBytes)
		case a.Seconds == 0 || a.Seconds > SegmentSeconds:
			return invalid(e, "app %d: %d seconds, want 1..%d", i, a.Seconds, SegmentSeconds)
		}
		total += int(a.Seconds)
	}
	if total > SegmentSeconds {
		return invalid(e, "apps add up to %d seconds, more than a segment's %d", total, SegmentSeconds)
	}
	return nil
}

func validateImages(e Entry) error {
	if len(e.Images) > MaxImages {
		return invalid(e, "%d images, at most %d", len(e.Images), MaxImages)
	}
	for i, im := range e.Images {
		switch {
		case im.Role > RoleWebcam:
			return invalid(e, "image %d: role %d, want 0 (screenshot) or 1 (webcam)", i, im.Role)
		case im.Size == 0 || im.Size > MaxImageSize:
			return invalid(e, "image %d: size %d bytes, want 1..%d", i, im.Size, MaxImageSize)
		case im.TakenAt < e.Start || im.TakenAt >= e.Start+SegmentSeconds:
			return invalid(e, "image %d: taken at %s, outside the segment %s + 10 min",
				i, fmtTime(im.TakenAt), fmtTime(e.Start))
		case im.TakenAt > e.ApprovedAt:
			return invalid(e, "image %d: taken at %s, after approval at %s", i, fmtTime(im.TakenAt), fmtTime(e.ApprovedAt))
		case im.Width == 0 || im.Width > MaxImageSide || im.Height == 0 || im.Height > MaxImageSide:
			return invalid(e, "image %d: %d×%d pixels, each side 1..%d", i, im.Width, im.Height, MaxImageSide)
		}
	}
	return nil
}

func invalid(e Entry, format string, args ...any) error {
	return fmt.Errorf("%w: seq %d: %s", ErrInvalidEntry, e.Seq, fmt.Sprintf(format, args...))
}
