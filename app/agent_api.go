package app

import (
	"github.com/workdiary/workdiary/internal/agent"
	"github.com/workdiary/workdiary/internal/node"
)

// AgentSettings are the Settings screen's notifications and autostart.
type AgentSettings = node.AgentSettings

// AgentAPI is bound to the frontend's agent store: the settings of the
// part that keeps running while the window is closed.
type AgentAPI struct {
	app *App
}

// Settings reports which notifications are on and whether the agent
// starts at login.
func (s *AgentAPI) Settings() (AgentSettings, error) {
	return s.app.node.AgentSettings()
}

// SetNotification switches one kind of notification on or off.
func (s *AgentAPI) SetNotification(kind string, on bool) (AgentSettings, error) {
	return s.app.node.SetAgentSettings(node.AgentSettings{Notifications: map[string]bool{kind: on}})
}

// SetAutostart switches the agent starting at login on or off; the login
// entry is written or removed at once (by watch, which hears the change).
func (s *AgentAPI) SetAutostart(on bool) (AgentSettings, error) {
	return s.app.node.SetAgentSettings(node.AgentSettings{Autostart: on, AutostartSet: true})
}

// applyAutostart writes or removes the login entry as the settings say.
func (a *App) applyAutostart() {
	cmd := []string{cliProgram(), "--home", a.node.Home, "agent"}
	if err := agent.ApplyAutostart(a.node, cmd); err != nil {
		a.node.Logger().Warn("autostart entry", "err", err)
	}
}
