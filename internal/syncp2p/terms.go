package syncp2p

import (
	"fmt"
	"time"

	"github.com/workdiary/workdiary/internal/ledger"
)

// futureSlack tolerates clocks that disagree a little.
const futureSlack = 10 * time.Minute

// checkTerms holds an entry to the contract: when it may lie, how many
// screenshots, blur, webcam and manual time.
func checkTerms(e ledger.Entry, t Terms, now time.Time) error {
	start := time.Unix(e.Start, 0)
	if start.Before(t.NotBefore) {
		return fmt.Errorf("%w: seq %d starts %s, before the contract (%s)", ErrTerms, e.Seq, start.UTC().Format(time.RFC3339), t.NotBefore.UTC().Format(time.RFC3339))
	}
	if !t.NotAfter.IsZero() && start.After(t.NotAfter) {
		return fmt.Errorf("%w: seq %d starts after the contract ended", ErrTerms, e.Seq)
	}
	if e.Kind != ledger.KindVoid && start.Add(ledger.SegmentSeconds*time.Second).After(now.Add(futureSlack)) {
		return fmt.Errorf("%w: seq %d ends in the future (%s)", ErrTerms, e.Seq, start.UTC().Format(time.RFC3339))
	}
	if e.Kind == ledger.KindManual && !t.ManualTime {
		return fmt.Errorf("%w: seq %d is manual time, which the contract does not allow", ErrTerms, e.Seq)
	}
	moments := map[int64]bool{}
	for _, img := range e.Images {
		switch img.Role {
		case ledger.RoleWebcam:
			if !t.Webcam {
				return fmt.Errorf("%w: seq %d has a webcam photo, which the contract does not allow", ErrTerms, e.Seq)
			}
		case ledger.RoleScreenshot:
			moments[img.TakenAt] = true
			if t.BlurRequired && !img.Blurred && !img.Redacted {
				return fmt.Errorf("%w: seq %d has a sharp screenshot; the contract requires blur", ErrTerms, e.Seq)
			}
		}
	}
	if len(moments) > t.Screenshots {
		return fmt.Errorf("%w: seq %d has screenshots at %d moments; the contract allows %d per segment", ErrTerms, e.Seq, len(moments), t.Screenshots)
	}
	return nil
}
