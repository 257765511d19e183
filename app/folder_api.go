package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/wailsapp/wails/v2/pkg/runtime"
	"github.com/workdiary/workdiary/internal/config"
	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/relocate"
)

// MoveResult says where the data folder went and how.
type MoveResult = node.MoveResult

// MoveFolder moves the data folder to the empty or new folder to, with
// the window open: recording and sync stop, the folder is moved (renamed,
// or copied, verified and removed), the new place is remembered for the
// agent, the login entry and the command line, and what ran starts again
// there. A refused place changes nothing; a failed move leaves the folder
// where it was, and the window carries on there.
func (s *SettingsAPI) MoveFolder(to string) (MoveResult, error) {
	return s.app.moveFolder(to)
}

// ChooseFolder asks for a folder with the native dialog ("" when the
// person cancels).
func (s *SettingsAPI) ChooseFolder() (string, error) {
	return chooseFolder(s.app.ctx, runtime.OpenDialogOptions{Title: "Move the data folder to", CanCreateDirectories: true})
}

// chooseFolder is Wails' native folder dialog.
var chooseFolder = runtime.OpenDirectoryDialog

// moveOp answers OpFolderMove (`workdiary move-folder` while the window
// owns the folder): the place is checked, the answer sent, and the move
// runs once the control socket has let the request go.
func (a *App) moveOp(_ context.Context, p node.MoveParams) (node.MoveResult, error) {
	plan, err := a.n().CheckMove(p.To)
	if err != nil {
		return plan, err
	}
	// One of the app's background goroutines: a window closing meanwhile
	// waits for the move before it closes the folder.
	a.goBg(func() {
		if _, err := a.moveFolder(plan.To); err != nil {
			a.n().Logger().Error("moving the data folder", "to", plan.To, "err", err)
		}
	})
	return plan, nil
}

func (a *App) moveFolder(to string) (node.MoveResult, error) {
	a.moveMu.Lock()
	defer a.moveMu.Unlock()
	old := a.n()
	plan, err := old.CheckMove(to)
	if err != nil {
		return plan, err
	}
	var h node.Handover
	if s := old.Tracking(); s != nil {
		h.Contract, h.Memo = s.Contract.ID, s.Memo
	}
	log := old.Logger().With("from", plan.From, "to", plan.To)
	log.Info("moving the data folder", "copy", plan.Copy, "bytes", plan.Bytes)
	a.serveMu.Lock()
	if a.stopServe != nil {
		a.stopServe()
	}
	a.serveMu.Unlock()
	if err := old.Close(); err != nil {
		log.Warn("closing the data folder before the move", "err", err)
	}
	a.netMu.Lock()
	a.netStarted = false
	a.netMu.Unlock()

	moved, moveErr := relocate.Mover{}.Move(plan.From, plan.To)
	home := plan.From
	if moveErr == nil || errors.Is(moveErr, relocate.ErrOldLeft) {
		home = plan.To
		if err := config.Remember(plan.To); err != nil {
			moveErr = errors.Join(moveErr, err)
		}
	}
	n, err := node.OpenOwner(context.Background(), home, old.Lock().Role(), old.Clock, nil, node.WithLogger(old.Logger()))
	if err != nil {
		// Nothing is lost (the folder is whole in home), but the window
		// has no folder: it says so, and a restart opens it.
		return node.ResultOf(moved), fmt.Errorf("the data folder is in %s but could not be opened again: %w", home, errors.Join(moveErr, err))
	}
	a.cur.Store(n)
	a.attach()
	if h.Contract != "" {
		if _, err := a.Tracker.Start(h.Contract, h.Memo); err != nil {
			log.Error("could not carry on tracking after the move", "contract", h.Contract, "err", err)
		}
	}
	go a.refreshTray()
	if s, err := n.Settings(); err == nil {
		a.emit(EventSettingsChanged, s)
	}
	if moveErr != nil {
		return node.ResultOf(moved), moveErr
	}
	log.Info("moved the data folder")
	r := node.ResultOf(moved)
	r.ChosenBy = a.chosenBy
	return r, nil
}
