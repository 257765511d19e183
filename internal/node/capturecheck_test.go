package node

import (
	"errors"
	"strings"
	"testing"

	"github.com/workdiary/workdiary/internal/capture"
)

// A contract with screenshots cannot be recorded by a build without
// capture (Linux without cgo, FreeBSD): the refusal says why and where to record.
func TestCanRecordRefusesScreenshotsWithoutCapture(t *testing.T) {
	err := canRecord(2, false, "freebsd/arm64")
	if !errors.Is(err, capture.ErrUnsupported) {
		t.Fatalf("canRecord = %v, want ErrUnsupported", err)
	}
	for _, want := range []string{"2 screenshot(s)", "freebsd/arm64", "on Windows, on macOS or on Linux with X11"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the refusal lacks %q: %v", want, err)
		}
	}
	if err := canRecord(0, false, "linux/amd64"); err != nil {
		t.Errorf("a contract without screenshots on a build without capture: %v, want it recorded", err)
	}
	if err := canRecord(2, true, "linux/amd64"); err != nil {
		t.Errorf("screenshots on a build with capture: %v", err)
	}
}
