package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"

	"github.com/workdiary/workdiary/internal/config"
	"github.com/workdiary/workdiary/internal/node"
)

// newFlags makes a subcommand's flag set. Every command also accepts
// --home after its name, so `workdiary id --home D` works like
// `workdiary --home D id`.
func newFlags(e *env, name, args string) *flag.FlagSet {
	fs := flag.NewFlagSet("workdiary "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.StringVar(&e.home, "home", e.home, "data folder")
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: workdiary %s %s\n", name, args)
		fs.PrintDefaults()
	}
	return fs
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	return nil
}

func (e *env) resolveHome() (string, error) {
	home, err := config.Home(e.home)
	if errors.Is(err, config.ErrMovedAway) || errors.Is(err, config.ErrNoDataFolder) {
		return "", fmt.Errorf("%w; --home or $%s chooses another", err, config.EnvHome)
	}
	return home, err
}

func (e *env) printJSON(v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// do runs op on the data folder: through its owner when one runs,
// otherwise by opening the folder for the call (node.Op.Do). role names
// the command in "folder in use" messages.
func do[P, R any](ctx context.Context, e *env, role string, op node.Op[P, R], p P) (R, error) {
	home, err := e.resolveHome()
	if err != nil {
		var zero R
		return zero, err
	}
	return op.Do(ctx, home, role, p)
}

// waitingNotice tells the user what a starting owner waits for, when the
// wait is long enough to notice.
func waitingNotice(e *env, home string) func(string) {
	return func(holder string) {
		fmt.Fprintf(e.stderr, "workdiary: waiting for %s to finish with %s…\n", holder, home)
	}
}
