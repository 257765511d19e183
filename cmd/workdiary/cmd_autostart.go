package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/workdiary/workdiary/internal/autostart"
	"github.com/workdiary/workdiary/internal/node"
)

// runAutostart shows or sets whether the resident agent starts at login.
func runAutostart(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "autostart", "[on|off] [--json]")
	asJSON := fs.Bool("json", false, "print JSON")
	var set string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		set, args = args[0], args[1:]
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	home, err := e.resolveHome()
	if err != nil {
		return err
	}
	var s node.AgentSettings
	switch set {
	case "":
		s, err = node.OpAgentSettings.Do(ctx, home, "workdiary autostart", node.None{})
	case "on", "off":
		s, err = node.OpAgentSettingsSet.Do(ctx, home, "workdiary autostart",
			node.AgentSettings{Autostart: set == "on", AutostartSet: true})
		if err == nil {
			err = applyAutostart(home, s.Autostart)
		}
	default:
		return fmt.Errorf("%w: autostart takes on or off, not %q", errUsage, set)
	}
	if err != nil {
		return err
	}
	if *asJSON {
		return e.printJSON(s)
	}
	state := "off"
	if s.Autostart {
		state = "on"
	}
	how := ""
	if !s.AutostartSet {
		how = " (the default: on once a contract is accepted)"
	}
	fmt.Fprintf(e.stdout, "Autostart at login is %s%s.\n", state, how)
	return nil
}

// applyAutostart writes or removes the login entry at once, whichever
// process answered the op.
func applyAutostart(home string, on bool) error {
	if !on {
		return autostart.Disable()
	}
	cmd := agentCommand(home)
	if cmd == nil {
		return fmt.Errorf("autostart: cannot tell where this program is")
	}
	return autostart.Enable(cmd)
}
