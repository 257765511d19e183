package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/timesheet"
)

func runTimesheet(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "timesheet", "--contract ID --week 2026-W48 --out DIR [--json]")
	var p node.TimesheetParams
	fs.StringVar(&p.Contract, "contract", "", "contract ID or unique prefix")
	fs.StringVar(&p.Week, "week", "", "ISO week, e.g. 2026-W48")
	fs.StringVar(&p.Out, "out", ".", "directory for the bundle, PDF, CSV and signature")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	if p.Contract == "" || p.Week == "" {
		fs.Usage()
		return fmt.Errorf("timesheet needs --contract ID and --week YYYY-Www")
	}
	out, err := filepath.Abs(p.Out) // the owner may run in another directory
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", out, err)
	}
	p.Out = out
	res, err := do(ctx, e, "workdiary timesheet", node.OpTimesheetExport, p)
	if err != nil {
		return err
	}
	if *asJSON {
		return e.printJSON(res)
	}
	f := res.Files
	fmt.Fprintln(e.stdout, res.Summary)
	fmt.Fprintf(e.stdout, "\nbundle     %s\nPDF        %s\nCSV        %s\nsignature  %s\nsigners    %s\n", f.Zip, f.PDF, f.CSV, f.Sig, f.AllowedSigners)
	fmt.Fprintf(e.stdout, "\nCheck it with `workdiary verify %s`, or with stock OpenSSH in %s:\n  %s\n", f.Zip, out, f.VerifyCommand)
	return nil
}

// verifyFailed is an invalid bundle: exit 1 with the reason.
type verifyFailed struct{ err error }

func (v verifyFailed) Error() string { return "INVALID: " + v.err.Error() }
func (v verifyFailed) ExitCode() int { return 1 }

func runVerify(_ context.Context, e *env, args []string) error {
	fs := newFlags(e, "verify", "FILE")
	file, rest := splitPositional(args)
	if err := parse(fs, rest); err != nil {
		return err
	}
	if file == "" {
		fs.Usage()
		return fmt.Errorf("verify needs the bundle FILE (.zip)")
	}
	sum, err := timesheet.VerifyBundle(file)
	if err != nil {
		return verifyFailed{err}
	}
	fmt.Fprintln(e.stdout, sum.String())
	return nil
}
