package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/p2p"
)

func runNetcheck(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "netcheck", "[--wait DURATION] [--json]")
	wait := fs.Duration("wait", 30*time.Second, "with no app or serve running: how long to wait for the network's verdict on reachability")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	r, err := do(ctx, e, "workdiary netcheck", node.OpNetcheck, node.NetcheckParams{Wait: *wait})
	if err != nil {
		return err
	}
	if *asJSON {
		return e.printJSON(r)
	}
	printNetReport(e, r)
	return nil
}

func printNetReport(e *env, r node.NetReport) {
	if r.LocalOnly {
		fmt.Fprintln(e.stdout, "Loopback only (WORKDIARY_LOCAL_ONLY): no DHT, relays, LAN discovery or hole punching.")
	}
	fmt.Fprintf(e.stdout, "Reachable from the internet: %s\n", reachSentence(r.Reachability))
	for _, a := range r.PublicAddrs {
		fmt.Fprintf(e.stdout, "  public address  %s\n", a)
	}
	for _, a := range r.RelayAddrs {
		fmt.Fprintf(e.stdout, "  through relay   %s\n", a)
	}
	for proto, nat := range r.NAT {
		fmt.Fprintf(e.stdout, "NAT (%s): %s\n", proto, nat)
	}
	fmt.Fprintf(e.stdout, "DHT peers: %d\n", r.DHTPeers)
	for _, c := range r.Counterparts {
		now := pathSentence(c.Path)
		if c.Path == p2p.PathNotReached {
			now = "not connected now"
		}
		last := "never synced"
		if c.LastPath != "" {
			last = fmt.Sprintf("last synced %s, %s", c.LastReached.Local().Format("2006-01-02 15:04"), pathSentence(c.LastPath))
		}
		fmt.Fprintf(e.stdout, "%-24s %s; %s\n", trim(c.Title, 24), now, last)
	}
}

func reachSentence(r string) string {
	switch r {
	case "public":
		return "yes"
	case "private":
		return "no (behind a NAT or firewall: counterparts reach it through relays and hole punching)"
	}
	return "not known yet"
}

func pathSentence(path string) string {
	switch path {
	case p2p.PathLAN:
		return "on the local network"
	case p2p.PathDirect:
		return "directly over the internet"
	case p2p.PathHolePunch:
		return "directly, through both routers (hole punched)"
	case p2p.PathRelayed:
		return "through your relay"
	case p2p.PathLimited:
		return "only through a public relay, which carries too little for a sync (run `workdiary serve --relay` on a public machine, or use sync --export/--import)"
	case p2p.PathFile:
		return "as a file"
	}
	return path
}

func trim(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return strings.TrimSpace(string(r[:n-1])) + "…"
	}
	return s
}
