package app

import (
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// Go and the frontend name events from one list each; they must agree.
func TestEventNamesMatchFrontend(t *testing.T) {
	src, err := os.ReadFile("../frontend/src/lib/events.ts")
	if err != nil {
		t.Fatal(err)
	}
	var ts []string
	for _, m := range regexp.MustCompile(`'([a-z]+:[a-z-]+)'`).FindAllStringSubmatch(string(src), -1) {
		ts = append(ts, m[1])
	}
	goNames := append([]string(nil), Events...)
	sort.Strings(ts)
	sort.Strings(goNames)
	if strings.Join(ts, ",") != strings.Join(goNames, ",") {
		t.Fatalf("frontend events %v, Go events %v: keep app/events.go and frontend/src/lib/events.ts in step", ts, goNames)
	}
}
