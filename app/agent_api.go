package app

import (
	"sync"
	"time"

	"github.com/workdiary/workdiary/internal/agent"
	"github.com/workdiary/workdiary/internal/autostart"
	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/node"
)

// AgentSettings are the Settings screen's notifications and autostart.
type AgentSettings = node.AgentSettings

// AgentAPI is bound to the frontend's agent store: the settings of the
// part that keeps running while the window is closed.
type AgentAPI struct {
	app     *App
	mu      sync.Mutex
	opening Opening
}

// Settings reports which notifications are on and whether the agent
// starts at login.
func (s *AgentAPI) Settings() (AgentSettings, error) {
	return s.app.n().AgentSettings()
}

// SetNotification switches one kind of notification on or off.
func (s *AgentAPI) SetNotification(kind string, on bool) (AgentSettings, error) {
	return s.app.n().SetAgentSettings(node.AgentSettings{Notifications: map[string]bool{kind: on}})
}

// SetAutostart switches the agent starting at login on or off, and writes
// or removes the login entry at once: an entry that cannot be written is
// said next to the switch.
func (s *AgentAPI) SetAutostart(on bool) (AgentSettings, error) {
	// The entry first: a switch that cannot take effect is not saved.
	apply := autostart.Disable
	if on {
		apply = func() error { return autostart.Enable(s.app.agentCommand()) }
	}
	if err := apply(); err != nil {
		return AgentSettings{}, err
	}
	return s.app.n().SetAgentSettings(node.AgentSettings{Autostart: on, AutostartSet: true})
}

// applyAutostart writes or removes the login entry as the settings say.
func (a *App) applyAutostart() {
	if err := agent.ApplyAutostart(a.n(), a.agentCommand()); err != nil {
		a.n().Logger().Warn("autostart entry", "err", err)
	}
}

// agentCommand is what the login entry runs: the agent on this folder.
func (a *App) agentCommand() []string {
	return []string{cliProgram(), "--home", a.n().Home, "agent"}
}

// Opening is the segment a screenshot notification's Open asked the
// window to show (`--segment`); empty when none. It is given once.
type Opening struct {
	Segment  string    `json:"segment"`
	Contract string    `json:"contract"`
	Start    time.Time `json:"start"`
}

// ShowSegment makes the window open on segment id (an empty or malformed
// id shows the usual screen).
func (a *App) ShowSegment(id string) {
	contract, start, err := diary.ParseSegmentID(id)
	if err != nil {
		return
	}
	a.Agent.mu.Lock()
	a.Agent.opening = Opening{Segment: id, Contract: contract, Start: start}
	a.Agent.mu.Unlock()
}

// Opening returns, once, the segment the window was opened to show.
func (s *AgentAPI) Opening() Opening {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.opening
	s.opening = Opening{}
	return o
}
