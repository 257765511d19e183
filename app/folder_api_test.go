package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/config"
	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/relocate"
)

// Moving the data folder with the window open: a refused place changes
// nothing and the window keeps working on its folder; a move closes the
// node, moves the folder, remembers it and carries on with a node on the
// new place, which answers the control socket there; the diary came
// along.
func TestMoveFolderFromTheWindow(t *testing.T) {
	t.Setenv("WORKDIARY_LOCAL_ONLY", "1")
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv(config.EnvHome, "")
	home := filepath.Join(t.TempDir(), "workdiary")
	n, err := node.Open(home, "the Workdiary desktop app", clocktest.New(monday.Add(3*time.Hour)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.CreateIdentity("Ada"); err != nil {
		t.Fatal(err)
	}
	a, w := windowOn(t, n)
	a.attach()
	t.Cleanup(func() { a.n().Close() })
	waitAnswers(t, home)

	for _, to := range []string{filepath.Join(home, "inside"), home} {
		if _, err := a.Settings.MoveFolder(to); !errors.Is(err, relocate.ErrInside) {
			t.Fatalf("move to %s: %v; want ErrInside", to, err)
		}
	}
	if a.n() != n {
		t.Fatal("a refused move replaced the window's node")
	}
	if _, err := a.Identity.Get(); err != nil {
		t.Fatalf("after a refused move the window cannot read its folder: %v", err)
	}
	w.take()

	to := filepath.Join(t.TempDir(), "elsewhere", "workdiary")
	r, err := a.Settings.MoveFolder(to)
	if err != nil || r.From != home || r.To != to {
		t.Fatalf("move = %+v, %v", r, err)
	}
	if a.n() == n || a.n().Home != to {
		t.Fatalf("after the move the window works on %s; want %s", a.n().Home, to)
	}
	if _, err := os.Stat(home); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the old folder remains: %v", err)
	}
	id, err := a.Identity.Get()
	if err != nil || id.Name != "Ada" || id.DataFolder != to {
		t.Fatalf("identity after the move = %+v, %v; want Ada's, in %s", id, err, to)
	}
	if got, err := config.Home(""); err != nil || got != to {
		t.Fatalf("config.Home without --home = %q, %v; want the remembered %s", got, err, to)
	}
	if !slices.Contains(w.take(), EventSettingsChanged) {
		t.Error("the window did not hear the settings (the data folder) change")
	}
	waitAnswers(t, to)

	// `workdiary move-folder` while the window is open asks it through
	// the control socket: a refusal comes back as the same condition; a
	// move is answered, then done.
	third := filepath.Join(t.TempDir(), "third")
	ctx := context.Background()
	if _, err := node.OpFolderMove.Ask(ctx, to, node.MoveParams{To: filepath.Join(to, "db")}); !errors.Is(err, relocate.ErrInside) {
		t.Fatalf("folder.move inside, through the socket: %v; want ErrInside", err)
	}
	if r, err := node.OpFolderMove.Ask(ctx, to, node.MoveParams{To: third}); err != nil || r.To != third {
		t.Fatalf("folder.move through the socket = %+v, %v", r, err)
	}
	waitAnswers(t, third)
	if a.n().Home != third {
		t.Fatalf("after the move asked through the socket the window works on %s; want %s", a.n().Home, third)
	}
}

// waitAnswers waits for the owner of home to answer its control socket.
func waitAnswers(t *testing.T, home string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if _, err := node.OpOwnerStatus.Ask(context.Background(), home, node.None{}); err == nil {
			return
		}
	}
	t.Fatalf("nobody answers the control socket of %s", home)
}
