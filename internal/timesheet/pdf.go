package timesheet

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
)

// PDF renders the timesheet for people: parties and fingerprints, a table
// per day, totals, the amount, and what pins it (contract ID, checkpoint).
// Only the PDF core fonts are used; text outside Windows-1252 shows as '?'.
// The PDF is a view: the signed timesheet.json is what counts.
func PDF(ts Timesheet) ([]byte, error) {
	p := fpdf.New("P", "mm", "A4", "")
	tr := p.UnicodeTranslatorFromDescriptor("")
	stamp, _ := time.Parse(time.RFC3339, ts.WeekEnd) // fixed, so equal inputs give equal bytes
	p.SetCreationDate(stamp)
	p.SetModificationDate(stamp)
	p.SetCatalogSort(true)
	p.SetProducer("Workdiary", false)
	p.SetTitle(tr(ts.Title+" "+ts.Week), false)
	p.SetMargins(18, 18, 18)
	p.AddPage()

	p.SetFont("Helvetica", "B", 18)
	p.CellFormat(0, 10, tr("Timesheet "+ts.Week), "", 1, "L", false, 0, "")
	p.SetFont("Helvetica", "", 12)
	p.CellFormat(0, 7, tr(ts.Title), "", 1, "L", false, 0, "")
	p.Ln(2)
	pdfFacts(p, tr, ts)
	p.Ln(4)
	pdfDays(p, ts)
	p.Ln(4)
	pdfTotals(p, ts)
	p.Ln(4)
	pdfDisputes(p, tr, ts)
	pdfPins(p, tr, ts)

	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		return nil, fmt.Errorf("render pdf: %w", err)
	}
	return buf.Bytes(), nil
}

func pdfFacts(p *fpdf.Fpdf, tr func(string) string, ts Timesheet) {
	limit := "none"
	if ts.WeeklyLimitHours > 0 {
		limit = fmt.Sprintf("%d hours", ts.WeeklyLimitHours)
		if ts.WeeklyLimitHours == 1 {
			limit = "1 hour"
		}
	}
	manual := "not billable"
	if ts.ManualTimeBillable {
		manual = "billable"
	}
	// contract_start opens the billable window AcceptanceGrace before the
	// acceptance; a reader of the document wants the day it was accepted.
	contract := "accepted " + pdfTime(ts.ContractStart, AcceptanceGrace)
	if ts.ContractEnd != "" {
		contract += ", ended " + pdfTime(ts.ContractEnd, 0)
	}
	rows := [][2]string{
		{"Week", pdfTime(ts.WeekStart, 0) + " to " + pdfTime(ts.WeekEnd, 0) + ts.zoneNote()},
		{"Employer", ts.Employer.Name + "  -  key " + ts.Employer.Fingerprint},
		{"Contractor", ts.Contractor.Name + "  -  key " + ts.Contractor.Fingerprint},
		{"Rate", ts.Rate + " " + ts.Currency + " per hour"},
		{"Weekly limit", limit + "; manual time " + manual},
		{"Contract", contract},
	}
	for _, r := range rows {
		p.SetFont("Helvetica", "B", 10)
		p.CellFormat(32, 6, r[0], "", 0, "L", false, 0, "")
		p.SetFont("Helvetica", "", 10)
		p.CellFormat(0, 6, tr(r[1]), "", 1, "L", false, 0, "")
	}
}

// pdfTime is an RFC 3339 time moved by d, as "2026-11-30 10:00 UTC"; the
// text itself when it does not parse.
func pdfTime(s string, d time.Duration) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return s
	}
	return t.Add(d).UTC().Format("2006-01-02 15:04 UTC")
}

var dayCols = []float64{46, 32, 32, 32, 32}

// The day columns say what each counts: time the tracker recorded, manual
// time, their sum, and the part of the sum that is billed.
var dayHeads = []string{"Date (UTC)", "Tracked", "Manual", "Total", "Billable"}

func pdfDays(p *fpdf.Fpdf, ts Timesheet) {
	p.SetFont("Helvetica", "B", 10)
	p.SetFillColor(230, 230, 230)
	for i, h := range dayHeads {
		align := "R"
		if i == 0 {
			align = "L"
		}
		p.CellFormat(dayCols[i], 7, h, "B", 0, align, true, 0, "")
	}
	p.Ln(-1)
	p.SetFont("Helvetica", "", 10)
	for _, d := range ts.Days {
		day, _ := time.Parse(time.DateOnly, d.Date)
		pdfDayRow(p, "", day.Format("Mon 2006-01-02"), d.TrackedMinutes-d.ManualMinutes, d.ManualMinutes, d.TrackedMinutes, d.BillableMinutes)
	}
	p.SetFont("Helvetica", "B", 10)
	t := ts.Totals
	pdfDayRow(p, "T", "Week", t.TrackedMinutes-t.ManualMinutes, t.ManualMinutes, t.TrackedMinutes, t.BillableMinutes)
	p.SetFont("Helvetica", "", 8)
	p.CellFormat(0, 5, "Tracked: recorded by the tracker. Manual: added by hand. Total: both. Billable: the part of the total that is paid.", "", 1, "L", false, 0, "")
}

func pdfDayRow(p *fpdf.Fpdf, border, label string, minutes ...int) {
	p.CellFormat(dayCols[0], 6, label, border, 0, "L", false, 0, "")
	for i, m := range minutes {
		p.CellFormat(dayCols[i+1], 6, hm(m), border, 0, "R", false, 0, "")
	}
	p.Ln(-1)
}

func pdfTotals(p *fpdf.Fpdf, ts Timesheet) {
	t := ts.Totals
	rows := [][2]string{
		{"Over the weekly limit", hm(t.OverLimitMinutes)},
		{"Manual time not billable", hm(t.ManualExcludedMinutes)},
		{"Outside the contract", hm(t.OutsideContractMinutes)},
	}
	if t.UnverifiedMinutes > 0 {
		// Shown apart whatever the policy: the employer sees how much of
		// the week lacks the screenshots or input counts the terms ask for.
		rows = append(rows, [2]string{"Unverified (" + ts.Unverified + "): screenshots or input unavailable", hm(t.UnverifiedMinutes)},
			[2]string{"Unverified, not billable", hm(t.UnverifiedExcludedMinutes)})
	}
	if t.DisputedMinutes > 0 {
		rows = append(rows, [2]string{fmt.Sprintf("Disputed by the employer, not billed (%s)", t.DisputedAmount), hm(t.DisputedMinutes)})
	}
	for _, r := range append(rows, [2]string{"Billable", hm(t.BillableMinutes)}) {
		p.SetFont("Helvetica", "", 10)
		p.CellFormat(130, 6, r[0], "", 0, "L", false, 0, "")
		p.CellFormat(40, 6, r[1], "", 1, "R", false, 0, "")
	}
	p.SetFont("Helvetica", "B", 13)
	p.CellFormat(130, 9, "Amount", "T", 0, "L", false, 0, "")
	p.CellFormat(40, 9, AmountString(ts), "T", 1, "R", false, 0, "")
}

// pdfDisputes lists the employer's disputes of the week's segments, why,
// and the contractor's answers: the reasons behind the disputed total.
func pdfDisputes(p *fpdf.Fpdf, tr func(string) string, ts Timesheet) {
	if len(ts.Disputes) == 0 {
		return
	}
	p.SetFont("Helvetica", "B", 10)
	p.CellFormat(0, 6, "Disputes", "", 1, "L", false, 0, "")
	for _, d := range ts.Disputes {
		p.SetFont("Helvetica", "", 9)
		p.MultiCell(0, 5, tr(fmt.Sprintf("%s, by the employer, %d segments of 10 minutes: %s", pdfTime(d.At, 0), len(d.Segments), d.Reason)), "", "L", false)
		for _, a := range d.Answers {
			at, text, _ := strings.Cut(a, " ")
			p.SetFont("Helvetica", "I", 9)
			p.MultiCell(0, 5, tr(fmt.Sprintf("    answer of %s by the contractor: %s", pdfTime(at, 0), text)), "", "L", false)
		}
	}
	p.Ln(4)
}

func pdfPins(p *fpdf.Fpdf, tr func(string) string, ts Timesheet) {
	p.SetFont("Helvetica", "", 8)
	pin := fmt.Sprintf("Log checkpoint  size %d, root %s (the week is not closed yet)", ts.LogSize, ts.LogRoot)
	if ts.WeekClosed {
		pin = fmt.Sprintf("Week closed by both parties  at log size %d, root %s", ts.LogSize, ts.LogRoot)
	}

	lines := []string{
		"Contract ID  " + ts.ContractID,
		pin,
		"Log ID  " + ts.LogID,
		fmt.Sprintf("Signed by the %s. Entries counted: %d.", ts.SignedBy, len(ts.Entries)),
		"Verify the bundle with `workdiary verify` or ssh-keygen -Y verify (see README.txt in the zip).",
	}
	if ts.ReviewedSize > 0 {
		lines = slices.Insert(lines, 2, fmt.Sprintf("Disputes after the close proven up to log size %d, root %s", ts.ReviewedSize, ts.ReviewedRoot))
	}
	for _, c := range ts.Corrections {
		lines = append(lines, fmt.Sprintf("Correction of closed week %s: entry %d at %s, %s.", c.Corrects, c.Seq, c.Start, hm(c.Minutes)))
	}
	for _, line := range lines {
		p.CellFormat(0, 4.5, tr(line), "", 1, "L", false, 0, "")
	}
}

// AmountString is the amount as shown to people: "52.50 USD".
func AmountString(ts Timesheet) string { return ts.Totals.Amount + " " + ts.Currency }

// hm renders minutes as hours and minutes, "7:05".
func hm(minutes int) string { return fmt.Sprintf("%d:%02d", minutes/60, minutes%60) }
