package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/workdiary/workdiary/internal/node"
)

// runDiaryEdit handles `diary delete|blur|memo|delete-webcam|add-manual`.
func runDiaryEdit(ctx context.Context, e *env, verb string, args []string) error {
	if verb == "add-manual" {
		return runAddManual(ctx, e, args)
	}
	ops := map[string]node.Op[node.CurateParams, node.CurateResult]{"delete": node.OpDelete, "blur": node.OpBlur,
		"memo": node.OpMemo, "delete-webcam": node.OpDeleteWebcam}
	fs := newFlags(e, "diary "+verb, "SEGMENT-ID… [--memo TEXT] [--image HASH]")
	var p node.CurateParams
	if verb == "memo" {
		fs.StringVar(&p.Memo, "memo", "", "the new memo")
	}
	if verb == "blur" {
		fs.StringVar(&p.Image, "image", "", "blur only this screenshot (hash); default all of the segment's")
	}
	ids, rest := positionals(args)
	if err := parse(fs, rest); err != nil {
		return err
	}
	if len(ids) == 0 {
		fs.Usage()
		return fmt.Errorf("diary %s needs one or more segment IDs (see `workdiary diary --json`)", verb)
	}
	p.IDs = ids
	res, err := do(ctx, e, "workdiary diary "+verb, ops[verb], p)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: %d segment(s)\n", verb, len(res.Changed))
	for _, seq := range res.Voided {
		fmt.Fprintf(e.stdout, "approved time withdrawn by void entry %d\n", seq)
	}
	return nil
}

func runAddManual(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "diary add-manual", "--contract ID --from TIME --to TIME --memo TEXT [--corrects 2026-W48]")
	var p node.ManualParams
	fs.StringVar(&p.Contract, "contract", "", "contract ID or unique prefix")
	from := fs.String("from", "", "start, RFC 3339 (e.g. 2026-11-23T09:00:00Z)")
	to := fs.String("to", "", "end, RFC 3339")
	fs.StringVar(&p.Memo, "memo", "", "what the work was")
	fs.StringVar(&p.Corrects, "corrects", "", "the closed week (ISO, e.g. 2026-W48) this time makes up for; the time lies in the current week")
	if err := parse(fs, args); err != nil {
		return err
	}
	var err error
	if p.From, err = parseWhen(*from, false); err != nil || p.From.IsZero() {
		return fmt.Errorf("--from: want an RFC 3339 time (%v)", err)
	}
	if p.To, err = parseWhen(*to, false); err != nil || p.To.IsZero() {
		return fmt.Errorf("--to: want an RFC 3339 time (%v)", err)
	}
	res, err := do(ctx, e, "workdiary diary add-manual", node.OpAddManual, p)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "added manual time in %d segment(s)\n", len(res.Changed))
	return nil
}

func runApprove(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "approve", "--contract ID (--through TIME | --all | SEGMENT-ID…) [--json]")
	var p node.ApproveParams
	fs.StringVar(&p.Contract, "contract", "", "contract ID or unique prefix")
	through := fs.String("through", "", "approve segments that start before this time (RFC 3339 or a date)")
	fs.BoolVar(&p.All, "all", false, "approve every finished segment")
	asJSON := fs.Bool("json", false, "print JSON")
	ids, rest := positionals(args)
	if err := parse(fs, rest); err != nil {
		return err
	}
	p.IDs = ids
	var err error
	if p.Through, err = parseWhen(*through, true); err != nil {
		return err
	}
	if p.Contract == "" {
		fs.Usage()
		return fmt.Errorf("approve needs --contract ID")
	}
	st, err := do(ctx, e, "workdiary approve", node.OpApprove, p)
	if err != nil {
		return err
	}
	if *asJSON {
		return e.printJSON(st)
	}
	fmt.Fprintf(e.stdout, "Approved %d segment(s). Log %s… now at seq %d, head %s…\n", st.Approved, st.LogID[:12], st.Seq, st.Head[:12])
	if st.IdlePending > 0 {
		fmt.Fprintf(e.stdout, "%d segment(s) left out: they hold idle time nobody has kept or discarded yet. Answer the idle question (the app, or track --idle keep|discard) and approve again.\n", st.IdlePending)
	}
	if skipped := len(p.IDs) - st.Approved - st.IdlePending - len(st.NotApproved); skipped > 0 {
		fmt.Fprintf(e.stdout, "%d of the named segment(s) stay as they were: still being recorded, already approved, or not in this contract.\n", skipped)
	}
	fmt.Fprintf(e.stdout, "Signed checkpoint:\n%s", indent(st.Checkpoint))
	for _, h := range st.NotApproved {
		fmt.Fprintf(e.stdout, "NOT approved %s: %s\n", h.ID, h.Reason)
	}
	for _, w := range st.Closing {
		fmt.Fprintf(e.stdout, "Week %s closes %s: %d segment(s) of it still unapproved; approve them before then, or they can no longer be billed for that week.\n",
			w.Week, w.Deadline.UTC().Format("2006-01-02 15:04 UTC"), w.Unapproved)
	}
	closedWeek := 0
	for _, h := range st.NotApproved {
		if h.WeekClosed {
			closedWeek++
		}
	}
	if n := len(st.NotApproved); n > 0 && closedWeek == n {
		return fmt.Errorf("%d segment(s) not approved: their week has closed; delete them, and add the time as a correction in the current week (diary add-manual … --corrects WEEK)", n)
	}
	if n := len(st.NotApproved); n > 0 {
		return fmt.Errorf("%d segment(s) not approved: they break the contract's terms and the employer would refuse them; delete them or fix them (blur, delete the webcam photo)", n)
	}
	return nil
}

// positionals separates non-flag arguments (IDs) from flags; values of
// flags that take one are kept with their flag.
func positionals(args []string) (pos, flags []string) {
	valued := map[string]bool{"--home": true, "-home": true, "--memo": true, "-memo": true, "--image": true,
		"-image": true, "--contract": true, "-contract": true, "--through": true, "-through": true}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case valued[a] && i+1 < len(args):
			flags = append(flags, a, args[i+1])
			i++
		case strings.HasPrefix(a, "-"):
			flags = append(flags, a)
		default:
			pos = append(pos, a)
		}
	}
	return pos, flags
}

func indent(s string) string {
	lines := strings.SplitAfter(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = "  " + l
		}
	}
	return strings.Join(lines, "")
}

func runLog(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "log", "--contract ID [--json]")
	var p node.ApproveParams
	fs.StringVar(&p.Contract, "contract", "", "contract ID or unique prefix")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	if p.Contract == "" {
		fs.Usage()
		return fmt.Errorf("log needs --contract ID")
	}
	st, err := do(ctx, e, "workdiary log", node.OpLogStatus, p)
	if err != nil {
		return err
	}
	if *asJSON {
		return e.printJSON(st)
	}
	fmt.Fprintf(e.stdout, "Log %s… of contract %s…: %d entries, head %s…\n", st.LogID[:12], st.Contract[:12], st.Seq, st.Head[:12])
	if st.Checkpoint != "" {
		fmt.Fprintf(e.stdout, "Checkpoint (contractor-signed):\n%s", indent(st.Checkpoint))
	}
	if st.Cosigned != "" {
		fmt.Fprintf(e.stdout, "Receipt (cosigned by both parties; the newest, size %d, of %d kept):\n%s", st.ReceiptSize, st.Receipts, indent(st.Cosigned))
	}
	for _, w := range st.Closed {
		fmt.Fprintf(e.stdout, "Week %s closed by both parties at entry %d (%d entries of the week); its hours are final.\n", w.Week, w.Size, w.Entries)
	}
	for _, r := range st.Refused {
		state := "stands"
		if r.VoidedBy != 0 {
			state = fmt.Sprintf("voided by entry %d", r.VoidedBy)
		}
		fmt.Fprintf(e.stdout, "Refused by the employer: entry %d (%s at %s), counted for nothing, %s: %s\n",
			r.Seq, r.Kind, r.Start.Format("2006-01-02 15:04 UTC"), state, r.Reason)
	}
	return nil
}
