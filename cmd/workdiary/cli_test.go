package main

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// result is one in-process run of the command line.
type result struct {
	stdout, stderr string
	code           int
}

// cli runs `workdiary ARGS…` in this process, as main does, loopback only.
func cli(t *testing.T, args ...string) result {
	t.Helper()
	t.Setenv("WORKDIARY_LOCAL_ONLY", "1")
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, &out, &errOut)
	r := result{stdout: out.String(), stderr: errOut.String()}
	if err != nil {
		r.code = exitCode(err)
		if !printed(err) { // a bare usage error was printed by its flag set
			r.stderr += "workdiary: " + err.Error() + "\n"
		}
	}
	return r
}

// must is cli for a command that has to succeed.
func must(t *testing.T, args ...string) string {
	t.Helper()
	r := cli(t, args...)
	if r.code != 0 {
		t.Fatalf("workdiary %s: exit %d\n%s", strings.Join(args, " "), r.code, r.stderr)
	}
	return r.stdout
}

// keys are the field names of a JSON object, or of the first element of a
// JSON array of objects, sorted.
func keys(t *testing.T, what, out string) []string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("%s: not JSON (%v):\n%s", what, err, out)
	}
	if a, ok := v.([]any); ok {
		if len(a) == 0 {
			t.Fatalf("%s: an empty list; want at least one object", what)
		}
		v = a[0]
	}
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%s: %T; want an object", what, v)
	}
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
