package app

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/wailsapp/wails/v2/pkg/runtime"
	contractpkg "github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/node"
)

// The file transport in the window: where no network path carries a sync,
// the contractor saves the contract's log to a file and the employer opens
// it, then saves its reply (receipt, week closes, its changes of the
// contract) for the contractor to open, with the same checks as
// `workdiary sync --export / --import`.

// LogFileView is what an export wrote or an import applied; Cancelled when
// the file dialog was closed without a file.
type LogFileView struct {
	Result    node.LogFileResult `json:"result"`
	File      string             `json:"file"`
	Title     string             `json:"title"`
	Cancelled bool               `json:"cancelled"`
}

// dialogs asks the user for a file: Wails' native dialogs, or a stand-in
// in tests, which have no window. "" means the user cancelled.
type dialogs struct {
	save func(ctx context.Context, o runtime.SaveDialogOptions) (string, error)
	open func(ctx context.Context, o runtime.OpenDialogOptions) (string, error)
}

var nativeDialogs = dialogs{save: runtime.SaveFileDialog, open: runtime.OpenFileDialog}

var logFilters = []runtime.FileFilter{{DisplayName: "Workdiary log files (*.wdlog)", Pattern: "*.wdlog"}}

// ExportLog asks where to save a contract's log (the contractor's side) or
// the reply to it (the employer's) and writes it there.
func (s *ContractsAPI) ExportLog(contract string) (LogFileView, error) {
	c, err := s.app.n().Contracts().Resolve(contract)
	if err != nil {
		return LogFileView{}, err
	}
	title, name := "Save the log of “"+c.Offer.Title+"” for your employer", c.Offer.Title
	if c.Role == contractpkg.RoleEmployer {
		title, name = "Save the reply to “"+c.Offer.Title+"” for your contractor", c.Offer.Title+"-reply"
	}
	file, err := s.app.dialogs.save(s.app.ctx, runtime.SaveDialogOptions{
		Title:           title,
		DefaultFilename: logFileName(name, s.app.n().Clock.Now().Format("2006-01-02")),
		Filters:         logFilters,
	})
	if err != nil || file == "" {
		return LogFileView{Cancelled: err == nil}, err
	}
	res, err := node.OpLogExport.Run(s.app.ctx, s.app.n(), node.LogFileParams{Contract: c.ID().String(), File: file})
	if err != nil {
		return LogFileView{}, err
	}
	return LogFileView{Result: res, File: file, Title: c.Offer.Title}, nil
}

// ImportLog asks for a log file a contractor sent (the employer's side) or
// the employer's reply (the contractor's) and applies it: every entry,
// image, signature and record is verified before it is stored.
func (s *ContractsAPI) ImportLog() (LogFileView, error) {
	file, err := s.app.dialogs.open(s.app.ctx, runtime.OpenDialogOptions{
		Title:   "Open a log file or a reply the other party sent",
		Filters: append(logFilters, runtime.FileFilter{DisplayName: "All files", Pattern: "*"}),
	})
	if err != nil || file == "" {
		return LogFileView{Cancelled: err == nil}, err
	}
	res, err := node.OpLogImport.Run(s.app.ctx, s.app.n(), node.LogFileParams{File: file})
	if err != nil {
		return LogFileView{}, fmt.Errorf("the file was not applied, nothing changed: %w", err)
	}
	v := LogFileView{Result: res, File: file}
	if c, err := s.app.n().Contracts().Resolve(res.Contract); err == nil {
		v.Title = c.Offer.Title
	}
	return v, nil
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// logFileName is a file name that says what the file is: the contract's
// title, made safe for any file system, and the day.
func logFileName(title, day string) string {
	name := strings.Trim(unsafeName.ReplaceAllString(title, "-"), "-.")
	if len(name) > 40 {
		name = name[:40]
	}
	if name == "" {
		name = "contract"
	}
	return "workdiary-" + name + "-" + day + ".wdlog"
}
