//go:build e2e

package e2e

import (
	"bufio"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// peerAddress is the multiaddr (with /p2p/) another peer dials to reach
// the node of home.
func peerAddress(t *testing.T, home string) string {
	t.Helper()
	id := readID(t, home)
	if len(id.Addrs) == 0 {
		t.Fatalf("workdiary id of the serving node has no address: %+v", id)
	}
	return id.Addrs[0] + "/p2p/" + id.PeerID
}

// attackReport is one line of the hostile peer's output.
type attackReport struct {
	Attack   string `json:"attack"`
	As       string `json:"as"`
	Refused  bool   `json:"refused"`
	Answered bool   `json:"answered"` // a request the node must serve, served as asked
	Code     string `json:"code"`
	Reason   string `json:"reason"`
	Duration string `json:"duration"`
}

func parseReports(t *testing.T, out string) []attackReport {
	t.Helper()
	var reports []attackReport
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var r attackReport
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("hostile peer printed %q, not a report: %v", sc.Text(), err)
		}
		reports = append(reports, r)
	}
	return reports
}

// buildHostilePeer compiles the attacking program from this tree.
func buildHostilePeer(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "hostilepeer")
	cmd := exec.Command("go", "build", "-o", bin, "./e2e/hostilepeer")
	cmd.Dir = repoRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build the hostile peer: %v\n%s", err, out)
	}
	return bin
}
