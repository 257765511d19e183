package timesheet

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/workdiary/workdiary/internal/ledger"
)

// csvHeader names the CSV columns. One row per counted entry:
//
//	date      date of the segment start in the week zone (as the days
//	          of timesheet.json; UTC unless the offer names a zone)
//	start,end the segment, RFC 3339 UTC (end = start + 10 minutes)
//	minutes   tracked minutes of the entry inside the week
//	activity  active minutes (any input) of 10; empty for manual time
//	memo      the contractor's memo
//	kind      auto or manual
//	billable  yes (every tracked minute is billable), no (none is), or
//	          partial-N (N of them are: the weekly limit or the end of the
//	          contract fell inside the segment, or the employer disputes it)
//	unverified what the session could not record (screenshots, activity),
//	          when the contract asked for it; empty when all was recorded.
//	          Such time is billed as the contract's unverified term says.
//	corrects  the closed week (ISO, 2026-W48) this time makes up for;
//	          empty for ordinary time. It is time of this week all the same.
//	disputed  minutes of the entry the employer disputes: not in billable,
//	          so summing billable and disputed keeps them apart as the
//	          totals do; empty when none is
//	dispute   the employer's reason, when disputed
//	answer    the contractor's answers to that dispute, " / " between two
//
// Columns are only ever added at the end, so a spreadsheet built on the
// earlier ones keeps working.
var csvHeader = []string{"date", "start", "end", "minutes", "activity", "memo", "kind", "billable", "unverified",
	"corrects", "disputed", "dispute", "answer"}

// CSV renders the timesheet's rows as RFC 4180 CSV: CRLF line ends, fields
// quoted when needed with quotes doubled. It needs a Timesheet from Build.
func CSV(ts Timesheet) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	w.Write(csvHeader)
	for _, r := range ts.rows {
		activity := ""
		if r.Kind == ledger.KindAuto {
			activity = strconv.Itoa(r.Active)
		}
		w.Write([]string{
			Week{Zone: ts.zone}.Date(r.Start), r.Start.Format(time.RFC3339), r.End.Format(time.RFC3339),
			strconv.Itoa(r.Minutes), activity, defuseFormula(r.Memo), r.Kind.String(), billableCell(r),
			r.Unverified, r.Corrects, disputedCell(r), defuseFormula(r.Dispute), defuseFormula(strings.Join(r.Answers, " / ")),
		})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, fmt.Errorf("write csv: %w", err)
	}
	return buf.Bytes(), nil
}

func disputedCell(r Row) string {
	if r.DisputedMinutes == 0 {
		return ""
	}
	return strconv.Itoa(r.DisputedMinutes)
}

func billableCell(r Row) string {
	switch r.BillableMinutes {
	case r.Minutes:
		return "yes"
	case 0:
		return "no"
	}
	return "partial-" + strconv.Itoa(r.BillableMinutes)
}

// defuseFormula keeps a memo like "=HYPERLINK(…)" from running as a
// formula when the CSV is opened in a spreadsheet, by prefixing a quote.
// The signed entries keep the memo as written.
func defuseFormula(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
