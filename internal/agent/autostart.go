package agent

import (
	"github.com/workdiary/workdiary/internal/autostart"
	"github.com/workdiary/workdiary/internal/node"
)

// ApplyAutostart writes or removes the login entry as the folder's
// settings say (autostart, else on once a contract is accepted). The entry
// runs cmd, the agent, which never starts tracking by itself. With no cmd
// (a test, a build without the command line) the entry is left as it is.
func ApplyAutostart(n *node.Node, cmd []string) error {
	s, err := n.AgentSettings()
	if err != nil {
		return err
	}
	if !s.Autostart {
		if !s.AutostartSet {
			return nil // never switched on: nothing of ours to remove
		}
		return autostart.Disable()
	}
	if len(cmd) == 0 {
		return nil
	}
	return autostart.Enable(cmd)
}
