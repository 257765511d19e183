package main

import (
	"context"
	"os"
	"time"

	"github.com/workdiary/workdiary/internal/agent"
	"github.com/workdiary/workdiary/internal/clock"
	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/notify"
)

// EnvApp overrides where the desktop app is found (default: beside this
// program, else on PATH).
const EnvApp = "WORKDIARY_APP"

// runAgent is the resident agent: the folder's owner while no window is
// open. The desktop app starts it when its window closes and takes the
// folder back from it when it opens again (docs/architecture.md, "The
// resident agent"); the login entry starts it too. It never starts
// tracking by itself: only --contract (the window's session, carried on).
func runAgent(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "agent", "[--contract ID --memo TEXT] [--log-level LEVEL] [--log-format text|json]")
	var resume node.Handover
	fs.StringVar(&resume.Contract, "contract", "", "carry on recording this contract (the window's session)")
	fs.StringVar(&resume.Memo, "memo", "", "the memo of the session carried on")
	noTray := fs.Bool("no-tray", false, "show no tray icon")
	logs := addLogFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	logger, err := logs.logger(e)
	if err != nil {
		return err
	}
	home, err := e.resolveHome()
	if err != nil {
		return err
	}
	// The desktop app's demo clock, carried on (clock.EnvAt).
	clk, err := clock.FromEnv()
	if err != nil {
		return err
	}
	n, err := node.OpenOwner(ctx, home, "the Workdiary agent", clk, waitingNotice(e, home), node.WithLogger(logger))
	if err != nil {
		return err
	}
	defer n.Close()
	if _, err := n.Identity(); err == nil {
		if err := n.StartNetwork(ctx, n.UserNetOptions(nil)); err != nil {
			logger.Error("the network did not start", "err", err)
		} else {
			n.SyncEvery(ctx, 30*time.Second, nil)
		}
	}
	a := &agent.Agent{Node: n, Resume: resume, Tray: !*noTray, Serve: func(ctx context.Context) { _ = n.Serve(ctx) },
		Window: []string{appProgram(), "--home", home}, Autostart: agentCommand(home)}
	if notes, err := notify.Connect("Workdiary", iconPath()); err != nil {
		logger.Warn("no desktop notifications", "err", err)
	} else {
		defer notes.Close()
		a.Notes = notes
	}
	return a.Run(ctx)
}

// appProgram is the desktop app.
func appProgram() string { return agent.Program(EnvApp, "workdiary-app") }

// agentCommand is the login entry's command: this program, on this folder.
func agentCommand(home string) []string {
	self := selfProgram()
	if self == "" {
		return nil
	}
	return []string{self, "--home", home, "agent"}
}

// selfProgram is this program's path ("" when it cannot be told).
func selfProgram() string {
	self, err := os.Executable()
	if err != nil {
		return ""
	}
	return self
}

// iconPath is the icon notifications show: the installed one's theme name.
func iconPath() string { return "workdiary" }
