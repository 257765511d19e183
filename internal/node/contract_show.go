package node

import (
	"time"

	"github.com/workdiary/workdiary/internal/contract"
)

// ShowParams name one contract.
type ShowParams struct {
	Contract string `json:"contract"` // ID or unique prefix
}

// ContractDetail is one contract as `contract show` and the Contracts
// screen present it: the list row, the terms in force this week and the
// changes bound into the log or waiting to be. Field names are part of
// the stable command-line interface.
type ContractDetail struct {
	contract.ListItem
	Employer    string `json:"employer"`
	Contractor  string `json:"contractor,omitempty"`
	WeekStart   string `json:"week_start"`
	ReviewDays  int    `json:"review_days"`
	OfferedRate string `json:"offered_rate"`
	// OfferedWeeklyLimitHours is the offer's; WeeklyLimitHours (of the
	// list row) the one in force this week.
	OfferedWeeklyLimitHours int        `json:"offered_weekly_limit_hours"`
	PausedSince             *time.Time `json:"paused_since,omitempty"`
	Ends                    *time.Time `json:"ends,omitempty"`
	// Changes are the records bound into the log, then (Pending) the
	// employer's waiting for the contractor's node.
	Changes  []ChangeView  `json:"changes"`
	Disputes []DisputeView `json:"disputes"`
}

// ChangeView is one end, pause, resumption or amendment.
type ChangeView struct {
	Kind    string    `json:"kind"` // end, pause, resume, amend
	By      string    `json:"by"`   // employer or contractor
	At      time.Time `json:"at"`   // when it takes effect
	Reason  string    `json:"reason,omitempty"`
	Rate    string    `json:"rate,omitempty"` // amendments
	Limit   *int      `json:"weekly_limit_hours,omitempty"`
	Pending bool      `json:"pending,omitempty"` // signed, not yet bound into the log
}

// DisputeView is one dispute and its answers.
type DisputeView struct {
	ID       string       `json:"id"` // hex SHA-256 of the signed dispute
	Week     time.Time    `json:"week"`
	At       time.Time    `json:"at"`
	Reason   string       `json:"reason"`
	Segments []string     `json:"segments"`         // segment starts, RFC 3339
	Minutes  int          `json:"segments_minutes"` // segments × 10
	Answers  []AnswerView `json:"answers"`
	Pending  bool         `json:"pending,omitempty"`
}

// AnswerView is the contractor's answer to a dispute.
type AnswerView struct {
	At   time.Time `json:"at"`
	Text string    `json:"text"`
}

// ShowContract describes one contract.
func (n *Node) ShowContract(p ShowParams) (ContractDetail, error) {
	c, err := n.Contracts().Resolve(p.Contract)
	if err != nil {
		return ContractDetail{}, err
	}
	return detailOf(c, n.Clock.Now()), nil
}

func detailOf(c *contract.Contract, now time.Time) ContractDetail {
	o := c.Offer
	d := ContractDetail{ListItem: c.ListItem(now), Employer: o.EmployerName, WeekStart: o.WeekStart.String(),
		ReviewDays: o.ReviewDays, OfferedRate: contract.FormatRate(o.RateMinor, o.Currency),
		OfferedWeeklyLimitHours: o.WeeklyLimitHours, Changes: []ChangeView{}, Disputes: []DisputeView{}}
	if d.ReviewDays == 0 {
		d.ReviewDays = contract.DefaultReviewDays
	}
	if c.Acceptance != nil {
		d.Contractor = c.Acceptance.Contractor.Name
	}
	if since, ok := c.Paused(now); ok {
		d.PausedSince = &since
	}
	if c.End != nil {
		at := c.End.At
		d.Ends = &at
	}
	if c.Life == nil {
		return d
	}
	by := func(k []byte) string {
		if o.EmployerKey.Equal(k) {
			return "employer"
		}
		return "contractor"
	}
	d.Changes, d.Disputes = views(c.Life, o, by, false)
	ch, ds := views(c.Pending(now), o, by, true)
	d.Changes, d.Disputes = append(d.Changes, ch...), append(d.Disputes, ds...)
	return d
}

// views lists what l holds.
func views(l *contract.Lifecycle, o *contract.Offer, by func([]byte) string, pending bool) ([]ChangeView, []DisputeView) {
	changes, disputes := []ChangeView{}, []DisputeView{}
	for _, h := range l.Holds {
		kind := "pause"
		if h.Resume {
			kind = "resume"
		}
		changes = append(changes, ChangeView{Kind: kind, By: by(h.By), At: h.At, Reason: h.Reason, Pending: pending})
	}
	for _, a := range l.Amendments {
		limit := a.WeeklyLimitHours
		changes = append(changes, ChangeView{Kind: "amend", By: "employer", At: a.From, Rate: contract.FormatRate(a.RateMinor, o.Currency),
			Limit: &limit, Pending: pending})
	}
	if e := l.End; e != nil {
		changes = append(changes, ChangeView{Kind: "end", By: by(e.By), At: e.At, Reason: e.Reason, Pending: pending})
	}
	for _, x := range l.Disputes {
		v := DisputeView{ID: x.Hash().String(), Week: x.Week(o), At: x.At, Reason: x.Reason,
			Minutes: 10 * len(x.Segments), Answers: []AnswerView{}, Pending: pending}
		for _, s := range x.Segments {
			v.Segments = append(v.Segments, s.UTC().Format(time.RFC3339))
		}
		for _, a := range l.AnswersTo(x) {
			v.Answers = append(v.Answers, AnswerView{At: a.At, Text: a.Text})
		}
		disputes = append(disputes, v)
	}
	return changes, disputes
}
