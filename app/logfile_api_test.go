package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// chooses stands in for the native file dialogs: it answers each with
// file and remembers what the dialog was asked.
func chooses(a *App, file string, asked *string) {
	a.dialogs = dialogs{
		save: func(_ context.Context, o runtime.SaveDialogOptions) (string, error) {
			*asked = o.DefaultFilename
			return file, nil
		},
		open: func(_ context.Context, o runtime.OpenDialogOptions) (string, error) {
			*asked = o.Title
			return file, nil
		},
	}
}

// The file transport from the window: the contractor saves the log of a
// contract whose acceptance never reached the employer, the employer opens
// the file in its own app, and both the contract and the hours arrive,
// verified, with the path shown as "file".
func TestLogFileFromWindowToWindow(t *testing.T) {
	conNode, empNode, cid := testParties(t)
	con, _ := windowOn(t, conNode)
	emp, ew := windowOn(t, empNode)
	added, err := con.Diary.AddManual(cid, at(monday), at(monday.Add(30*time.Minute)), "parser", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := con.Diary.Approve(cid, added.Changed); err != nil {
		t.Fatal(err)
	}

	file := filepath.Join(t.TempDir(), "from-erin.wdlog")
	var asked string
	chooses(con, file, &asked)
	out, err := con.Contracts.ExportLog(cid)
	if err != nil {
		t.Fatal(err)
	}
	if out.Cancelled || out.File != file || out.Title != "Parser" || out.Result.Entries != 3 {
		t.Errorf("ExportLog = %+v; want the 3 ten-minute entries of Parser in %s", out, file)
	}
	if asked != "workdiary-Parser-2026-11-23.wdlog" {
		t.Errorf("the save dialog proposed %q", asked)
	}
	if _, err := os.Stat(file); err != nil {
		t.Fatal(err)
	}

	chooses(emp, file, &asked)
	ew.take()
	in, err := emp.Contracts.ImportLog()
	if err != nil {
		t.Fatal(err)
	}
	if in.Cancelled || in.Title != "Parser" || in.Result.Entries != out.Result.Entries || in.Result.Receipt == "" {
		t.Errorf("ImportLog = %+v; want the exported entries of Parser, and a receipt", in)
	}
	if got := ew.take(); len(got) == 0 {
		t.Error("the employer's window heard nothing of the import")
	}
	rows, err := emp.Team.List()
	if err != nil || len(rows) != 1 {
		t.Fatalf("Team.List = %+v, %v", rows, err)
	}
	if r := rows[0]; r.Contractor != "Ada" || r.Entries != uint64(out.Result.Entries) || r.LastPath != "file" || r.WeekMinutes != 30 {
		t.Errorf("the employer's team row after the import = %+v; want Ada's 30 minutes, last reached by file", r)
	}

	// The employer's reply carries the receipt back; the contractor opens it.
	reply := filepath.Join(t.TempDir(), "reply.wdlog")
	chooses(emp, reply, &asked)
	back, err := emp.Contracts.ExportLog(cid)
	if err != nil || back.Result.Kind != "reply" || asked != "workdiary-Parser-reply-2026-11-23.wdlog" {
		t.Fatalf("the employer's ExportLog = %+v, %v (proposed %q); want a reply", back, err, asked)
	}
	chooses(con, reply, &asked)
	got, err := con.Contracts.ImportLog()
	if err != nil || got.Result.Kind != "reply" || got.Title != "Parser" || got.Result.Receipt != in.Result.Receipt {
		t.Fatalf("the contractor's ImportLog of the reply = %+v, %v; want the receipt of the import", got, err)
	}
}

// Closing the dialog changes nothing and is no error; a file that is not a
// log is refused with a message that says nothing changed; the employer
// has no log of its own to export.
func TestLogFileRefusals(t *testing.T) {
	conNode, empNode, cid := testParties(t)
	con, _ := windowOn(t, conNode)
	emp, _ := windowOn(t, empNode)
	var asked string

	chooses(con, "", &asked)
	if out, err := con.Contracts.ExportLog(cid); err != nil || !out.Cancelled {
		t.Errorf("ExportLog, dialog closed = %+v, %v; want cancelled", out, err)
	}
	chooses(emp, "", &asked)
	if in, err := emp.Contracts.ImportLog(); err != nil || !in.Cancelled {
		t.Errorf("ImportLog, dialog closed = %+v, %v; want cancelled", in, err)
	}

	junk := filepath.Join(t.TempDir(), "holiday.jpg")
	if err := os.WriteFile(junk, []byte("not a log file"), 0o644); err != nil {
		t.Fatal(err)
	}
	chooses(emp, junk, &asked)
	if _, err := emp.Contracts.ImportLog(); err == nil || !strings.Contains(err.Error(), "nothing changed") {
		t.Errorf("ImportLog of a photo = %v; want a refusal that says nothing changed", err)
	}
	if rows, _ := emp.Team.List(); len(rows) != 1 || rows[0].Entries != 0 {
		t.Errorf("after a refused import the team is %+v; want the offer, no entries", rows)
	}

	chooses(emp, filepath.Join(t.TempDir(), "x.wdlog"), &asked)
	if _, err := emp.Contracts.ExportLog(cid); err == nil || !strings.Contains(err.Error(), "import the contractor's log file first") {
		t.Errorf("the employer's ExportLog before any log arrived = %v; want a refusal", err)
	}
}

func TestLogFileName(t *testing.T) {
	for title, want := range map[string]string{
		"Parser":              "workdiary-Parser-2026-11-23.wdlog",
		"Logo / brand (2027)": "workdiary-Logo-brand-2027-2026-11-23.wdlog",
		"../../etc":           "workdiary-etc-2026-11-23.wdlog",
		"日本語":                 "workdiary-contract-2026-11-23.wdlog",
	} {
		if got := logFileName(title, "2026-11-23"); got != want {
			t.Errorf("logFileName(%q) = %q; want %q", title, got, want)
		}
	}
}
