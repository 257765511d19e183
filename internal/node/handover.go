package node

import (
	"context"
	"errors"
	"time"

	"github.com/workdiary/workdiary/internal/config"
	"github.com/workdiary/workdiary/internal/contract"
)

// ErrNoHandover: the folder's owner (the desktop app, `serve`) does not
// hand the folder over; only the resident agent does.
var ErrNoHandover = errors.New("the owner of this data folder does not hand it over")

// Handover is what the resident agent was doing when it gave the folder
// up, so that the window that takes it carries on.
type Handover struct {
	// Contract and Memo are the session the agent was recording (empty
	// when none ran); the window starts it again.
	Contract string `json:"contract,omitempty"`
	Memo     string `json:"memo,omitempty"`
	// Clock is where the agent's demo clock had got to (zero for the
	// wall clock), so the window's carries on from there.
	Clock time.Time `json:"clock,omitzero"`
}

// handoverHook is the agent's answer to OpAgentHandover; it gives the
// folder up once the answer has gone out.
type handoverHook func(ctx context.Context) (Handover, error)

// OnHandover makes this node hand its folder over when a window asks
// (OpAgentHandover): f stops what runs, says what that was, and closes the
// node after answering. Without it the op fails with ErrNoHandover.
func (n *Node) OnHandover(f func(ctx context.Context) (Handover, error)) {
	h := handoverHook(f)
	n.handover.Store(&h)
}

func (n *Node) handoverOp(ctx context.Context, _ None) (Handover, error) {
	f := n.handover.Load()
	if f == nil {
		return Handover{}, ErrNoHandover
	}
	return (*f)(ctx)
}

// TopicAgentSettings is announced when the agent's settings change.
const TopicAgentSettings = "settings:agent"

// AgentSettings are the settings of the resident part: which desktop
// notifications are on, and whether the agent starts at login.
type AgentSettings struct {
	// Notifications maps each kind (config.NotificationKinds) to on/off.
	Notifications map[string]bool `json:"notifications"`
	// Autostart is whether the agent starts at login; AutostartSet is
	// false while it follows the default (on once a contract is accepted).
	Autostart    bool `json:"autostart"`
	AutostartSet bool `json:"autostart_set"`
	// ScreenshotsRequired: a contract this installation tracks requires
	// screenshots, so the screenshot notice stays on whatever is set.
	ScreenshotsRequired bool `json:"screenshots_required"`
}

// AgentSettings reports the agent's settings.
func (n *Node) AgentSettings() (AgentSettings, error) {
	cfg := n.Config()
	s := AgentSettings{Notifications: map[string]bool{}, AutostartSet: cfg.Autostart != nil}
	for _, k := range config.NotificationKinds {
		s.Notifications[k] = cfg.Notifications.On(k)
	}
	accepted, shots, err := n.contractsForAgent()
	if err != nil {
		return s, err
	}
	s.Autostart = cfg.AutostartOn(accepted)
	s.ScreenshotsRequired = shots
	if shots {
		s.Notifications["screenshot"] = true
	}
	return s, nil
}

// SetAgentSettings saves the notifications named in p.Notifications and,
// when p.AutostartSet, the autostart switch; it announces
// TopicAgentSettings with the result.
func (n *Node) SetAgentSettings(p AgentSettings) (AgentSettings, error) {
	if err := n.changeConfig(func(cfg config.Config) (config.Config, error) {
		for k, on := range p.Notifications {
			if err := cfg.Notifications.Set(k, on); err != nil {
				return cfg, err
			}
		}
		if p.AutostartSet {
			cfg.Autostart = &p.Autostart
		}
		return cfg, nil
	}); err != nil {
		return AgentSettings{}, err
	}
	s, err := n.AgentSettings()
	if err != nil {
		return s, err
	}
	n.announce(TopicAgentSettings, s)
	return s, nil
}

// contractsForAgent says whether any contract has been accepted, and
// whether one this installation records on requires screenshots.
func (n *Node) contractsForAgent() (accepted, screenshots bool, err error) {
	cs, err := n.Contracts().List()
	if err != nil {
		return false, false, err
	}
	for _, c := range cs {
		if c.State != contract.StateActive && c.State != contract.StateAcceptedPending {
			continue
		}
		accepted = true
		if c.Role == contract.RoleContractor && c.Offer.Screenshots > 0 {
			screenshots = true
		}
	}
	return accepted, screenshots, nil
}
