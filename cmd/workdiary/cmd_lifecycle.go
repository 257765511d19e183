package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/workdiary/workdiary/internal/node"
)

// lifecycleUsage is each change's arguments.
var lifecycleUsage = map[string]string{
	"end":     "ID [--at TIME] [--reason TEXT] [--json]",
	"pause":   "ID [--reason TEXT] [--json]",
	"resume":  "ID [--reason TEXT] [--json]",
	"amend":   "ID [--rate 40.00] [--weekly-limit H] [--from DATE] [--json]",
	"dispute": "ID --from TIME --to TIME --reason TEXT [--json]",
	"answer":  "ID --dispute DISPUTE-ID --text TEXT [--json]",
}

// runLifecycle is `contract end|pause|resume|amend|dispute|answer`: each
// signs a record that takes effect once it is in the contractor's log.
func runLifecycle(ctx context.Context, e *env, verb string, args []string) error {
	fs := newFlags(e, "contract "+verb, lifecycleUsage[verb])
	asJSON := fs.Bool("json", false, "print JSON")
	reason := fs.String("reason", "", "why, shown to the other side")
	at := fs.String("at", "", "end: when the contract ended (RFC 3339 or a date; default now); not in the future, not in a closed week")
	rate := fs.String("rate", "", "amend: the new hourly rate")
	limit := fs.Int("weekly-limit", -1, "amend: the new weekly limit in hours; 0 = none")
	from := fs.String("from", "", "amend: the first week of the new terms (a date in it; default next week); dispute: start of the disputed time")
	to := fs.String("to", "", "dispute: end of the disputed time")
	dispute := fs.String("dispute", "", "answer: the dispute's ID (see `workdiary contract show`)")
	text := fs.String("text", "", "answer: the answer")
	id, rest := splitBy(fs, args)
	if err := parse(fs, rest); err != nil {
		return err
	}
	if id == "" {
		fs.Usage()
		return fmt.Errorf("contract %s needs the contract ID (see `workdiary contract list`)", verb)
	}
	res, err := runChange(ctx, e, verb, id, changeFlags{reason: *reason, at: *at, rate: *rate, limit: *limit, from: *from, to: *to,
		dispute: *dispute, text: *text}, fs)
	if err != nil {
		return err
	}
	if *asJSON {
		return e.printJSON(res)
	}
	printDetail(e.stdout, res)
	if pendingAny(res) {
		fmt.Fprintln(e.stdout, "Waiting for the contractor's node: it takes effect once a sync binds it into the contractor's log.")
	}
	return nil
}

type changeFlags struct {
	reason, at, rate string
	limit            int
	from, to         string
	dispute, text    string
}

func runChange(ctx context.Context, e *env, verb, id string, f changeFlags, fs *flag.FlagSet) (node.ContractDetail, error) {
	role := "workdiary contract " + verb
	switch verb {
	case "end":
		at, err := parseWhen(f.at, false)
		if err != nil {
			return node.ContractDetail{}, err
		}
		return do(ctx, e, role, node.OpContractEnd, node.EndParams{Contract: id, At: at, Reason: f.reason})
	case "pause":
		return do(ctx, e, role, node.OpContractPause, node.HoldParams{Contract: id, Reason: f.reason})
	case "resume":
		return do(ctx, e, role, node.OpContractResume, node.HoldParams{Contract: id, Reason: f.reason})
	case "amend":
		p := node.AmendParams{Contract: id, Rate: f.rate}
		if f.limit >= 0 {
			p.WeeklyLimitHours = &f.limit
		}
		from, err := parseWhen(f.from, false)
		if err != nil {
			return node.ContractDetail{}, err
		}
		p.From = from
		return do(ctx, e, role, node.OpContractAmend, p)
	case "dispute":
		from, err1 := parseWhen(f.from, false)
		to, err2 := parseWhen(f.to, true)
		if err1 != nil || err2 != nil || from.IsZero() || to.IsZero() || f.reason == "" {
			fs.Usage()
			return node.ContractDetail{}, fmt.Errorf("contract dispute needs --from, --to and --reason")
		}
		return do(ctx, e, role, node.OpContractDispute, node.DisputeParams{Contract: id, From: from, To: to, Reason: f.reason})
	}
	if f.dispute == "" || f.text == "" {
		fs.Usage()
		return node.ContractDetail{}, fmt.Errorf("contract answer needs --dispute and --text")
	}
	return do(ctx, e, role, node.OpContractAnswer, node.AnswerParams{Contract: id, Dispute: f.dispute, Text: f.text})
}

// splitBy is splitPositional that asks fs which flags take a value, so
// `end --at 2026-12-01 ID` and `end ID --at 2026-12-01` both work.
func splitBy(fs *flag.FlagSet, args []string) (string, []string) {
	var pos, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		switch {
		case !strings.HasPrefix(a, "-") || a == "-":
			pos = append(pos, a)
		case takesValue(fs, name) && !hasValue && i+1 < len(args):
			rest = append(rest, a, args[i+1])
			i++
		default:
			rest = append(rest, a)
		}
	}
	if len(pos) == 0 {
		return "", rest
	}
	return pos[0], append(rest, pos[1:]...)
}

func runContractShow(ctx context.Context, e *env, args []string) error {
	id, asJSON, err := contractArg(e, "show", args)
	if err != nil {
		return err
	}
	d, err := do(ctx, e, "workdiary contract show", node.OpContractShow, node.ShowParams{Contract: id})
	if err != nil {
		return err
	}
	if asJSON {
		return e.printJSON(d)
	}
	printDetail(e.stdout, d)
	return nil
}

// contractArg reads the arguments of `contract <sub> ID [--json]`.
func contractArg(e *env, sub string, args []string) (id string, asJSON bool, err error) {
	fs := newFlags(e, "contract "+sub, "ID [--json]")
	j := fs.Bool("json", false, "print JSON")
	id, rest := splitBy(fs, args)
	if err := parse(fs, rest); err != nil {
		return "", false, err
	}
	if id == "" {
		fs.Usage()
		return "", false, fmt.Errorf("contract %s needs the contract ID (see `workdiary contract list`)", sub)
	}
	return id, *j, nil
}

func printDetail(out io.Writer, d node.ContractDetail) {
	limit := "none"
	if d.WeeklyLimitHours > 0 {
		limit = fmt.Sprintf("%d h/week", d.WeeklyLimitHours)
	}
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "Contract\t%s\nTitle\t%s\nYou are\tthe %s\nState\t%s\n", d.ID, d.Title, d.Role, d.State)
	fmt.Fprintf(w, "Employer\t%s\nContractor\t%s\n", d.Employer, orNone(d.Contractor))
	fmt.Fprintf(w, "This week\t%s %s/h, limit %s (offered: %s %s/h, %d h)\n", d.Rate, d.Currency, limit, d.OfferedRate, d.Currency, d.OfferedWeeklyLimitHours)
	fmt.Fprintf(w, "Weeks\tstart %s; the employer may dispute a week for %d days after it closes\n", d.WeekStart, d.ReviewDays)
	if d.PausedSince != nil {
		fmt.Fprintf(w, "Paused\tsince %s\n", stamp(*d.PausedSince))
	}
	if d.Ends != nil {
		fmt.Fprintf(w, "Ends\t%s\n", stamp(*d.Ends))
	}
	_ = w.Flush()
	for i, c := range d.Changes {
		line := fmt.Sprintf("  %s by the %s, from %s", c.Kind, c.By, stamp(c.At))
		if c.Kind == "amend" {
			line += fmt.Sprintf(": %s %s/h, limit %d h", c.Rate, d.Currency, *c.Limit)
		}
		if c.Reason != "" {
			line += ": " + c.Reason
		}
		if c.Pending {
			line += " (waiting for the contractor's node)"
		}
		if i == 0 {
			fmt.Fprintln(out, "Changes:")
		}
		fmt.Fprintln(out, line)
	}
	for _, x := range d.Disputes {
		state := ""
		if x.Pending {
			state = " (waiting for the contractor's node)"
		}
		fmt.Fprintf(out, "Dispute %s of the week of %s, %d min in %d segments%s: %s\n", x.ID[:12], x.Week.Format(time.DateOnly),
			x.Minutes, len(x.Segments), state, x.Reason)
		for _, a := range x.Answers {
			fmt.Fprintf(out, "  answered %s: %s\n", stamp(a.At), a.Text)
		}
	}
}

func pendingAny(d node.ContractDetail) bool {
	for _, c := range d.Changes {
		if c.Pending {
			return true
		}
	}
	for _, x := range d.Disputes {
		if x.Pending {
			return true
		}
	}
	return false
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

func orNone(s string) string {
	if strings.TrimSpace(s) == "" {
		return "(none yet)"
	}
	return s
}

// takesValue reports whether fs has a flag name that is not a boolean.
func takesValue(fs *flag.FlagSet, name string) bool {
	f := fs.Lookup(name)
	if f == nil {
		return false
	}
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return !ok || !b.IsBoolFlag()
}
