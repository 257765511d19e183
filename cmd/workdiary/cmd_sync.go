package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/workdiary/workdiary/internal/clock"
	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/owner"
	"github.com/workdiary/workdiary/internal/p2p"
	"github.com/workdiary/workdiary/internal/syncp2p"
)

// listenFlag collects repeated --listen multiaddrs.
type listenFlag []string

func (l *listenFlag) String() string     { return strings.Join(*l, ",") }
func (l *listenFlag) Set(s string) error { *l = append(*l, s); return nil }

func addListen(fs *flag.FlagSet) *listenFlag {
	var l listenFlag
	fs.Var(&l, "listen", "multiaddr to listen on (repeatable; default TCP and QUIC on the data folder's port)")
	return &l
}

func runServe(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && args[0] == "status" {
		return runServeStatus(ctx, e, args[1:])
	}
	fs := newFlags(e, "serve", "[--listen MULTIADDR …] [--every DURATION] [--public | --relay --relay-for PEER_ID …] [--log-level LEVEL] [--log-format text|json]")
	listen := addListen(fs)
	every := fs.Duration("every", 30*time.Second, "how often to sync with counterparts")
	public := fs.Bool("public", false, "serve the DHT, AutoNAT and a limited relay for anyone; keep no diary (needs a public address)")
	relay := fs.Bool("relay", false, "relay without limits for the peers named by --relay-for (needs a public address)")
	var relayFor listenFlag
	fs.Var(&relayFor, "relay-for", "peer ID of an installation this relay serves (repeatable; with --relay)")
	logs := addLogFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	roles, err := serveRoles(*public, *relay, relayFor)
	if err != nil {
		return err
	}
	logger, err := logs.logger(e)
	if err != nil {
		return err
	}
	home, err := e.resolveHome()
	if err != nil {
		return err
	}
	// The demo clock (WORKDIARY_CLOCK_SPEED, _AT or _BACK) as the desktop
	// app reads it, so a demo or a test can run a served folder, and the
	// commands it answers, in another week.
	clk, err := clock.FromEnv()
	if err != nil {
		return err
	}
	n, err := node.OpenOwner(ctx, home, "workdiary serve", clk, waitingNotice(e, home), node.WithLogger(logger))
	if err != nil {
		return err
	}
	defer n.Close()
	opts := n.UserNetOptions(*listen)
	if roles != nil {
		if opts, err = helperOptions(n, opts, roles); err != nil {
			return err
		}
	}
	if err := n.StartNetwork(ctx, opts); err != nil {
		return err
	}
	go func() { _ = n.Serve(ctx) }()
	info, err := n.IdentityInfo()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Serving %s (%s) on:\n", info.Name, info.PeerID)
	for _, a := range info.Addrs {
		fmt.Fprintf(e.stdout, "  %s\n", a)
	}
	n.SyncEvery(ctx, *every, func(r node.SyncResult) {
		if r.Error != "" {
			fmt.Fprintf(e.stdout, "%s  sync %q: %s\n", time.Now().Format("15:04:05"), r.Title, syncFailure(r))
		}
	})
	<-ctx.Done()
	fmt.Fprintln(e.stdout, "Stopped.")
	return nil
}

func runSync(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "sync", "[--contract ID] [--timeout DURATION] [--listen MULTIADDR …] [--json] | --export FILE --contract ID | --import FILE")
	var p node.SyncParams
	fs.StringVar(&p.Contract, "contract", "", "one contract (ID or prefix); default all active ones")
	export := fs.String("export", "", "instead of the network: write the contract's log to FILE (contractor), or the reply to the contractor's log files (employer)")
	imp := fs.String("import", "", "instead of the network: apply a contractor's log FILE (employer), or the employer's reply FILE (contractor)")
	timeout := fs.Duration("timeout", 2*time.Minute, "give up after this long")
	listen := addListen(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	home, err := e.resolveHome()
	if err != nil {
		return err
	}
	if *export != "" || *imp != "" {
		return syncFile(ctx, e, home, p.Contract, *export, *imp)
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	res, err := node.OpSync.Ask(ctx, home, p)
	if errors.Is(err, owner.ErrNoOwner) {
		res, err = syncLocally(ctx, e, home, p, *listen, !*asJSON)
	}
	if err != nil {
		return err
	}
	if *asJSON {
		return e.printJSON(res)
	}
	failed := 0
	for _, r := range res {
		if r.Error != "" {
			failed++
			fmt.Fprintf(e.stdout, "%-24s %-10s FAILED: %s\n", r.Title, r.Role, syncFailure(r))
			continue
		}
		fmt.Fprintf(e.stdout, "%-24s %-10s in sync: the employer holds %d entries\n", r.Title, r.Role, r.Seq)
	}
	for _, r := range res {
		printRefused(e, r.Title, r.Role, r.Refused)
	}
	if len(res) == 0 {
		fmt.Fprintln(e.stdout, "No active contracts to sync.")
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d contracts did not sync", failed, len(res))
	}
	return nil
}

func syncLocally(ctx context.Context, e *env, home string, p node.SyncParams, listen []string, show bool) ([]node.SyncResult, error) {
	n, err := node.Open(home, "workdiary sync", clock.Real{})
	if err != nil {
		return nil, err
	}
	defer n.Close()
	if err := n.StartNetwork(ctx, n.UserNetOptions(listen)); err != nil {
		return nil, err
	}
	if !show {
		return n.Sync(ctx, p, nil)
	}
	return n.Sync(ctx, p, progressPrinter(e))
}

// progressPrinter prints a line per step of a round, and while images
// flow at most one a second.
func progressPrinter(e *env) func(syncp2p.Progress) {
	var last syncp2p.Progress
	var at time.Time
	return func(pr syncp2p.Progress) {
		step := pr.Stage != last.Stage || pr.Sent != last.Sent || pr.Contract != last.Contract
		if !step && time.Since(at) < time.Second {
			return
		}
		last, at = pr, time.Now()
		fmt.Fprintf(e.stdout, "  %x… %-10s %d/%d entries, %d images\n", pr.Contract[:6], pr.Stage, pr.Sent, pr.Total, pr.Images)
	}
}

// syncFile is the fallback transport: one file carried by hand.
func syncFile(ctx context.Context, e *env, home, contract, export, imp string) error {
	op, file := node.OpLogImport, imp
	if export != "" {
		if contract == "" {
			return fmt.Errorf("sync --export needs --contract ID")
		}
		op, file = node.OpLogExport, export
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return err
	}
	res, err := op.Do(ctx, home, "workdiary sync", node.LogFileParams{Contract: contract, File: abs})
	if err != nil {
		return err
	}
	switch {
	case export != "" && res.Kind == "reply":
		fmt.Fprintf(e.stdout, "Wrote the reply for the contractor of contract %s to %s: %s\n", res.Contract[:12], abs, fileSummary(res, "to close"))
		fmt.Fprintln(e.stdout, "  The contractor imports it with `workdiary sync --import FILE`.")
	case export != "":
		fmt.Fprintf(e.stdout, "Wrote %d entries and %d images of contract %s to %s\n", res.Entries, res.Images, res.Contract[:12], abs)
		if res.Closes > 0 {
			fmt.Fprintf(e.stdout, "  It asks the employer to close %s; import the employer's reply file to finish.\n", plural(res.Closes, "week"))
		}
	case res.Kind == "reply":
		fmt.Fprintf(e.stdout, "Applied the employer's reply for contract %s: %s\n", res.Contract[:12], fileSummary(res, "closed"))
		printRefused(e, res.Contract[:12], "contractor", res.Refused)
	default:
		what := ""
		if s := fileSummary(res, "closed"); s != "nothing new" {
			what = "; " + s
		}
		fmt.Fprintf(e.stdout, "Imported the log of contract %s: %d entries verified%s; receipt:\n%s", res.Contract[:12], res.Entries, what, indent(res.Receipt))
		if res.ClosesLeft > 0 {
			fmt.Fprintf(e.stdout, "  %s not cosigned (the log says why): a week this copy closed before goes back as it was in the reply.\n", plural(res.ClosesLeft, "close"))
		}
		printRefused(e, res.Contract[:12], "employer", res.Refused)
		fmt.Fprintf(e.stdout, "  Send the contractor your reply: `workdiary sync --export REPLY --contract %s`.\n", res.Contract[:12])
	}
	return nil
}

// fileSummary says what a file closed and changed: "2 weeks closed, 1
// dispute", or "nothing new".
func fileSummary(res node.LogFileResult, closed string) string {
	var parts []string
	if res.Closes > 0 {
		parts = append(parts, plural(res.Closes, "week")+" "+closed)
	}
	for _, k := range []string{"end", "pause", "resume", "amendment", "dispute", "answer"} {
		if n := res.Changes[k]; n > 0 {
			parts = append(parts, plural(n, changeNouns[k]))
		}
	}
	if len(parts) == 0 {
		return "nothing new"
	}
	return strings.Join(parts, ", ")
}

var changeNouns = map[string]string{"end": "end of contract", "pause": "pause", "resume": "resumption",
	"amendment": "amendment", "dispute": "dispute", "answer": "answer to a dispute"}

// plural is "1 week", "2 weeks".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if strings.HasSuffix(noun, "contract") || strings.HasSuffix(noun, "dispute") && strings.HasPrefix(noun, "answer") {
		head, tail, _ := strings.Cut(noun, " ")
		return fmt.Sprintf("%d %ss %s", n, head, tail)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// printRefused says which entries of a contract's log the employer
// refused, why, and what the contractor does about it.
func printRefused(e *env, title, role string, refused []node.RefusedEntry) {
	for _, r := range refused {
		fmt.Fprintf(e.stdout, "%-24s %-10s REFUSED entry %d (%s at %s), kept in the log and counted for nothing: %s\n",
			title, role, r.Seq, r.Kind, r.Start.Format("2006-01-02 15:04 UTC"), r.Reason)
	}
	if len(refused) > 0 && role == "contractor" {
		fmt.Fprintln(e.stdout, "  Delete the refused segments (`workdiary diary delete ID`) to void them, and add correct time instead.")
	}
}

// syncFailure is a failed round's error with what to do about it here,
// where the domain's words say only what happened.
func syncFailure(r node.SyncResult) string {
	if r.Path == p2p.PathLimited {
		return r.Error + ". Run `workdiary serve --relay` on a machine with a public address and name it in the invite, " +
			"or carry the log as a file (sync --export / --import)"
	}
	return r.Error
}
