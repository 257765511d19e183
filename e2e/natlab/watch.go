package natlab

import (
	"fmt"
	"net/netip"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
)

// Watch counts the packets a host sends anywhere but to the given
// networks (loopback never counts), so that a test can prove a program
// talked to nobody else.
type Watch struct{ h *Host }

// WatchOutgoing starts counting on h. Multicast on the host's own link
// (mDNS, UPnP discovery) stays in the lab and does not count.
func (h *Host) WatchOutgoing(allowed ...netip.Prefix) (*Watch, error) {
	parts := []string{"224.0.0.0/4"}
	for _, p := range allowed {
		parts = append(parts, p.Masked().String())
	}
	v4 := "ip daddr != { " + strings.Join(parts, ", ") + " }"
	v6 := "ip6 daddr != ff00::/8"
	// TCP and UDP only: the kernel's own ICMPv6 (router solicitations,
	// multicast listener reports) on a new link is not a program talking.
	rules := `table inet watch {
  set v4 { type ipv4_addr; flags dynamic; size 256; }
  set v6 { type ipv6_addr; flags dynamic; size 256; }
  chain out {
    type filter hook output priority 0;
    oifname != "lo" meta l4proto { tcp, udp } ` + v4 + ` counter add @v4 { ip daddr }
    oifname != "lo" meta l4proto { tcp, udp } ` + v6 + ` counter add @v6 { ip6 daddr }
  }
}
`
	if err := h.lab.nft(h.NS, rules); err != nil {
		return nil, err
	}
	return &Watch{h}, nil
}

var counterRE = regexp.MustCompile(`counter packets (\d+) bytes (\d+)`)

// Packets is how many packets went elsewhere so far, and the table of
// where they went.
func (w *Watch) Packets() (int, string, error) {
	out, err := exec.Command("ip", "netns", "exec", w.h.NS, "nft", "list", "table", "inet", "watch").CombinedOutput()
	if err != nil {
		return 0, "", fmt.Errorf("read the counter on %s: %v: %s", w.h.Name, err, out)
	}
	total := 0
	for _, m := range counterRE.FindAllSubmatch(out, -1) {
		n, _ := strconv.Atoi(string(m[1]))
		total += n
	}
	return total, string(out), nil
}

// Nets are the public networks the lab has handed out so far.
func (l *Lab) Nets() []netip.Prefix {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []netip.Prefix
	for _, n := range l.nets[:l.used] {
		out = append(out, netip.MustParsePrefix(n+".0.0/24"))
	}
	return out
}
