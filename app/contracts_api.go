package app

import (
	"encoding/base64"

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
	items, err := s.app.node.ListContracts()
	if items == nil {
		items = []ContractView{}
	}
	return items, err
}

// Offer signs a new offer and returns its invite with a QR code.
func (s *ContractsAPI) Offer(f OfferForm) (OfferView, error) {
	res, err := s.app.node.OfferContract(f)
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
	return s.app.node.PreviewInvite(code)
}

// Accept accepts the invite and delivers the acceptance to the employer;
// when the employer is unreachable it is queued for the next sync (the
// contract's state says which).
func (s *ContractsAPI) Accept(code string) (ContractView, error) {
	res, err := s.app.node.AcceptContract(s.app.ctx, node.AcceptParams{Code: code})
	return res.Contract, err
}
