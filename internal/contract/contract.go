package contract

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"time"
)

// Role is this installation's side of a contract.
type Role uint8

// Roles.
const (
	RoleEmployer   Role = 1
	RoleContractor Role = 2
)

// String is "employer" or "contractor", as in `contract list`.
func (r Role) String() string { return enumName([]string{"", "employer", "contractor"}, int(r)) }

// State is where a contract stands, as this installation knows it.
type State uint8

// States. A contractor's acceptance is "accepted-pending-delivery" until the
// employer has it; only then is the contract active on both sides.
const (
	StateOffered         State = 1 // employer: invite handed out, no acceptance yet
	StateAcceptedPending State = 2 // contractor: accepted, acceptance not yet delivered
	StateActive          State = 3
	StateEnded           State = 4
	StateWithdrawn       State = 5 // employer: offer withdrawn before anyone accepted it
)

var stateNames = []string{"", "offered", "accepted-pending-delivery", "active", "ended", "withdrawn"}

// String is the spelling used by `contract list`.
func (s State) String() string { return enumName(stateNames, int(s)) }

// Contract is one contract as kept in the registry: the signed records and
// what follows from them. Records are never edited; later ones are added.
type Contract struct {
	Offer      *Offer
	Role       Role
	State      State
	Acceptance *Acceptance // nil until accepted
	// Life is what the records bound into the contractor's log say: end,
	// pauses, amendments, disputes. Nil until accepted.
	Life *Lifecycle
	End  *End // Life.End, or an end kept by an older release; nil while the contract runs
	// bound are the records bound into the log, with when they were bound,
	// in log order; proposed are this side's signed records waiting for the
	// contractor's node to bind them (the employer's).
	bound    []boundWire
	proposed [][]byte
	// secret is the invite's pairing secret (see pairing.go), kept by
	// both parties; nil for contracts made before invites carried one.
	secret []byte
}

// ID is the contract ID.
func (c *Contract) ID() ID { return c.Offer.ID() }

// Counterpart is the other party. For an employer whose offer is not yet
// accepted it is the zero Party (no name, no key).
func (c *Contract) Counterpart() Party {
	if c.Role == RoleContractor {
		return c.Offer.Employer()
	}
	if c.Acceptance != nil {
		return c.Acceptance.Contractor
	}
	return Party{}
}

// TermsFor is the rate and weekly limit in force in the week starting at
// week (Lifecycle.TermsFor); 0 hours means no limit.
func (c *Contract) TermsFor(week time.Time) (rateMinor int64, weeklyLimitHours int) {
	if c.Life == nil {
		return c.Offer.RateMinor, c.Offer.WeeklyLimitHours
	}
	return c.Life.TermsFor(week)
}

// WeeklyLimitHours is the limit in force in the week of now.
func (c *Contract) WeeklyLimitHours(now time.Time) int {
	_, h := c.TermsFor(c.Offer.Weeks().Begin(now))
	return h
}

// isParty reports whether key may sign for this contract.
func (c *Contract) isParty(key ed25519.PublicKey) bool {
	return key.Equal(c.Offer.EmployerKey) || (c.Acceptance != nil && key.Equal(c.Acceptance.Contractor.PublicKey))
}

// ListItem is one contract in `workdiary contract list --json`. The field
// names are part of the stable command-line interface.
type ListItem struct {
	// ID is the full contract ID, 64 hex characters.
	ID    string `json:"id"`
	Title string `json:"title"`
	// Role is "employer" or "contractor": this installation's side.
	Role string `json:"role"`
	// Counterpart is the other party's name; empty while an offer waits
	// for its contractor.
	Counterpart string `json:"counterpart"`
	// Rate is the hourly rate in force this week as a decimal string in
	// Currency, e.g. "35.00".
	Rate     string `json:"rate"`
	Currency string `json:"currency"`
	// WeeklyLimitHours is the limit in force after amendments; 0 = none.
	WeeklyLimitHours int `json:"weekly_limit_hours"`
	// State is offered, accepted-pending-delivery, active, paused, ended
	// or withdrawn.
	State string `json:"state"`
	// WeekZone is the IANA zone the contract's weeks are counted in,
	// "UTC" by default.
	WeekZone string `json:"week_zone"`
}

// ListItem returns the JSON view of c as of now.
func (c *Contract) ListItem(now time.Time) ListItem {
	o := c.Offer
	rate, limit := c.TermsFor(o.Weeks().Begin(now))
	state := c.State.String()
	if _, paused := c.Paused(now); paused && c.State == StateActive {
		state = "paused"
	}
	return ListItem{ID: c.ID().String(), Title: o.Title, Role: c.Role.String(),
		Counterpart: c.Counterpart().Name, Rate: FormatRate(rate, o.Currency),
		Currency: o.Currency, WeeklyLimitHours: limit, State: state, WeekZone: o.Weeks().ZoneName()}
}

// Paused reports whether the contract is paused at t, and since when.
func (c *Contract) Paused(t time.Time) (since time.Time, paused bool) {
	if c.Life == nil {
		return time.Time{}, false
	}
	return c.Life.Paused(t)
}

// storedWire is the registry's local record. It is not signed: everything
// that matters in it is a signed record that is re-verified on load.
type storedWire struct {
	Version    uint8    `cbor:"0,keyasint"`
	Role       uint8    `cbor:"1,keyasint"`
	State      uint8    `cbor:"2,keyasint"`
	Offer      []byte   `cbor:"3,keyasint"`
	Acceptance []byte   `cbor:"4,keyasint,omitempty"`
	End        []byte   `cbor:"5,keyasint,omitempty"`
	Amendments [][]byte `cbor:"6,keyasint,omitempty"`
	Secret     []byte   `cbor:"7,keyasint,omitempty"` // pairing secret
	// Bound and Proposed arrived with the lifecycle (Contract.bound,
	// Contract.proposed); key 6 is no longer written.
	Bound    []boundWire `cbor:"8,keyasint,omitempty"`
	Proposed [][]byte    `cbor:"9,keyasint,omitempty"`
}

// boundWire is a record bound into the log and when (the binding entry's
// approval time), so the rules that depend on it run again on load.
type boundWire struct {
	_      struct{} `cbor:",toarray"`
	Record []byte
	At     int64
}

func (c *Contract) stored() storedWire {
	w := storedWire{Version: 1, Role: uint8(c.Role), State: uint8(c.State), Offer: c.Offer.signed, Secret: c.secret,
		Bound: c.bound, Proposed: c.proposed}
	if c.Acceptance != nil {
		w.Acceptance = c.Acceptance.signed
	}
	if c.End != nil && (c.Life == nil || c.Life.End == nil) {
		w.End = c.End.signed // an older release's end, kept as it was
	}
	return w
}

// contractFromStored decodes every signed record strictly, so a damaged
// database shows up as an error rather than as wrong terms. The offer and
// the acceptance are not verified again (storedOpen): the offer's hash is
// the contract's ID, which its key in the store names (decodeStored checks
// they agree), and what leaves the machine, a timesheet bundle, is built
// from their signed bytes verified afresh. Records bound later are.
func contractFromStored(w storedWire) (*Contract, error) {
	if w.Version != 1 || w.Role < 1 || w.Role > 2 || w.State < 1 || int(w.State) >= len(stateNames) {
		return nil, fmt.Errorf("%w: unknown version, role or state", ErrMalformed)
	}
	o, err := decodeOffer(storedOpen, w.Offer)
	if err != nil {
		return nil, err
	}
	if len(w.Secret) != 0 && len(w.Secret) != pairingSecretLen {
		return nil, fmt.Errorf("%w: pairing secret of %d bytes", ErrMalformed, len(w.Secret))
	}
	c := &Contract{Offer: o, Role: Role(w.Role), State: State(w.State), secret: w.Secret}
	if w.Acceptance != nil {
		if c.Acceptance, err = verifyAcceptance(storedOpen, w.Acceptance, o); err != nil {
			return nil, err
		}
	}
	if len(w.Amendments) > 0 {
		// Amendments outside the log were never handed to anyone.
		return nil, fmt.Errorf("%w: amendments kept outside the log", ErrMalformed)
	}
	if c.Acceptance != nil {
		c.Life = NewLifecycle(o, c.Acceptance)
		for _, b := range w.Bound {
			if err := c.Life.Bind(b.Record, timeFromWire(b.At)); err != nil {
				return nil, fmt.Errorf("bound record: %w", err)
			}
		}
		c.bound, c.proposed, c.End = w.Bound, w.Proposed, c.Life.End
	}
	if w.End != nil && c.End == nil {
		if c.End, err = DecodeEnd(w.End); err != nil {
			return nil, err
		}
		if c.End.ContractID != o.ID() || !c.isParty(c.End.By) {
			return nil, fmt.Errorf("%w: end of contract does not belong to it", ErrMalformed)
		}
	}
	return c, nil
}

// sameBytes compares signed records; a duplicate delivery is harmless.
func sameBytes(a, b []byte) bool { return bytes.Equal(a, b) }
