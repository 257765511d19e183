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

// Export signs a contract week's timesheet ("2026-W48") and writes the
// bundle, PDF, CSV and OpenSSH signature to the data folder's exports/.
func (s *TimesheetsAPI) Export(contract, week string) (TimesheetExport, error) {
	out := filepath.Join(s.app.node.Home, "exports")
	return s.app.node.ExportTimesheet(node.TimesheetParams{Contract: contract, Week: week, Out: out})
}

// Verify checks a bundle the window read (base64 of the .zip bytes), fully
// offline, and returns the summary or the first reason it is invalid.
func (s *TimesheetsAPI) Verify(zipBase64 string) (string, error) {
	b, err := base64.StdEncoding.DecodeString(zipBase64)
	if err != nil {
		return "", fmt.Errorf("the file could not be read: %w", err)
	}
	sum, err := timesheet.VerifyBundleBytes(b)
	if err != nil {
		return "", fmt.Errorf("INVALID: %w", err)
	}
	return sum.String(), nil
}
