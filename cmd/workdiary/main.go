// Command workdiary is Workdiary's command-line program and headless node.
// It uses the same internal packages as the desktop app and links no GUI or
// input-hook libraries, so it runs on machines without a display.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/workdiary/workdiary/internal/store"
)

// command is one subcommand. run gets the arguments after its name.
type command struct {
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

var commands = map[string]command{
	"init":        {"create this installation's identity", runInit},
	"id":          {"show the identity: peer ID, fingerprint, addresses, OpenSSH key", runID},
	"config":      {"show and change settings: config get [KEY], config set KEY VALUE, config apps", runConfig},
	"contract":    {"offer, accept and list contracts", runContract},
	"track":       {"record time on a contract (in the running app or serve, if any); track stop, track status", runTrack},
	"diary":       {"show and curate the work diary: delete, blur, memo, delete-webcam, add-manual", runDiary},
	"approve":     {"approve segments: sign them into the contract's log", runApprove},
	"log":         {"show a contract's log: entries, head, checkpoint and receipt", runLog},
	"agent":       {"the resident agent the desktop app leaves running: tracking, sync, tray icon, notifications", runAgent},
	"move-folder": {"move the data folder to an empty or new folder, and find it there from now on", runMoveFolder},
	"autostart":   {"show, or switch on or off, the agent starting at login (never tracking by itself)", runAutostart},
	"serve":       {"run the node headless: listen, receive, sync continuously; --public, --relay for others; serve status", runServe},
	"netcheck":    {"how this installation stands on the network, and how each counterpart is reached", runNetcheck},
	"sync":        {"one sync round with the counterpart(s)", runSync},
	"team":        {"the employer's view: each contractor's hours today and this week, and the sync", runTeam},
	"timesheet":   {"export a contract week's signed timesheet: bundle, PDF, CSV, OpenSSH signature", runTimesheet},
	"verify":      {"verify a timesheet bundle offline (exit 0 valid, 1 invalid)", runVerify},
	"version":     {"show this build's version, commit and build date (--json)", runVersion},
}

// env is what every command shares: where the data lives and where output
// goes.
type env struct {
	home   string
	stdout io.Writer
	stderr io.Writer
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !printed(err) {
			fmt.Fprintln(os.Stderr, "workdiary:", err)
		}
		os.Exit(exitCode(err))
	}
}

// errUsage is a usage mistake (exit 2). Bare, it says the flag set has
// printed what was wrong and the usage; wrapped, its message says what
// was wrong and is printed like any other error.
var errUsage = errors.New("usage")

// printed reports whether err was already told to the person (a bare
// errUsage), so main prints nothing more.
func printed(err error) bool { return err == errUsage }

func exitCode(err error) int {
	var ec interface{ ExitCode() int }
	if errors.As(err, &ec) {
		return ec.ExitCode()
	}
	if errors.Is(err, errUsage) {
		return 2
	}
	return 1
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	global := flag.NewFlagSet("workdiary", flag.ContinueOnError)
	global.SetOutput(stderr)
	home := global.String("home", "", "data folder (default $WORKDIARY_HOME, else the user data folder + workdiary)")
	showVersion := global.Bool("version", false, "show this build's version and exit")
	global.Usage = func() { usage(stderr, global) }
	if err := global.Parse(args); err != nil {
		return errUsage
	}
	rest := global.Args()
	if *showVersion {
		rest = []string{"version"}
	}
	if len(rest) == 0 {
		usage(stderr, global)
		return errUsage
	}
	cmd, ok := commands[rest[0]]
	if !ok {
		fmt.Fprintf(stderr, "workdiary: unknown command %q\n", rest[0])
		usage(stderr, global)
		return errUsage
	}
	e := &env{home: *home, stdout: stdout, stderr: stderr}
	return explain(explainDisk(e, cmd.run(ctx, e, rest[1:])))
}

// explainDisk turns a full or read-only disk under the data folder, however
// deep it surfaced, into one message that names the folder and says what to
// do. The same errors on other paths (an export folder, say) already name
// their path and stay as they are.
func explainDisk(e *env, err error) error {
	if err == nil || !store.IsDiskProblem(err) {
		return err
	}
	home, herr := e.resolveHome()
	if herr != nil || !strings.Contains(err.Error(), home) {
		return err
	}
	return store.ExplainDiskError(home, err)
}

func usage(w io.Writer, global *flag.FlagSet) {
	fmt.Fprintln(w, "usage: workdiary [--home DIR] COMMAND [flags]")
	fmt.Fprintln(w, "\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nglobal flags:")
	global.PrintDefaults()
}
