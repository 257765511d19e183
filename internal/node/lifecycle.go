package node

import (
	"fmt"
	"strings"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/store"
)

// A change of a running contract is a signed record bound into the
// contractor's log (docs/format.md, "Contract records in the log"). The
// contractor's node binds its own at once; the employer's wait in the
// registry until a sync hands them to the contractor's node, which checks
// and binds them (syncSide.Bind), and take effect when the employer's copy
// of the log carries them.

// EndParams end a contract from At (zero: now).
type EndParams struct {
	Contract string    `json:"contract"`
	At       time.Time `json:"at,omitzero"`
	Reason   string    `json:"reason,omitempty"`
}

// HoldParams pause or resume a contract now.
type HoldParams struct {
	Contract string `json:"contract"`
	Reason   string `json:"reason,omitempty"`
}

// AmendParams set a new rate and/or weekly limit from a week start (zero:
// the next week). A nil field keeps the term in force.
type AmendParams struct {
	Contract         string    `json:"contract"`
	Rate             string    `json:"rate,omitempty"` // decimal, in the contract's currency
	WeeklyLimitHours *int      `json:"weekly_limit_hours,omitempty"`
	From             time.Time `json:"from,omitzero"`
}

// DisputeParams dispute the received segments that start in [From, To),
// all in one closed week, with a reason.
type DisputeParams struct {
	Contract string    `json:"contract"`
	From     time.Time `json:"from"`
	To       time.Time `json:"to"`
	Reason   string    `json:"reason"`
}

// AnswerParams answer a dispute (named by a prefix of its ID).
type AnswerParams struct {
	Contract string `json:"contract"`
	Dispute  string `json:"dispute"`
	Text     string `json:"text"`
}

// EndContract signs an end of the contract by this party.
func (n *Node) EndContract(p EndParams) (ContractDetail, error) {
	return n.changeContract(p.Contract, func(c *contract.Contract, me *identity.Identity, now time.Time) ([]byte, error) {
		at := p.At
		if at.IsZero() {
			at = now
		}
		e, err := contract.NewEnd(c.ID(), me, strings.TrimSpace(p.Reason), at.UTC().Truncate(time.Second))
		if err != nil {
			return nil, err
		}
		return e.Signed(), nil
	})
}

// PauseContract and ResumeContract sign a pause or its end, from now.
func (n *Node) PauseContract(p HoldParams) (ContractDetail, error)  { return n.hold(p, false) }
func (n *Node) ResumeContract(p HoldParams) (ContractDetail, error) { return n.hold(p, true) }

func (n *Node) hold(p HoldParams, resume bool) (ContractDetail, error) {
	return n.changeContract(p.Contract, func(c *contract.Contract, me *identity.Identity, now time.Time) ([]byte, error) {
		h, err := contract.NewHold(c.ID(), me, resume, strings.TrimSpace(p.Reason), now)
		if err != nil {
			return nil, err
		}
		return h.Signed(), nil
	})
}

// AmendContract signs new terms as the employer.
func (n *Node) AmendContract(p AmendParams) (ContractDetail, error) {
	return n.changeContract(p.Contract, func(c *contract.Contract, me *identity.Identity, now time.Time) ([]byte, error) {
		ch := contract.Change{From: p.From}
		if ch.From.IsZero() {
			ch.From = c.Offer.WeekStart.Begin(now).AddDate(0, 0, 7)
		}
		ch.RateMinor, ch.WeeklyLimitHours = c.TermsFor(ch.From)
		if p.Rate != "" {
			r, err := contract.ParseRate(p.Rate, c.Offer.Currency)
			if err != nil {
				return nil, err
			}
			ch.RateMinor = r
		}
		if p.WeeklyLimitHours != nil {
			ch.WeeklyLimitHours = *p.WeeklyLimitHours
		}
		if p.Rate == "" && p.WeeklyLimitHours == nil {
			return nil, fmt.Errorf("say what changes: a new rate, a new weekly limit, or both")
		}
		a, err := contract.NewAmendment(c.Offer, me, c.NextAmendment(), ch, now)
		if err != nil {
			return nil, err
		}
		return a.Signed(), nil
	})
}

// DisputeTime signs the employer's dispute of received segments.
func (n *Node) DisputeTime(p DisputeParams) (ContractDetail, error) {
	return n.changeContract(p.Contract, func(c *contract.Contract, me *identity.Identity, now time.Time) ([]byte, error) {
		starts, err := n.receivedStarts(c, p.From, p.To)
		if err != nil {
			return nil, err
		}
		d, err := contract.NewDispute(c.Offer, me, starts, strings.TrimSpace(p.Reason), now)
		if err != nil {
			return nil, err
		}
		return d.Signed(), nil
	})
}

// AnswerDispute signs the contractor's answer to a dispute.
func (n *Node) AnswerDispute(p AnswerParams) (ContractDetail, error) {
	return n.changeContract(p.Contract, func(c *contract.Contract, me *identity.Identity, now time.Time) ([]byte, error) {
		d, err := findDispute(c, p.Dispute)
		if err != nil {
			return nil, err
		}
		a, err := contract.NewAnswer(d, me, strings.TrimSpace(p.Text), now)
		if err != nil {
			return nil, err
		}
		return a.Signed(), nil
	})
}

func findDispute(c *contract.Contract, prefix string) (*contract.Dispute, error) {
	if c.Life == nil || prefix == "" {
		return nil, fmt.Errorf("%w: name the dispute by its ID (contract show lists them)", contract.ErrNoDispute)
	}
	var found *contract.Dispute
	for _, d := range c.Life.Disputes {
		if strings.HasPrefix(d.Hash().String(), strings.ToLower(prefix)) {
			if found != nil {
				return nil, fmt.Errorf("%w: %q names more than one dispute", contract.ErrAmbiguous, prefix)
			}
			found = d
		}
	}
	if found == nil {
		return nil, fmt.Errorf("%w: no dispute ID starts with %q", contract.ErrNoDispute, prefix)
	}
	return found, nil
}

// changeContract signs a record with sign and makes it take effect: the
// contractor's node binds it into its log now; the employer's checks it
// would bind and keeps it for the next sync.
func (n *Node) changeContract(ref string, sign func(*contract.Contract, *identity.Identity, time.Time) ([]byte, error)) (ContractDetail, error) {
	me, err := n.Identity()
	if err != nil {
		return ContractDetail{}, err
	}
	c, err := n.Contracts().Resolve(ref)
	if err != nil {
		return ContractDetail{}, err
	}
	if c.Life == nil {
		return ContractDetail{}, fmt.Errorf("contract %s is %s: only an accepted contract changes (withdraw an open offer instead)", c.ID().Short(), c.State)
	}
	now := n.Clock.Now().UTC().Truncate(time.Second)
	signed, err := sign(c, me, now)
	if err != nil {
		return ContractDetail{}, err
	}
	if c.Role == contract.RoleContractor {
		err = n.bindOwn(c.ID(), me, signed, now)
	} else {
		_, err = n.Contracts().Propose(c.ID(), signed, now)
	}
	if err != nil {
		return ContractDetail{}, err
	}
	n.pushSoon(c)
	n.announce(TopicContractsChanged, nil)
	n.announce(TopicDiaryChanged, nil)
	return n.ShowContract(ShowParams{Contract: c.ID().String()})
}

// bindOwn appends signed to the contractor's own log as a record entry and
// records it in the registry, in one transaction, then signs a checkpoint.
func (n *Node) bindOwn(id contract.ID, me *identity.Identity, signed []byte, now time.Time) error {
	cid := id
	logID := ledger.LogIDOf(cid, me.PublicKey())
	err := n.store.Update(func(x *store.Txn) error {
		if _, err := contract.BindIn(x, id, signed, now); err != nil {
			return err
		}
		l, err := openOwnLog(x, me.PrivateKey(), cid, logID)
		if err != nil {
			return err
		}
		s, err := l.Append(ledger.BindRecord(signed, now.Unix()))
		if err != nil {
			return err
		}
		return logdb.Append(x, logID, []ledger.Signed{s})
	})
	// The running session's next minute already sees the change, before
	// anyone announces it.
	n.life.forget()
	if err != nil {
		return err
	}
	c, err := n.Contracts().Get(id)
	if err != nil {
		return err
	}
	_, err = n.signCheckpoint(c, logID)
	return err
}

// receivedStarts are the starts of the live segments of the employer's
// copy of c's log that start in [from, to).
func (n *Node) receivedStarts(c *contract.Contract, from, to time.Time) ([]time.Time, error) {
	if c.Role != contract.RoleEmployer {
		return nil, fmt.Errorf("contract %s: %w", c.ID().Short(), contract.ErrNotEmployer)
	}
	logID := ledger.LogIDOf(c.ID(), c.Acceptance.Contractor.PublicKey)
	var out []time.Time
	err := n.store.View(func(x *store.Txn) error {
		entries, err := logdb.LiveEntries(x, logID, from.Unix(), to.Unix())
		for _, b := range entries {
			e, err := ledger.ReadOwnEntry(b)
			if err != nil {
				return err
			}
			out = append(out, time.Unix(e.Start, 0).UTC())
		}
		return err
	})
	if err == nil && len(out) == 0 {
		err = fmt.Errorf("no received time starts between %s and %s: nothing to dispute",
			from.UTC().Format(time.RFC3339), to.UTC().Format(time.RFC3339))
	}
	return out, err
}
