package node

import (
	"fmt"
	"runtime"

	"github.com/workdiary/workdiary/internal/capture"
)

// canRecord refuses, before anything starts, a session whose contract asks
// for screenshots on a build that cannot take them (a Linux build without
// cgo, a platform other than Linux, Windows and macOS): the contract's
// terms could not be kept, so nothing is recorded under them.
func canRecord(screenshots int, supported bool, platform string) error {
	if screenshots == 0 || supported {
		return nil
	}
	return fmt.Errorf("cannot track here: the contract asks for %d screenshot(s) per 10 minutes, and this build cannot take screenshots on %s (%w); "+
		"record this contract with Workdiary on Windows, on macOS or on Linux with X11, or ask for a contract without screenshots",
		screenshots, platform, capture.ErrUnsupported)
}

// thisPlatform names the running platform in canRecord's message.
var thisPlatform = runtime.GOOS + "/" + runtime.GOARCH
