package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/workdiary/workdiary/internal/config"
	"github.com/workdiary/workdiary/internal/node"
)

const configUsage = `usage: workdiary config get [KEY] [--json]
       workdiary config set KEY VALUE [--json]
       workdiary config apps [--json]

Lists (excluded_apps, relays, bootstrap) are given comma-separated; an
empty VALUE ("") clears a list. Switches take true or false.`

func runConfig(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(e.stderr, configUsage)
		return errUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprintln(e.stdout, configUsage)
		return nil
	case "get":
		return runConfigGet(ctx, e, args[1:])
	case "set":
		return runConfigSet(ctx, e, args[1:])
	case "apps":
		return runConfigApps(ctx, e, args[1:])
	}
	fmt.Fprintf(e.stderr, "workdiary config: unknown subcommand %q\n%s\n", args[0], configUsage)
	return errUsage
}

func runConfigGet(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "config get", "[KEY] [--json]")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, rest := positionals(args)
	if err := parse(fs, rest); err != nil {
		return err
	}
	if len(pos) > 1 {
		fs.Usage()
		return errUsage
	}
	s, err := do(ctx, e, "workdiary config", node.OpConfigGet, node.None{})
	if err != nil {
		return err
	}
	if len(pos) == 1 {
		v, ok := s.Values[pos[0]]
		if !ok {
			return &config.FieldError{Key: pos[0], Err: config.ErrUnknownKey, Reason: "no such setting"}
		}
		if *asJSON {
			return e.printJSON(map[string]string{"key": pos[0], "value": v})
		}
		fmt.Fprintln(e.stdout, v)
		return nil
	}
	if *asJSON {
		return e.printJSON(s)
	}
	for _, k := range config.Keys() {
		v := strings.ReplaceAll(s.Values[k], "\n", ", ")
		switch {
		case k == config.KeyDisplayZone && v == "":
			v = "local (this computer's zone)"
		case v == "":
			v = "(none)"
		}
		fmt.Fprintf(e.stdout, "%-19s %s\n", k, v)
	}
	fmt.Fprintf(e.stdout, "%-19s %s (%s used", "data folder", s.DataFolder, formatBytes(s.UsedBytes))
	if s.FreeBytes >= 0 {
		fmt.Fprintf(e.stdout, ", %s free on its disk", formatBytes(s.FreeBytes))
	}
	fmt.Fprintln(e.stdout, ")")
	return nil
}

func runConfigSet(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "config set", "KEY VALUE [--json]")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, rest := positionals(args)
	if err := parse(fs, rest); err != nil {
		return err
	}
	if len(pos) != 2 {
		fs.Usage()
		return fmt.Errorf("config set needs KEY and VALUE (see `workdiary config get`)")
	}
	r, err := do(ctx, e, "workdiary config", node.OpConfigSet, node.SettingParams{Key: pos[0], Value: pos[1]})
	if err != nil {
		return err
	}
	if *asJSON {
		return e.printJSON(r)
	}
	when := "applies now"
	if r.Applied == node.AppliedNextStart {
		when = "applies when Workdiary next starts (the app or `workdiary serve`)"
	}
	fmt.Fprintf(e.stdout, "%s = %s (%s)\n", r.Key, strings.ReplaceAll(r.Value, "\n", ", "), when)
	return nil
}

func runConfigApps(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "config apps", "[--json]")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	apps, err := do(ctx, e, "workdiary config", node.OpConfigApps, node.None{})
	if err != nil {
		return err
	}
	if *asJSON {
		return e.printJSON(apps)
	}
	for _, a := range apps {
		fmt.Fprintf(e.stdout, "%-24s %s\n", a.Name, a.Class)
	}
	return nil
}

// formatBytes is a size in the unit a person reads: 1.4 GB, 320 MB.
func formatBytes(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "kMGTPE"[exp])
}
