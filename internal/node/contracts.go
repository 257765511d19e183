package node

import (
	"context"
	"errors"
	"strings"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/syncp2p"
)

// OfferParams are the terms of `contract offer`, in the words of the CLI
// and the offer form.
type OfferParams struct {
	Title            string `json:"title"`
	Rate             string `json:"rate"` // decimal, e.g. "35.00"
	Currency         string `json:"currency"`
	WeeklyLimitHours int    `json:"weekly_limit_hours"`
	OverLimit        string `json:"over_limit,omitempty"` // stop | continue
	Screenshots      int    `json:"screenshots"`
	Blur             string `json:"blur,omitempty"` // off | allowed | required
	Webcam           bool   `json:"webcam"`
	NoActivity       bool   `json:"no_activity,omitempty"`
	ManualTime       bool   `json:"manual_time"`
	Unverified       string `json:"unverified,omitempty"` // separate | bill | exclude
	// CloseAfterHours is how long after its end a week closes for new
	// entries: nil for the default (a day), 0 for never.
	CloseAfterHours *int `json:"close_after_hours,omitempty"`
	// ReviewDays is how long the employer may dispute a closed week; 0 =
	// contract.DefaultReviewDays.
	ReviewDays int `json:"review_days,omitempty"`
	// WeekZone is the IANA zone the contract's weeks start in, local time
	// (Europe/Berlin); "" or UTC for UTC.
	WeekZone string `json:"week_zone,omitempty"`
}

// OfferResult is a new offer and its invite.
type OfferResult struct {
	Contract contract.ListItem `json:"contract"`
	Invite   string            `json:"invite"`
	Consent  []string          `json:"consent"`
}

// AcceptParams are the parameters of an acceptance.
type AcceptParams struct {
	Code    string `json:"code"`
	Offline bool   `json:"offline"`
}

// InvitePreview is what the consent screen shows before accepting.
type InvitePreview struct {
	Contract contract.ListItem `json:"contract"`
	Employer string            `json:"employer"`
	Finger   string            `json:"employer_fingerprint"`
	Consent  []string          `json:"consent"`
}

func (o OfferParams) terms() (contract.Terms, error) {
	t := contract.DefaultTerms()
	t.Title = strings.TrimSpace(o.Title)
	t.Currency = strings.ToUpper(strings.TrimSpace(o.Currency))
	rate, err := contract.ParseRate(o.Rate, t.Currency)
	if err != nil {
		return t, err
	}
	t.RateMinor = rate
	t.WeeklyLimitHours = o.WeeklyLimitHours
	t.Screenshots = o.Screenshots
	t.ActivityCounting = !o.NoActivity
	t.ManualTime = o.ManualTime
	t.ReviewDays = o.ReviewDays
	if t.WeekZone, err = contract.NormalizeWeekZone(o.WeekZone); err != nil {
		return t, err
	}
	if o.OverLimit != "" {
		if t.OverLimit, err = contract.ParseOverLimitPolicy(o.OverLimit); err != nil {
			return t, err
		}
	}
	if o.Blur != "" {
		if t.Blur, err = contract.ParseBlurPolicy(o.Blur); err != nil {
			return t, err
		}
	}
	if o.Webcam {
		t.Webcam = contract.WebcamOptional
	}
	if o.Unverified != "" {
		if t.Unverified, err = contract.ParseUnverifiedPolicy(o.Unverified); err != nil {
			return t, err
		}
	}
	if o.CloseAfterHours != nil {
		t.CloseAfterHours = *o.CloseAfterHours
	}
	return t, t.Validate()
}

// Contracts is the contract registry of this data folder.
func (n *Node) Contracts() *contract.Registry { return contract.NewRegistry(n.store) }

// OfferContract signs a new offer as employer.
func (n *Node) OfferContract(p OfferParams) (OfferResult, error) {
	id, err := n.Identity()
	if err != nil {
		return OfferResult{}, err
	}
	terms, err := p.terms()
	if err != nil {
		return OfferResult{}, err
	}
	c, err := n.Contracts().Offer(terms, id, n.advertiseAddrs(), n.Clock.Now())
	if err != nil {
		return OfferResult{}, err
	}
	n.announce(TopicContractsChanged, nil)
	return OfferResult{Contract: c.ListItem(n.Clock.Now()), Invite: c.Invite(), Consent: c.Offer.Consent()}, nil
}

// PreviewInvite decodes an invite for the consent screen without storing
// anything.
func (n *Node) PreviewInvite(code string) (InvitePreview, error) {
	o, err := contract.DecodeInvite(code)
	if err != nil {
		return InvitePreview{}, err
	}
	c := &contract.Contract{Offer: o, Role: contract.RoleContractor, State: contract.StateOffered}
	e := o.Employer()
	desk := detectDesk()
	consent := append(o.Consent(), o.SessionConsent(desk.Name(), desk.Limits)...)
	return InvitePreview{Contract: c.ListItem(n.Clock.Now()), Employer: e.Name, Finger: e.Fingerprint(), Consent: consent}, nil
}

// AcceptResult is an accepted contract and whether the employer has the
// acceptance yet.
type AcceptResult struct {
	Contract  contract.ListItem `json:"contract"`
	Delivered bool              `json:"delivered"`
	Warning   string            `json:"warning,omitempty"`
}

// AcceptContract accepts an invite: it is stored at once, and unless
// offline it is delivered to the employer now; if the employer cannot be
// reached it stays queued for the next sync, and Warning says why.
func (n *Node) AcceptContract(ctx context.Context, p AcceptParams) (AcceptResult, error) {
	id, err := n.Identity()
	if err != nil {
		return AcceptResult{}, err
	}
	c, err := n.Contracts().AcceptOffline(p.Code, id, n.advertiseAddrs(), n.Clock.Now())
	if err != nil {
		return AcceptResult{}, err
	}
	n.announce(TopicContractsChanged, nil)
	res := AcceptResult{Contract: c.ListItem(n.Clock.Now())}
	if p.Offline {
		return res, nil
	}
	if n.network() == nil {
		if err := n.StartNetwork(ctx, n.UserNetOptions(nil)); err != nil {
			res.Warning = "not delivered yet (" + err.Error() + "): it will be sent at the next sync"
			return res, nil
		}
	}
	if err := n.deliverAcceptance(ctx, c); err != nil {
		var refused *syncp2p.RemoteError
		if errors.As(err, &refused) {
			res.Warning = "the employer refused this acceptance: " + refused.Reason
			return res, nil
		}
		res.Warning = "the employer could not be reached (" + shortErr(err) + "): the acceptance is queued and goes out at the next sync"
		return res, nil
	}
	c, err = n.Contracts().Get(c.ID())
	if err != nil {
		return res, err
	}
	res.Contract, res.Delivered = c.ListItem(n.Clock.Now()), true
	return res, nil
}

// ListContracts lists every contract, both roles.
func (n *Node) ListContracts() ([]contract.ListItem, error) {
	cs, err := n.Contracts().List()
	if err != nil {
		return nil, err
	}
	out := make([]contract.ListItem, 0, len(cs))
	for _, c := range cs {
		out = append(out, c.ListItem(n.Clock.Now()))
	}
	return out, nil
}

// pairingProof is this contractor's proof that its acceptance of contract
// id comes from the invite (nil for an invite without a pairing secret).
func (n *Node) pairingProof(id contract.ID) []byte {
	c, err := n.Contracts().Get(id)
	if err != nil || c.Role != contract.RoleContractor {
		return nil
	}
	me, err := n.Identity()
	if err != nil {
		return nil
	}
	return c.PairingProof(me.PeerID())
}

// WithdrawParams name the offer to withdraw.
type WithdrawParams struct {
	Contract string `json:"contract"` // ID or unique prefix
}

// WithdrawOffer takes back an offer nobody has accepted: its invite is
// refused from now on.
func (n *Node) WithdrawOffer(p WithdrawParams) (contract.ListItem, error) {
	c, err := n.Contracts().Resolve(p.Contract)
	if err != nil {
		return contract.ListItem{}, err
	}
	if c, err = n.Contracts().Withdraw(c.ID()); err != nil {
		return contract.ListItem{}, err
	}
	n.announce(TopicContractsChanged, nil)
	return c.ListItem(n.Clock.Now()), nil
}
