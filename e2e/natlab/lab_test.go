package natlab

import (
	"bufio"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	RunProbe()
	os.Exit(m.Run())
}

// newLab is a lab for one test, or the test fails with the reason the
// machine cannot make one.
func newLab(t *testing.T) *Lab {
	t.Helper()
	if err := Available(); err != nil {
		if os.Getenv("CI") == "" && os.Geteuid() != 0 {
			t.Skipf("no NAT lab: %v", err)
		}
		t.Fatal(err)
	}
	l, err := New(fmt.Sprintf("wdt%d", os.Getpid()%1000), uint64(time.Now().UnixNano()))
	if err != nil {
		t.Fatal(err)
	}
	l.Log = t.Logf
	t.Cleanup(l.Close)
	return l
}

func public(t *testing.T, l *Lab, name string) *Host {
	t.Helper()
	h, err := l.AddPublic(name)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func behindNAT(t *testing.T, l *Lab, name string, nat NAT) *Router {
	t.Helper()
	r, err := l.AddBehindNAT(name, nat)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// startEcho runs the echo probe on a host and waits until it answers.
func startEcho(t *testing.T, h *Host, port string) {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := h.Command([]string{EnvProbe + "=echo " + port}, self)
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, _ := bufio.NewReader(out).ReadString('\n')
	if strings.TrimSpace(line) != "ready" {
		t.Fatalf("echo on %s: %q", h.Name, line)
	}
}

// seenFrom asks each target from local port and returns what they saw.
func seenFrom(t *testing.T, h *Host, local string, targets ...netip.AddrPort) map[netip.AddrPort]string {
	t.Helper()
	self, _ := os.Executable()
	spec := "ask " + local
	for _, a := range targets {
		spec += " " + a.String()
	}
	out, err := h.Command([]string{EnvProbe + "=" + spec}, self).Output()
	if err != nil {
		t.Fatalf("probe on %s: %v", h.Name, err)
	}
	seen := map[netip.AddrPort]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		to, from, _ := strings.Cut(line, " ")
		seen[netip.MustParseAddrPort(to)] = from
	}
	return seen
}

// TestNATBehaviour checks that the lab's routers behave as the NATs they
// stand for: a port-preserving router shows every destination the same
// mapping, keeping the inside port; a symmetric one shows each a new one;
// nobody outside reaches an inside host unasked; and a renumbered router
// goes out under its new address.
func TestNATBehaviour(t *testing.T) {
	l := newLab(t)
	a := public(t, l, "pa")
	b := public(t, l, "pb")
	home := behindNAT(t, l, "home", PortPreserving)
	sym := behindNAT(t, l, "sym", Symmetric)
	for _, h := range []*Host{a, b} {
		startEcho(t, h, "7000")
	}
	ta, tb := netip.AddrPortFrom(a.Addr, 7000), netip.AddrPortFrom(b.Addr, 7000)

	seen := seenFrom(t, home.Inside, "5000", ta, tb)
	want := netip.AddrPortFrom(home.Addr, 5000).String()
	if seen[ta] != want || seen[tb] != want {
		t.Errorf("port-preserving NAT: peers saw %v, want %s from both", seen, want)
	}
	seen = seenFrom(t, sym.Inside, "5000", ta, tb)
	if seen[ta] == "-" || seen[tb] == "-" || seen[ta] == seen[tb] {
		t.Errorf("symmetric NAT: peers saw %v, want two different mappings", seen)
	}
	if !strings.HasPrefix(seen[ta], sym.Addr.String()+":") {
		t.Errorf("symmetric NAT: a saw %s, want the router's address %s", seen[ta], sym.Addr)
	}

	// An unsolicited packet from outside reaches nobody inside.
	startEcho(t, home.Inside, "7001")
	if got := seenFrom(t, a, "5001", netip.AddrPortFrom(home.Addr, 7001)); got[netip.AddrPortFrom(home.Addr, 7001)] != "-" {
		t.Errorf("an outside host reached the inside one unasked: %v", got)
	}
	// A private address is not routed on the internet.
	if got := seenFrom(t, a, "5002", netip.AddrPortFrom(home.Inside.Addr, 7001)); got[netip.AddrPortFrom(home.Inside.Addr, 7001)] != "-" {
		t.Errorf("a private address was reachable from the internet: %v", got)
	}

	old := home.Addr
	if err := l.RenumberRouter(home); err != nil {
		t.Fatal(err)
	}
	seen = seenFrom(t, home.Inside, "5000", ta)
	if home.Addr == old || seen[ta] != netip.AddrPortFrom(home.Addr, 5000).String() {
		t.Errorf("after renumbering from %s: a saw %s, want %s:5000", old, seen[ta], home.Addr)
	}
}

// TestNoWayOut checks that the lab is closed: no host has a route but its
// own networks and the core, and the machine's own namespace has no lab
// address; Close leaves no namespace or link behind.
func TestNoWayOut(t *testing.T) {
	l := newLab(t)
	a := public(t, l, "pa")
	r := behindNAT(t, l, "home", PortPreserving)
	for _, h := range []*Host{a, r.Inside} {
		out, err := h.Run("ip", "route", "get", "8.8.8.8")
		if err != nil {
			t.Fatalf("%s: %v %s", h.Name, err, out)
		}
		// The default route leads to the core router, which has none.
	}
	if out, _ := exec.Command("ip", "netns", "exec", l.ns("core"), "ip", "route", "get", "8.8.8.8").CombinedOutput(); !strings.Contains(string(out), "unreachable") {
		t.Errorf("the core router has a route out of the lab: %s", out)
	}
	root, _ := exec.Command("ip", "-o", "addr").Output()
	for _, h := range []*Host{a, &r.Host} {
		if strings.Contains(string(root), " "+h.Addr.String()+"/") {
			t.Errorf("the machine's own namespace has the lab address %s", h.Addr)
		}
	}
	l.Close()
	time.Sleep(100 * time.Millisecond)
	list, _ := exec.Command("ip", "netns", "list").Output()
	links, _ := exec.Command("ip", "-o", "link").Output()
	if strings.Contains(string(list), l.prefix+"-") || strings.Contains(string(links), l.prefix) {
		t.Errorf("Close left lab namespaces or links:\n%s\n%s", list, links)
	}
}

// A dual-stack host and an IPv6-only one reach each other over IPv6; the
// IPv6-only one has no IPv4 address or route, so IPv4 hosts are out of
// its reach, as on an IPv6-only mobile network.
func TestIPv6OnlyAndDualStack(t *testing.T) {
	l := newLab(t)
	dual, err := l.AddPublic6("dual", true)
	if err != nil {
		t.Fatal(err)
	}
	only, err := l.AddPublic6("only", false)
	if err != nil {
		t.Fatal(err)
	}
	v4 := public(t, l, "v4")
	if !dual.Addr.IsValid() || !dual.Addr6.Is6() || only.Addr.IsValid() || !only.Addr6.Is6() {
		t.Fatalf("addresses: dual %v %v, only %v %v", dual.Addr, dual.Addr6, only.Addr, only.Addr6)
	}
	for _, h := range []*Host{dual, v4} {
		startEcho(t, h, "7000")
	}
	to6, to4 := netip.AddrPortFrom(dual.Addr6, 7000), netip.AddrPortFrom(v4.Addr, 7000)
	seen := seenFrom(t, only, "7001", to6, to4)
	if want := netip.AddrPortFrom(only.Addr6, 7001).String(); seen[to6] != want {
		t.Errorf("IPv6-only to dual stack: seen as %q, want %q", seen[to6], want)
	}
	if seen[to4] != "-" {
		t.Errorf("the IPv6-only host reached %s over IPv4 (seen as %q)", to4, seen[to4])
	}
	if seen := seenFrom(t, dual, "7002", to4); seen[to4] != netip.AddrPortFrom(dual.Addr, 7002).String() {
		t.Errorf("dual stack to an IPv4 host: seen as %q", seen[to4])
	}
	if out, _ := only.Run("ip", "-4", "addr", "show", "dev", "eth0"); strings.Contains(out, "inet ") {
		t.Errorf("the IPv6-only host has an IPv4 address:\n%s", out)
	}
}
