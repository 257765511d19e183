package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/workdiary/workdiary/internal/node"
)

func runDiary(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		switch args[0] {
		case "delete", "blur", "memo", "delete-webcam", "add-manual":
			return runDiaryEdit(ctx, e, args[0], args[1:])
		}
		return fmt.Errorf("diary: unknown subcommand %q (want delete, blur, memo, delete-webcam or add-manual)", args[0])
	}
	fs := newFlags(e, "diary", "[--contract ID] [--from DATE] [--to DATE] [--json]")
	var p node.DiaryParams
	fs.StringVar(&p.Contract, "contract", "", "one contract (ID or unique prefix); default all")
	from := fs.String("from", "", "first day (YYYY-MM-DD) or time (RFC 3339); default 7 days ago")
	to := fs.String("to", "", "last day (inclusive) or end time; default now")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	var err error
	if p.From, err = parseWhen(*from, false); err != nil {
		return err
	}
	if p.To, err = parseWhen(*to, true); err != nil {
		return err
	}
	segs, err := do(ctx, e, "workdiary diary", node.OpDiaryList, p)
	if err != nil {
		return err
	}
	if *asJSON {
		return e.printJSON(segs)
	}
	if len(segs) == 0 {
		fmt.Fprintln(e.stdout, "No segments in that range. Start with `workdiary track --contract ID --memo TEXT`.")
		return nil
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	// Times in this computer's zone (TZ), like the app's; --json keeps UTC.
	fmt.Fprintf(w, "START (%s)\tEND\tSTATE\tACTIVITY\tKEYS\tCLICKS\tSHOTS\tMEMO\n", segs[0].Start.Local().Format("MST"))
	for _, s := range segs {
		state := string(s.State)
		if s.Disputed != "" {
			state += " (disputed: " + s.Disputed + ")"
		}
		if s.Corrects != "" {
			state += " (corrects " + s.Corrects + ")"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%d/10\t%d\t%d\t%d\t%s\n", s.Start.Local().Format("2006-01-02 15:04"), s.End.Local().Format("15:04"),
			state, s.ActiveMinutes, s.Keys, s.Clicks, len(s.Screenshots), s.Memo)
	}
	return w.Flush()
}

// parseWhen reads a date (a whole UTC day; `end` makes it the day's end) or
// an RFC 3339 time.
func parseWhen(s string, end bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is neither a date (YYYY-MM-DD) nor an RFC 3339 time", s)
	}
	if end {
		d = d.AddDate(0, 0, 1)
	}
	return d, nil
}
