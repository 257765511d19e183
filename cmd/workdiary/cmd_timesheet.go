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
// verifyFailed is an invalid bundle: exit 1.
type verifyFailed struct{ err error }

func (v verifyFailed) Error() string { return "INVALID: " + v.err.Error() }
func (v verifyFailed) ExitCode() int { return 1 }

func runVerify(_ context.Context, e *env, args []string) error {
	fs := newFlags(e, "verify", "FILE [--json]")
	asJSON := fs.Bool("json", false, "print JSON (also when the bundle is invalid)")
	file, rest := splitPositional(args)
	if err := parse(fs, rest); err != nil {
		return err
	}
	if file == "" {
		fs.Usage()
		return fmt.Errorf("verify needs the bundle FILE (.zip)")
	}
	sum, err := timesheet.VerifyBundle(file)
	if *asJSON {
		r := verifyReport{Valid: err == nil, File: file}
		if err != nil {
			r.Error = err.Error()
		} else {
			r.Timesheet, r.Signer, r.CheckpointSize = &sum.Timesheet, &sum.Signer, sum.Checkpoint.Size
		}
		if perr := e.printJSON(r); perr != nil {
			return perr
		}
		if err != nil {
			return verifyFailed{err}
		}
		return nil
	}
	if err != nil {
		return verifyFailed{err}
	}
	fmt.Fprintln(e.stdout, sum.String())
	return nil
}

// verifyReport is `workdiary verify --json`: whether the bundle is valid,
// and the signed timesheet and its signer when it is.
type verifyReport struct {
	Valid          bool                 `json:"valid"`
	File           string               `json:"file"`
	Error          string               `json:"error,omitempty"`
	Timesheet      *timesheet.Timesheet `json:"timesheet,omitempty"`
	Signer         *timesheet.Party     `json:"signer,omitempty"`
	CheckpointSize uint64               `json:"checkpoint_size,omitempty"`
}
