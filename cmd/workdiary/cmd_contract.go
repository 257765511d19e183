package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/node"
)

func runContract(ctx context.Context, e *env, args []string) error {
	const usage = "usage: workdiary contract offer|accept|list|show|weeks|withdraw|end|pause|resume|amend|dispute|answer …\n(each subcommand takes --help)"
	if len(args) == 0 {
		fmt.Fprintln(e.stderr, usage)
		return errUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprintln(e.stdout, usage)
		return nil
	case "offer":
		return runOffer(ctx, e, args[1:])
	case "accept":
		return runAccept(ctx, e, args[1:])
	case "list":
		return runContractList(ctx, e, args[1:])
	case "withdraw":
		return runWithdraw(ctx, e, args[1:])
	case "show":
		return runContractShow(ctx, e, args[1:])
	case "weeks":
		return runContractWeeks(ctx, e, args[1:])
	case "end", "pause", "resume", "amend", "dispute", "answer":
		return runLifecycle(ctx, e, args[0], args[1:])
	}
	fmt.Fprintf(e.stderr, "workdiary contract: unknown subcommand %q (want offer, accept, list, show, weeks, withdraw, end, pause, resume, amend, dispute or answer)\n", args[0])
	return errUsage
}

func runOffer(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "contract offer", "--title T --rate 35.00 --currency USD --weekly-limit 40 [--screenshots N] [--blur off|allowed|required] [--webcam] [--manual-time] [--unverified separate|bill|exclude] [--close-after HOURS] [--week-zone ZONE] [--json]")
	var p node.OfferParams
	fs.StringVar(&p.Title, "title", "", "what the work is")
	fs.StringVar(&p.Rate, "rate", "", "hourly rate, e.g. 35.00")
	fs.StringVar(&p.Currency, "currency", "USD", "ISO 4217 currency code")
	fs.IntVar(&p.WeeklyLimitHours, "weekly-limit", 0, "hours per week; 0 = no limit")
	fs.StringVar(&p.OverLimit, "over-limit", "stop", "at the limit: stop, or continue (and mark the time over-limit)")
	fs.IntVar(&p.Screenshots, "screenshots", 1, "screenshots per 10 minutes, 0-3")
	fs.StringVar(&p.Blur, "blur", "off", "screenshot blur: off, allowed or required")
	fs.BoolVar(&p.Webcam, "webcam", false, "allow a webcam photo with each screenshot (the contractor opts in)")
	fs.BoolVar(&p.ManualTime, "manual-time", false, "allow manual time")
	fs.BoolVar(&p.NoActivity, "no-activity", false, "do not count keyboard and mouse activity")
	fs.StringVar(&p.Unverified, "unverified", "separate", "time recorded without the screenshots or input counts asked for (a Wayland session): separate (billed, shown apart), bill, or exclude")
	fs.IntVar(&p.ReviewDays, "review-days", 0, "days the employer may dispute a week once it has closed; 0 = 5")
	fs.StringVar(&p.WeekZone, "week-zone", "UTC", "IANA time zone whose Monday 00:00 starts each contract week, e.g. Europe/Berlin")
	closeAfter := fs.Int("close-after", contract.DefaultCloseAfterHours, "hours after its end a week closes for new entries (late approvals); 0 = weeks never close")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	p.CloseAfterHours = closeAfter
	if p.Title == "" || p.Rate == "" {
		fs.Usage()
		return fmt.Errorf("contract offer needs --title and --rate")
	}
	res, err := do(ctx, e, "workdiary contract offer", node.OpContractOffer, p)
	if err != nil {
		return err
	}
	if *asJSON {
		return e.printJSON(res)
	}
	fmt.Fprintln(e.stdout, res.Invite)
	return nil
}

func runAccept(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "contract accept", "CODE [--offline] [--json]")
	var p node.AcceptParams
	fs.BoolVar(&p.Offline, "offline", false, "accept now and deliver the acceptance at the next sync")
	asJSON := fs.Bool("json", false, "print JSON")
	code, rest := splitPositional(args)
	if err := parse(fs, rest); err != nil {
		return err
	}
	if code == "" {
		fs.Usage()
		return fmt.Errorf("contract accept needs the invite CODE")
	}
	p.Code = code
	res, err := do(ctx, e, "workdiary contract accept", node.OpContractAccept, p)
	if err != nil {
		return err
	}
	if *asJSON {
		return e.printJSON(res)
	}
	item := res.Contract
	fmt.Fprintf(e.stdout, "Accepted %q from %s: contract %s (%s)\n", item.Title, item.Counterpart, item.ID, item.State)
	if res.Warning != "" {
		fmt.Fprintln(e.stderr, "workdiary: note:", res.Warning)
	}
	return nil
}

func runContractList(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "contract list", "[--json]")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	items, err := do(ctx, e, "workdiary contract list", node.OpContractList, node.None{})
	if err != nil {
		return err
	}
	if *asJSON {
		return e.printJSON(items)
	}
	if len(items) == 0 {
		fmt.Fprintln(e.stdout, "No contracts yet: `workdiary contract offer …` as an employer, or `workdiary contract accept CODE` as a contractor.")
		return nil
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tTITLE\tROLE\tCOUNTERPART\tRATE\tLIMIT\tSTATE")
	for _, c := range items {
		limit := "none"
		if c.WeeklyLimitHours > 0 {
			limit = fmt.Sprintf("%d h/week", c.WeeklyLimitHours)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s %s/h\t%s\t%s\n", c.ID[:12], c.Title, c.Role, c.Counterpart, c.Rate, c.Currency, limit, c.State)
	}
	return w.Flush()
}

// splitPositional takes the first argument that is not a flag, so that
// `accept CODE --offline` and `accept --offline CODE` both work; further
// non-flag arguments stay in rest for the flag parser to refuse.
func splitPositional(args []string) (string, []string) {
	pos, rest := positionals(args)
	if len(pos) == 0 {
		return "", rest
	}
	return pos[0], append(rest, pos[1:]...)
}

// runWithdraw takes back an offer nobody has accepted: its invite stops
// working.
func runWithdraw(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "contract withdraw", "ID [--json]")
	asJSON := fs.Bool("json", false, "print JSON")
	id, rest := splitPositional(args)
	if err := parse(fs, rest); err != nil {
		return err
	}
	if id == "" {
		fs.Usage()
		return fmt.Errorf("contract withdraw needs the ID of an open offer (see `workdiary contract list`)")
	}
	item, err := do(ctx, e, "workdiary contract withdraw", node.OpContractWithdraw, node.WithdrawParams{Contract: id})
	if err != nil {
		return err
	}
	if *asJSON {
		return e.printJSON(item)
	}
	fmt.Fprintf(e.stdout, "Withdrew the offer %q (%s): its invite can no longer be accepted.\n", item.Title, item.ID[:12])
	return nil
}
