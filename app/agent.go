package app

import (
	"context"
	"errors"
	"time"

	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/runtime"
	"github.com/workdiary/workdiary/internal/agent"
	"github.com/workdiary/workdiary/internal/clock"
	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/owner"
)

// EnvCLI overrides where the command line, which runs the resident agent,
// is found (default: beside the app, else on PATH).
const EnvCLI = "WORKDIARY_CLI"

// TakeFromAgent asks the resident agent that owns home, if one does, to
// give the folder to this window: it stops, saying which session it was
// recording, and the window carries that session on. No owner, or an owner
// that is not an agent (`serve`, whose refusal comes when the folder is
// opened), is no handover.
func TakeFromAgent(ctx context.Context, home string) (h node.Handover, took bool, err error) {
	h, err = node.OpAgentHandover.Ask(ctx, home, node.None{})
	if errors.Is(err, owner.ErrNoOwner) || errors.Is(err, node.ErrNoHandover) {
		return node.Handover{}, false, nil
	}
	return h, err == nil, err
}

// AfterAgent opens the folder with open. After a handover (took) the
// agent still holds the folder while it closes it, and an owner refuses
// another at once, so the opening is tried again until the agent has let
// go, for up to owner.Patience.
func AfterAgent(took bool, open func() (*node.Node, error)) (*node.Node, error) {
	deadline := time.Now().Add(owner.Patience)
	for {
		n, err := open()
		if !took || !errors.Is(err, owner.ErrBusy) || time.Now().After(deadline) {
			return n, err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// ChosenBy notes what named the data folder (config.ChosenBy), which a
// move of the folder reports: it still names the old place.
func (a *App) ChosenBy(what string) { a.chosenBy = what }

// Carry makes the window start the session h once it is up (what the
// agent was recording), and focus on segment (a notification's "open").
func (a *App) Carry(h node.Handover) { a.carry = h }

// carryOn starts the agent's session in this window.
func (a *App) carryOn() {
	if a.carry.Contract == "" {
		return
	}
	if _, err := a.Tracker.Start(a.carry.Contract, a.carry.Memo); err != nil {
		a.n().Logger().Error("could not carry on the agent's session", "contract", a.carry.Contract, "err", err)
	}
}

// FocusSecond is the single-instance lock's callback: a second launch on
// this folder brings this window to the front.
func (a *App) FocusSecond(options.SecondInstanceData) {
	if a.ctx == nil {
		return
	}
	runtime.WindowUnminimise(a.ctx)
	runtime.WindowShow(a.ctx)
}

// leaveToAgent starts the resident agent once this window has closed the
// folder, carrying on the session it recorded. A quit (a signal, the
// session ending) leaves no agent.
func (a *App) leaveToAgent(h node.Handover) {
	if err := agent.Launch(cliProgram(), a.n().Home, h, clock.IsFast(a.n().Clock)); err != nil {
		a.n().Logger().Error("the resident agent did not start: recording and sync stop with the window", "err", err)
	}
}

// cliProgram is the command line, which runs the resident agent.
func cliProgram() string { return agent.Program(EnvCLI, "workdiary") }
