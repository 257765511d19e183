package natlab

import (
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"strings"
)

// publicNets are the lab's "internet" networks, one /24 out of a
// different /16 for each link on the core router: libp2p counts an
// address another peer observed as confirmed only when peers in several
// different networks report it, and it keeps its NAT logic off for the
// documentation and benchmarking ranges, so the lab must look public.
// None of them is reachable from the lab: it has no route out.
var publicNets = []string{
	"23.17", "45.33", "67.49", "89.65", "101.81", "121.97", "143.113", "163.129",
	"181.145", "197.161", "211.177", "34.193", "56.209", "78.225", "92.241", "113.9",
}

// nextNet is the next unused public /24 of the core router: the core
// side is .1, the host .2.
func (l *Lab) nextNet() (core, host netip.Prefix, err error) {
	l.mu.Lock()
	i := l.used
	l.used++
	l.mu.Unlock()
	if i >= len(l.nets) {
		return netip.Prefix{}, netip.Prefix{}, fmt.Errorf("the lab has no public network left (%d in use)", i)
	}
	core = netip.MustParsePrefix(l.nets[i] + ".0.1/24")
	host = netip.MustParsePrefix(l.nets[i] + ".0.2/24")
	return core, host, nil
}

// addHost makes a namespace for a host of the lab.
func (l *Lab) addHost(name string) (*Host, error) {
	h := &Host{Name: name, NS: l.ns(name), lab: l}
	if err := l.sh("ip", "netns", "add", h.NS); err != nil {
		return nil, err
	}
	l.mu.Lock()
	l.hosts = append(l.hosts, h)
	l.mu.Unlock()
	return h, l.in(h.NS, "ip link set lo up")
}

// link joins namespace a's interface ifA to namespace b's ifB with a
// veth pair, both up.
func (l *Lab) link(a, ifA, b, ifB string) error {
	l.mu.Lock()
	l.links++
	n := l.links
	l.mu.Unlock()
	tmpA, tmpB := fmt.Sprintf("%sa%d", l.prefix, n), fmt.Sprintf("%sb%d", l.prefix, n)
	steps := [][]string{
		{"ip", "link", "add", tmpA, "type", "veth", "peer", "name", tmpB},
		{"ip", "link", "set", tmpA, "netns", a},
		{"ip", "link", "set", tmpB, "netns", b},
		{"ip", "-n", a, "link", "set", tmpA, "name", ifA},
		{"ip", "-n", b, "link", "set", tmpB, "name", ifB},
		{"ip", "-n", a, "link", "set", ifA, "up"},
		{"ip", "-n", b, "link", "set", ifB, "up"},
	}
	for _, s := range steps {
		if err := l.sh(s[0], s[1:]...); err != nil {
			_ = l.sh("ip", "link", "del", tmpA) // left in the root namespace
			return err
		}
	}
	return nil
}

// attach puts a host on the internet: a link to the core router on the
// next public network, and a default route through it.
func (l *Lab) attach(h *Host) (slot int, err error) {
	core, addr, err := l.nextNet()
	if err != nil {
		return 0, err
	}
	l.mu.Lock()
	slot = l.used
	l.mu.Unlock()
	coreIf := fmt.Sprintf("n%d", slot)
	if err := l.link(l.ns("core"), coreIf, h.NS, "eth0"); err != nil {
		return 0, err
	}
	if err := l.all(l.ns("core"), "ip addr add "+core.String()+" dev "+coreIf); err != nil {
		return 0, err
	}
	if err := l.all(h.NS, "ip addr add "+addr.String()+" dev eth0",
		"ip route add default via "+core.Addr().String()); err != nil {
		return 0, err
	}
	h.Addr, h.slot = addr.Addr(), slot
	l.Log("lab: %s is %s on the internet", h.Name, h.Addr)
	return slot, nil
}

// AddPublic adds a host with a public address of its own network.
func (l *Lab) AddPublic(name string) (*Host, error) {
	h, err := l.addHost(name)
	if err != nil {
		return nil, err
	}
	if _, err := l.attach(h); err != nil {
		return nil, err
	}
	return h, nil
}

// AddBehindNAT adds a router on the internet doing nat, and one host
// behind it on a private network of its own.
func (l *Lab) AddBehindNAT(name string, nat NAT) (*Router, error) {
	r := &Router{NAT: nat}
	h, err := l.addHost(name + "-gw")
	if err != nil {
		return nil, err
	}
	r.Host = *h
	if _, err = l.attach(&r.Host); err != nil {
		return nil, err
	}
	inside, err := l.addHost(name)
	if err != nil {
		return nil, err
	}
	lan := fmt.Sprintf("192.168.%d", r.slot)
	if err := l.link(r.NS, "eth1", inside.NS, "eth0"); err != nil {
		return nil, err
	}
	if err := l.all(r.NS, "ip addr add "+lan+".1/24 dev eth1", "sysctl -qw net.ipv4.ip_forward=1"); err != nil {
		return nil, err
	}
	if err := l.all(inside.NS, "ip addr add "+lan+".2/24 dev eth0", "ip route add default via "+lan+".1"); err != nil {
		return nil, err
	}
	inside.Addr = netip.MustParseAddr(lan + ".2")
	r.Inside = inside
	if err := l.nft(r.NS, natRules(nat)); err != nil {
		return nil, err
	}
	l.Log("lab: %s is %s behind %s (%s NAT at %s)", inside.Name, inside.Addr, r.Name, nat, r.Addr)
	return r, nil
}

// natRules is a home router's firewall: inside hosts go out under the
// router's address, and from outside only answers to them come in.
func natRules(nat NAT) string {
	how := "masquerade"
	if nat == Symmetric {
		how = "masquerade random"
	}
	// Unasked packets from outside are dropped before connection tracking
	// confirms them: otherwise each leaves an entry that makes the router
	// choose another port for the inside host's next packet to the same
	// peer, which no home router that preserves ports does and which
	// defeats hole punching.
	return `table ip lab {
  chain unasked {
    type filter hook prerouting priority -150;
    iifname "eth0" ct state new drop
  }
  chain outbound { type nat hook postrouting priority srcnat; oifname "eth0" ` + how + `; }
  chain guard {
    type filter hook forward priority filter; policy drop;
    ct state established,related accept
    iifname "eth1" oifname "eth0" accept
  }
}
`
}

// nft loads a ruleset into a namespace.
func (l *Lab) nft(ns, rules string) error {
	cmd := exec.Command("ip", "netns", "exec", ns, "nft", "-f", "-")
	cmd.Stdin = strings.NewReader(rules)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("nft in %s: %v: %s", ns, err, strings.TrimSpace(string(out)))
	}
	return nil
}

// Renumber gives a host on the internet (a public host, or a router's
// outside) a new address on another network, as an ISP does.
func (l *Lab) Renumber(h *Host) error {
	core, addr, err := l.nextNet()
	if err != nil {
		return err
	}
	coreIf := fmt.Sprintf("n%d", h.slot)
	if err := l.all(l.ns("core"), "ip addr flush dev "+coreIf, "ip addr add "+core.String()+" dev "+coreIf); err != nil {
		return err
	}
	if err := l.all(h.NS, "ip addr flush dev eth0", "ip addr add "+addr.String()+" dev eth0",
		"ip route add default via "+core.Addr().String()); err != nil {
		return err
	}
	l.Log("lab: %s renumbered from %s to %s", h.Name, h.Addr, addr.Addr())
	h.Addr = addr.Addr()
	return nil
}

// RenumberRouter renumbers a NAT router and forgets every mapping it made
// under its old address.
func (l *Lab) RenumberRouter(r *Router) error {
	if err := l.Renumber(&r.Host); err != nil {
		return err
	}
	// Reloading the rules drops the router's connection tracking state.
	return l.nft(r.NS, "flush ruleset\n"+natRules(r.NAT))
}

// Command is a program to run on a host, not started yet; the lab kills it
// on Close if it still runs. env is the whole environment it gets, on top
// of PATH and HOME.
func (h *Host) Command(env []string, name string, args ...string) *exec.Cmd {
	cmd := exec.Command("ip", append([]string{"netns", "exec", h.NS, name}, args...)...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}, env...)
	h.lab.mu.Lock()
	h.lab.procs = append(h.lab.procs, cmd)
	h.lab.mu.Unlock()
	return cmd
}

// Run runs a command line on a host and returns what it printed.
func (h *Host) Run(name string, args ...string) (string, error) {
	out, err := exec.Command("ip", append([]string{"netns", "exec", h.NS, name}, args...)...).CombinedOutput()
	return string(out), err
}

// Shape limits a router's line to mbit megabits a second each way, as a
// home connection is limited: its outside link sends at most that much
// (upload) and so does its inside link (download). A lab without it
// moves data as fast as the machine copies it, which says nothing of a
// relay's cost on a real line.
func (l *Lab) Shape(r *Router, mbit int) error {
	for _, dev := range []string{"eth0", "eth1"} {
		line := fmt.Sprintf("tc qdisc replace dev %s root tbf rate %dmbit burst 64kb latency 100ms", dev, mbit)
		if err := l.in(r.NS, line); err != nil {
			return err
		}
	}
	l.Log("lab: %s's line is %d Mbit/s each way", r.Name, mbit)
	return nil
}

// Forget drops every mapping router r keeps for traffic with peer, as
// if it had been idle long enough to expire them: the next connection
// between the two must open the router anew (hole punching must punch
// again, not reuse the hole the last one left open).
func (l *Lab) Forget(r *Router, peer netip.Addr) error {
	for _, dir := range []string{"-s", "-d"} {
		// conntrack exits 1 when there was nothing to delete.
		out, err := exec.Command("ip", "netns", "exec", r.NS, "conntrack", "-D", dir, peer.String()).CombinedOutput()
		if err != nil && !strings.Contains(string(out), "0 flow entries") {
			return fmt.Errorf("forget %s on %s: %v: %s", peer, r.Name, err, strings.TrimSpace(string(out)))
		}
	}
	return nil
}

// v6Net is the public-looking IPv6 /64 of the core router's link slot:
// each in a /32 of its own (libp2p groups IPv6 observers by prefix, as it
// does IPv4 ones by network), out of 2a02::/16, which libp2p counts as
// public; 2001:db8::/32, the documentation prefix, it ignores.
func v6Net(slot int) netip.Prefix {
	return netip.MustParsePrefix(fmt.Sprintf("2a02:%x:%x::/64", 0x1000+slot*0x111, slot))
}

// AddPublic6 adds a host on the internet with an IPv6 address, and an
// IPv4 one too when v4 is set (dual stack); without it the host has IPv6
// alone and reaches IPv4 hosts not at all.
func (l *Lab) AddPublic6(name string, v4 bool) (*Host, error) {
	h, err := l.addHost(name)
	if err != nil {
		return nil, err
	}
	core, addr, err := l.nextNet()
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	slot := l.used
	l.mu.Unlock()
	coreIf := fmt.Sprintf("n%d", slot)
	if err := l.link(l.ns("core"), coreIf, h.NS, "eth0"); err != nil {
		return nil, err
	}
	p := v6Net(slot)
	gw, own := p.Addr().Next(), p.Addr().Next().Next()
	// nodad: the addresses work at once, without the second of duplicate
	// address detection.
	if err := l.all(l.ns("core"), fmt.Sprintf("ip -6 addr add %s/64 dev %s nodad", gw, coreIf)); err != nil {
		return nil, err
	}
	if err := l.all(h.NS, fmt.Sprintf("ip -6 addr add %s/64 dev eth0 nodad", own), "ip -6 route add default via "+gw.String()); err != nil {
		return nil, err
	}
	h.Addr6, h.slot = own, slot
	if v4 {
		if err := l.all(l.ns("core"), "ip addr add "+core.String()+" dev "+coreIf); err != nil {
			return nil, err
		}
		if err := l.all(h.NS, "ip addr add "+addr.String()+" dev eth0", "ip route add default via "+core.Addr().String()); err != nil {
			return nil, err
		}
		h.Addr = addr.Addr()
	}
	l.Log("lab: %s is %s and %v on the internet", h.Name, h.Addr6, h.Addr)
	return h, nil
}
