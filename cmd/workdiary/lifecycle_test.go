package main

import (
	"flag"
	"io"
	"slices"
	"testing"
)

// The contract ID of a change may stand before or after its flags, and a
// flag's value is never taken for the ID.
func TestSplitBy(t *testing.T) {
	fs := flag.NewFlagSet("contract dispute", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.String("from", "", "")
	fs.String("reason", "", "")
	fs.Bool("json", false, "")
	for _, args := range [][]string{
		{"ab12", "--from", "2026-11-23T09:00:00Z", "--reason", "not ours", "--json"},
		{"--from", "2026-11-23T09:00:00Z", "ab12", "--json", "--reason=not ours"},
		{"--json", "--from=2026-11-23T09:00:00Z", "--reason", "not ours", "ab12"},
	} {
		id, rest := splitBy(fs, args)
		if id != "ab12" || slices.Contains(rest, "ab12") || fs.Parse(rest) != nil {
			t.Errorf("splitBy(%q) = %q, %q; want the ID ab12 and flags that parse", args, id, rest)
		}
	}
}
