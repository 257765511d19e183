package natlab

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"os"
	"os/exec"
	"strings"
	"sync"
)

// NAT says how a router maps its inside hosts' connections.
type NAT string

const (
	// PortPreserving keeps a connection's source port where it is free
	// and maps every destination through the same port, as home routers
	// do (endpoint-independent mapping); hole punching works through it.
	PortPreserving NAT = "port-preserving"
	// Symmetric picks a new random port for each connection, so no
	// outside peer can predict the mapping another peer saw; hole
	// punching fails through it.
	Symmetric NAT = "symmetric"
)

// Host is one machine of the lab: a network namespace with one address.
type Host struct {
	Name string     // short name given by the test
	NS   string     // network namespace
	Addr netip.Addr // its own address; invalid on a host with IPv6 only
	// Addr6 is its IPv6 address, on a host AddPublic6 made.
	Addr6 netip.Addr
	lab   *Lab
	slot  int // its link on the core router, for a host on the internet
}

// Router is a NAT router with one inside host behind it.
type Router struct {
	Host         // the router itself, on the internet
	Inside *Host // the host behind it
	NAT    NAT
}

// Lab is a simulated internet. Build it with New, add hosts, and Close it.
type Lab struct {
	prefix string
	nets   []string // public networks in the order this lab hands them out
	Log    func(format string, args ...any)

	mu      sync.Mutex
	hosts   []*Host
	links   int
	used    int
	procs   []*exec.Cmd
	closed  bool
	cleanup []func()
}

// ErrUnavailable is returned where this machine cannot make namespaces
// (not root, no `ip`, no `nft`).
var ErrUnavailable = errors.New("network namespaces are not available here")

// Available says whether a lab can be built here, and if not why.
func Available() error {
	if os.Geteuid() != 0 {
		return fmt.Errorf("%w: the lab needs root (ip netns, nft)", ErrUnavailable)
	}
	for _, tool := range []string{"ip", "nft", "conntrack"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%w: %s is not installed (scripts/setup.sh installs iproute2, nftables and conntrack)", ErrUnavailable, tool)
		}
	}
	return nil
}

// New starts an empty lab whose namespaces and links are named from
// prefix (a few letters: interface names are short). seed orders the
// public networks it hands out, so a run can be replayed. It removes
// anything left over from an earlier lab of the same prefix first.
func New(prefix string, seed uint64) (*Lab, error) {
	if err := Available(); err != nil {
		return nil, err
	}
	l := &Lab{prefix: prefix, Log: func(string, ...any) {}, nets: append([]string(nil), publicNets...)}
	r := rand.New(rand.NewPCG(seed, seed^0x1ab))
	r.Shuffle(len(l.nets), func(i, j int) { l.nets[i], l.nets[j] = l.nets[j], l.nets[i] })
	l.removeLeftovers()
	core := l.ns("core")
	if err := l.sh("ip", "netns", "add", core); err != nil {
		return nil, err
	}
	l.cleanup = append(l.cleanup, func() { _ = l.sh("ip", "netns", "del", core) })
	if err := l.all(core,
		"ip link set lo up",
		"sysctl -qw net.ipv4.ip_forward=1",
		"sysctl -qw net.ipv6.conf.all.forwarding=1"); err != nil {
		l.Close()
		return nil, err
	}
	return l, nil
}

func (l *Lab) ns(name string) string { return l.prefix + "-" + name }

// removeLeftovers deletes namespaces of this prefix that an earlier lab,
// killed before its Close, left behind.
func (l *Lab) removeLeftovers() {
	out, err := exec.Command("ip", "netns", "list").Output()
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(out), "\n") {
		name, _, _ := strings.Cut(strings.TrimSpace(line), " ")
		if strings.HasPrefix(name, l.prefix+"-") {
			l.killIn(name)
			_ = l.sh("ip", "netns", "del", name)
		}
	}
}

// killIn ends every process still running in a namespace.
func (l *Lab) killIn(ns string) {
	out, _ := exec.Command("ip", "netns", "pids", ns).Output()
	for _, pid := range strings.Fields(string(out)) {
		_ = exec.Command("kill", "-9", pid).Run()
	}
}

// sh runs a command on the machine and returns its error with its output.
func (l *Lab) sh(name string, args ...string) error {
	cmd := exec.Command(name, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s: %v: %s", name, strings.Join(args, " "), err, strings.TrimSpace(out.String()))
	}
	return nil
}

// in runs a shell-free command line inside a namespace.
func (l *Lab) in(ns, line string) error {
	return l.sh("ip", append([]string{"netns", "exec", ns}, strings.Fields(line)...)...)
}

// all runs command lines inside a namespace, stopping at the first error.
func (l *Lab) all(ns string, lines ...string) error {
	for _, line := range lines {
		if err := l.in(ns, line); err != nil {
			return err
		}
	}
	return nil
}

// Close ends every process the lab started and removes every namespace
// and link it made.
func (l *Lab) Close() {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return
	}
	l.closed = true
	procs, hosts, cleanup := l.procs, l.hosts, l.cleanup
	l.mu.Unlock()
	for _, p := range procs {
		if p.Process != nil {
			_ = p.Process.Kill()
		}
	}
	for _, h := range hosts {
		l.killIn(h.NS)
		_ = l.sh("ip", "netns", "del", h.NS)
	}
	for i := len(cleanup) - 1; i >= 0; i-- {
		cleanup[i]()
	}
}
