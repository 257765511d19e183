package app

import (
	"encoding/base64"
	"fmt"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/node"
)

// ContractsAPI is bound to the frontend's contracts store.
type ContractsAPI struct {
	app *App
}

// ContractView is one contract in the list.
type ContractView = contract.ListItem

// OfferForm is the offer form's fields (the CLI's flags, by name).
type OfferForm = node.OfferParams

// OfferView is a signed offer ready to hand to the contractor.
type OfferView struct {
	Contract ContractView `json:"contract"`
	Invite   string       `json:"invite"`
	QR       string       `json:"qr"` // PNG as a data: URL
	Consent  []string     `json:"consent"`
}

// InvitePreview is the consent screen's content.
type InvitePreview = node.InvitePreview

// List returns every contract, both roles.
func (s *ContractsAPI) List() ([]ContractView, error) {
	items, err := s.app.n().ListContracts()
	if items == nil {
		items = []ContractView{}
	}
	return items, err
}

// Offer signs a new offer and returns its invite with a QR code.
func (s *ContractsAPI) Offer(f OfferForm) (OfferView, error) {
	res, err := s.app.n().OfferContract(f)
	if err != nil {
		return OfferView{}, err
	}
	qr, err := contract.InviteQR(res.Invite, 320)
	if err != nil {
		return OfferView{}, err
	}
	return OfferView{Contract: res.Contract, Invite: res.Invite, Consent: res.Consent,
		QR: "data:image/png;base64," + base64.StdEncoding.EncodeToString(qr)}, nil
}

// Preview decodes a pasted invite for the consent screen; nothing is
// stored.
func (s *ContractsAPI) Preview(code string) (InvitePreview, error) {
	return s.app.n().PreviewInvite(code)
}

// Accept accepts the invite and delivers the acceptance to the employer;
// when the employer is unreachable it is queued for the next sync (the
// contract's state says which).
func (s *ContractsAPI) Accept(code string) (ContractView, error) {
	res, err := s.app.n().AcceptContract(s.app.ctx, node.AcceptParams{Code: code})
	return res.Contract, err
}

// ContractDetail is one contract with its changes and disputes.
type ContractDetail = node.ContractDetail

// ChangeForm is what a change of a running contract says: which contract,
// why, and for an amendment the new terms ("" and -1 keep a term).
type ChangeForm struct {
	Contract         string `json:"contract"`
	Reason           string `json:"reason"`
	Rate             string `json:"rate"`
	WeeklyLimitHours int    `json:"weekly_limit_hours"`
}

// DisputeForm disputes the received segments that start in [From, To)
// (RFC 3339).
type DisputeForm struct {
	Contract string `json:"contract"`
	From     string `json:"from"`
	To       string `json:"to"`
	Reason   string `json:"reason"`
}

// AnswerForm answers a dispute.
type AnswerForm struct {
	Contract string `json:"contract"`
	Dispute  string `json:"dispute"`
	Text     string `json:"text"`
}

// WeekView is one week of a contract: open, closing or closed, its
// cosigned close, review window and disputes.
type WeekView = node.WeekView

// Weeks lists a contract's weeks, newest first (the Timesheets screen's
// closed weeks, the Diary's closed days, the corrections picker).
func (s *ContractsAPI) Weeks(id string) ([]WeekView, error) {
	return s.app.n().ContractWeeks(node.WeeksParams{Contract: id})
}

// Show returns one contract's detail.
func (s *ContractsAPI) Show(id string) (ContractDetail, error) {
	d, err := s.app.n().ShowContract(node.ShowParams{Contract: id})
	return d, explain(err)
}

// End ends the contract now.
func (s *ContractsAPI) End(f ChangeForm) (ContractDetail, error) {
	d, err := s.app.n().EndContract(node.EndParams{Contract: f.Contract, Reason: f.Reason})
	return d, explain(err)
}

// Pause pauses the contract now: no time is recorded until it resumes.
func (s *ContractsAPI) Pause(f ChangeForm) (ContractDetail, error) {
	d, err := s.app.n().PauseContract(node.HoldParams{Contract: f.Contract, Reason: f.Reason})
	return d, explain(err)
}

// Resume ends the pause now.
func (s *ContractsAPI) Resume(f ChangeForm) (ContractDetail, error) {
	d, err := s.app.n().ResumeContract(node.HoldParams{Contract: f.Contract, Reason: f.Reason})
	return d, explain(err)
}

// Amend sets new terms from next week (the employer).
func (s *ContractsAPI) Amend(f ChangeForm) (ContractDetail, error) {
	p := node.AmendParams{Contract: f.Contract, Rate: f.Rate}
	if f.WeeklyLimitHours >= 0 {
		p.WeeklyLimitHours = &f.WeeklyLimitHours
	}
	d, err := s.app.n().AmendContract(p)
	return d, explain(err)
}

// Dispute disputes received time of a closed week (the employer).
func (s *ContractsAPI) Dispute(f DisputeForm) (ContractDetail, error) {
	from, err1 := time.Parse(time.RFC3339, f.From)
	to, err2 := time.Parse(time.RFC3339, f.To)
	if err1 != nil || err2 != nil {
		return ContractDetail{}, fmt.Errorf("give the disputed time as a start and an end")
	}
	d, err := s.app.n().DisputeTime(node.DisputeParams{Contract: f.Contract, From: from, To: to, Reason: f.Reason})
	return d, explain(err)
}

// Answer answers a dispute (the contractor).
func (s *ContractsAPI) Answer(f AnswerForm) (ContractDetail, error) {
	d, err := s.app.n().AnswerDispute(node.AnswerParams{Contract: f.Contract, Dispute: f.Dispute, Text: f.Text})
	return d, explain(err)
}
