package agent

import (
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/workdiary/workdiary/internal/clock"
	"github.com/workdiary/workdiary/internal/node"
)

// Launch starts the agent (cli, the command line) on home in a session of
// its own, carrying on session h; fast carries a demo clock on from
// h.Clock. Its output goes to home's agent.log. The desktop app calls it
// when its window closes, `workdiary move-folder` after moving the folder
// an agent had.
func Launch(cli, home string, h node.Handover, fast bool) error {
	args := []string{"--home", home, "agent"}
	if h.Contract != "" {
		args = append(args, "--contract", h.Contract, "--memo", h.Memo)
	}
	cmd := exec.Command(cli, args...)
	cmd.SysProcAttr = detached()
	if fast {
		cmd.Env = append(os.Environ(), clock.EnvAt+"="+h.Clock.Format(time.RFC3339Nano))
	}
	if f, err := os.OpenFile(filepath.Join(home, "agent.log"), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600); err == nil {
		cmd.Stdout, cmd.Stderr = f, f
		defer f.Close()
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	return cmd.Process.Release()
}
