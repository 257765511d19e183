//go:build e2e

package e2e

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/e2e/natlab"
)

// A node started under WORKDIARY_LOCAL_ONLY talks to nothing but
// loopback, and a lab node whose bootstrap list points into the lab talks
// to nothing outside it: the rules every test, script and developer here
// relies on, checked by counting packets on a host that does have a way
// out of its own namespace.
func TestNodesStayWhereTheyAreTold(t *testing.T) {
	if err := natlab.Available(); err != nil {
		if os.Geteuid() != 0 {
			t.Skipf("no NAT lab on this machine: %v", err)
		}
		t.Fatal(err)
	}
	seed := faultRand(t).Uint64()
	lab, err := natlab.New(fmt.Sprintf("wds%d", os.Getpid()%100000), seed)
	if err != nil {
		t.Fatal(err)
	}
	lab.Log = t.Logf
	t.Cleanup(lab.Close)
	boot, _ := startHelpers(t, lab, false)

	t.Run("local only", func(t *testing.T) {
		h, err := lab.AddPublic("local")
		if err != nil {
			t.Fatal(err)
		}
		p := labParty{t, h, t.TempDir(), []string{"WORKDIARY_LOCAL_ONLY=1", "WORKDIARY_BOOTSTRAP=" + strings.Join(boot, ",")}}
		p.must("init", "--name", "Loopback")
		w, err := h.WatchOutgoing()
		if err != nil {
			t.Fatal(err)
		}
		exercise(t, p)
		if n, where, err := w.Packets(); err != nil || n != 0 {
			t.Errorf("a node under WORKDIARY_LOCAL_ONLY sent %d packets off loopback (%v):\n%s", n, err, where)
		}
	})
	t.Run("bootstrap into the lab", func(t *testing.T) {
		h, err := lab.AddPublic("labnode")
		if err != nil {
			t.Fatal(err)
		}
		p := labParty{t, h, t.TempDir(), labEnv(boot)}
		p.must("init", "--name", "Lab node")
		w, err := h.WatchOutgoing(lab.Nets()...)
		if err != nil {
			t.Fatal(err)
		}
		exercise(t, p)
		if n, where, err := w.Packets(); err != nil || n != 0 {
			t.Errorf("a node bootstrapped into the lab sent %d packets outside it (%v):\n%s", n, err, where)
		}
		report := p.must("netcheck")
		if !strings.Contains(report, "DHT peers: ") || strings.Contains(report, "DHT peers: 0\n") {
			t.Errorf("the lab node did not join the lab's DHT, so the test proves nothing:\n%s", report)
		}
	})
}

// exercise runs what makes a node reach out: serve long enough for
// AutoNAT and the DHT to start, an offer, a sync, a netcheck.
func exercise(t *testing.T, p labParty) {
	t.Helper()
	srv := p.serve()
	p.must("contract", "offer", "--title", "Probe", "--rate", "1", "--currency", "EUR")
	time.Sleep(20 * time.Second)
	p.must("sync", "--timeout", "5s")
	p.must("netcheck", "--json", "--wait", "1s")
	srv.stop(t, 10*time.Second)
}
