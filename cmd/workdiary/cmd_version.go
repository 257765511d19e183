package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/workdiary/workdiary/internal/version"
)

// runVersion prints this build's version, commit and date; it reads no data
// folder, so it works before init and beside a running app.
func runVersion(_ context.Context, e *env, args []string) error {
	fs := newFlags(e, "version", "[--json]")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	info := version.Get()
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(info)
	}
	fmt.Fprintln(e.stdout, "workdiary", info)
	return nil
}
