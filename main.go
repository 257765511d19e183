// Workdiary's desktop app: the Wails window around the Svelte frontend,
// working on the same data folder and internal packages as the CLI.
package main

import (
	"context"
	"embed"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/workdiary/workdiary/app"
	"github.com/workdiary/workdiary/internal/clock"
	"github.com/workdiary/workdiary/internal/config"
	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/owner"
)

//go:embed all:frontend/dist
var assets embed.FS

// icon is the window's icon on Linux; Windows and macOS take theirs from
// build/windows/icon.ico and build/appicon.png when Wails packages the app.
//
//go:embed build/linux/icons/256x256.png
var icon []byte

func main() {
	a, instance, err := open()
	if errors.Is(err, errFocused) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "workdiary-app:", err)
		os.Exit(1)
	}
	var single *options.SingleInstanceLock
	if app.HaveSessionBus() {
		// A second launch on the same folder brings this window forward.
		single = &options.SingleInstanceLock{UniqueId: instance, OnSecondInstanceLaunch: a.FocusSecond}
	}
	err = wails.Run(&options.App{
		Title:            "Workdiary",
		Width:            1200,
		Height:           780,
		MinWidth:         900,
		MinHeight:        600,
		AssetServer:      &assetserver.Options{Assets: assets},
		BackgroundColour: options.NewRGB(248, 249, 251),
		OnStartup:        a.Startup,
		OnShutdown:       a.Shutdown,
		OnDomReady:       a.DomReady,
		Bind:             a.Bind(),
		// The program name is the window's class, which the desktop entry's
		// StartupWMClass matches (build/linux).
		// No GPU compositing: the pages are plain documents, and with it
		// WebKit composited every frame in software where there is no GPU
		// (a virtual display), costing the cold start most of its CPU.
		// Never is also Wails' own default when no Linux options are given.
		Linux:              &linux.Options{Icon: icon, ProgramName: "workdiary-app", WebviewGpuPolicy: linux.WebviewGpuPolicyNever},
		SingleInstanceLock: single,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "workdiary-app:", err)
		os.Exit(1)
	}
}

// errFocused: the window open on this folder was brought forward instead.
var errFocused = errors.New("focused the open window")

// open takes the data folder before any window appears: from the resident
// agent when it owns the folder (carrying on its session), and otherwise
// directly, so that an app started while `workdiary serve` runs says why it
// cannot start. A window already open on the folder is focused instead.
func open() (*app.App, string, error) {
	if app.GeneratingBindings {
		return app.New(nil), "workdiary", nil
	}
	fs := flag.NewFlagSet("workdiary-app", flag.ContinueOnError)
	homeFlag := fs.String("home", "", "data folder (default $WORKDIARY_HOME, else the user data folder + workdiary)")
	level := fs.String("log-level", os.Getenv(node.EnvLogLevel), "what to log on stderr: debug, info, warn or error (default $"+node.EnvLogLevel+", else warn)")
	format := fs.String("log-format", "text", "how to log: text or json")
	segment := fs.String("segment", "", "show this diary segment (a screenshot notification's Open)")
	if err := fs.Parse(appArgs()); err != nil {
		return nil, "", err
	}
	logger, err := node.NewLogger(os.Stderr, *level, *format)
	if err != nil {
		return nil, "", err
	}
	home, err := config.Home(*homeFlag)
	if errors.Is(err, config.ErrMovedAway) || errors.Is(err, config.ErrNoDataFolder) {
		return nil, "", fmt.Errorf("%w; --home or $%s chooses another", err, config.EnvHome)
	}
	if err != nil {
		return nil, "", err
	}
	instance := app.InstanceID(home)
	if app.FocusRunning(instance) {
		return nil, instance, errFocused
	}
	carry, took, err := app.TakeFromAgent(context.Background(), home)
	if err != nil {
		return nil, "", err
	}
	if !carry.Clock.IsZero() {
		os.Setenv(clock.EnvAt, carry.Clock.Format(time.RFC3339Nano))
	}
	// WORKDIARY_CLOCK_SPEED=N, WORKDIARY_CLOCK_BACK=DURATION: for demos and
	// tests, a clock that starts DURATION in the past and runs N times
	// faster, like `track --clock-speed`.
	clk, err := clock.FromEnv()
	if err != nil {
		return nil, "", err
	}
	n, err := app.AfterAgent(took, func() (*node.Node, error) {
		return node.OpenOwner(context.Background(), home, "the Workdiary desktop app", clk, func(holder string) {
			fmt.Fprintf(os.Stderr, "workdiary-app: waiting for %s to finish with %s…\n", holder, home)
		}, node.WithLogger(logger))
	})
	if errors.Is(err, owner.ErrBusy) {
		return nil, "", fmt.Errorf("%w; close it first, or start the app with --home to pick another data folder", err)
	}
	if err != nil {
		return nil, "", err
	}
	logger.Debug("data folder opened", "ms", app.SinceStart(), "from_agent", took)
	a := app.New(n)
	a.ChosenBy(config.ChosenBy(*homeFlag))
	a.Carry(carry)
	a.ShowSegment(*segment)
	return a, instance, nil
}

// appArgs drops the flags Wails' dev mode passes to the program.
func appArgs() []string {
	var out []string
	for _, a := range os.Args[1:] {
		if a == "-assetdir" || a == "-devserver" || a == "-frontenddevserverurl" {
			break
		}
		out = append(out, a)
	}
	return out
}
