package proctest

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// StatusKB is a line of /proc/PID/status given in kB (VmHWM, VmRSS,
// RssAnon), of this process when pid is 0.
func StatusKB(pid int, field string) (int64, error) {
	path := "/proc/self/status"
	if pid != 0 {
		path = fmt.Sprintf("/proc/%d/status", pid)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		}
	}
	return 0, fmt.Errorf("%s: no %s line", path, field)
}
