package app

import (
	"encoding/base64"
	"fmt"
	"path/filepath"

	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/timesheet"
)

// TimesheetsAPI is bound to the frontend's timesheets store.
type TimesheetsAPI struct {
	app *App
}

// TimesheetExport is what an export wrote, with the summary verify prints.
type TimesheetExport = node.TimesheetResult

// VerifyView is a bundle that verified: the signed timesheet, who signed
// it, and the summary `workdiary verify` prints, for the details.
type VerifyView struct {
	Sheet          timesheet.Timesheet `json:"sheet"`
	Signer         string              `json:"signer"`
	CheckpointSize uint64              `json:"checkpoint_size"`
	Summary        string              `json:"summary"`
}

// Export signs a contract week's timesheet ("2026-W48") and writes the
// bundle, PDF, CSV and OpenSSH signature to the data folder's exports/.
// The employer exports what it received; a contractor exports its own
// log, signed as proof of delivery.
func (s *TimesheetsAPI) Export(contract, week string) (TimesheetExport, error) {
	return s.app.n().ExportTimesheet(node.TimesheetParams{Contract: contract, Week: week, Out: s.exportsDir()})
}

// Verify checks a bundle the window read (base64 of the .zip bytes), fully
// offline, and returns what it holds or the first reason it is invalid.
func (s *TimesheetsAPI) Verify(zipBase64 string) (VerifyView, error) {
	b, err := base64.StdEncoding.DecodeString(zipBase64)
	if err != nil {
		return VerifyView{}, fmt.Errorf("the file could not be read: %w", err)
	}
	sum, err := timesheet.VerifyBundleBytes(b)
	if err != nil {
		return VerifyView{}, fmt.Errorf("INVALID: %w", err)
	}
	return VerifyView{Sheet: sum.Timesheet, Signer: sum.Signer.Name, CheckpointSize: sum.Checkpoint.Size,
		Summary: sum.String()}, nil
}

// Open opens an exported file with the desktop's default application.
func (s *TimesheetsAPI) Open(path string) error {
	p, err := s.exported(path)
	if err != nil {
		return err
	}
	return openWithDesktop(p)
}

// ShowInFolder opens the folder an exported file is in.
func (s *TimesheetsAPI) ShowInFolder(path string) error {
	p, err := s.exported(path)
	if err != nil {
		return err
	}
	return openWithDesktop(filepath.Dir(p))
}

// SaveAs asks where to save a copy of an exported file and writes it
// there; it returns the path written, or "" when the person cancelled.
func (s *TimesheetsAPI) SaveAs(path string) (string, error) {
	p, err := s.exported(path)
	if err != nil {
		return "", err
	}
	to, err := saveDialog(s.app.ctx, filepath.Base(p))
	if err != nil || to == "" {
		return "", err
	}
	return to, copyFile(p, to)
}

func (s *TimesheetsAPI) exportsDir() string { return filepath.Join(s.app.n().Home, "exports") }

// exported is path when it names a file in the exports folder: the window
// opens and copies what the app exported, nothing else on the disk.
func (s *TimesheetsAPI) exported(path string) (string, error) {
	return insideFolder(s.exportsDir(), path)
}
