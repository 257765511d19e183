package internal_test

import (
	"os/exec"
	"strings"
	"testing"
)

// The dependency rules of docs/conventions.md, checked on the real import graph:
// Wails only in app/ and the root package; robotgo and gohook only where
// their platform code lives; the pure packages do no I/O-heavy imports;
// and nothing under internal/ reaches up into app/ or cmd/.
func TestDependencyRules(t *testing.T) {
	deps := listDeps(t)
	rules := []struct {
		pkgPrefix string
		forbidden []string
		why       string
	}{
		{"github.com/workdiary/workdiary/internal/", []string{"github.com/wailsapp/wails"}, "Wails is imported only in app/"},
		{"github.com/workdiary/workdiary/internal/", []string{"github.com/workdiary/workdiary/app", "github.com/workdiary/workdiary/cmd/"}, "dependencies point inward"},
		{"github.com/workdiary/workdiary/cmd/workdiary", []string{"github.com/wailsapp/wails", "github.com/robotn/gohook"}, "the CLI links no GUI or hook library, so it runs headless"},
		{"github.com/workdiary/workdiary/app", []string{"github.com/robotn/gohook"}, "gohook crashes any binary without a display: only cmd/workdiary-input links it"},
		{"github.com/workdiary/workdiary/internal/", []string{"github.com/robotn/gohook"}, "gohook crashes any binary without a display: only cmd/workdiary-input links it"},
	}
	pure := []string{"internal/activity", "internal/diary", "internal/ledger"}
	for _, p := range pure {
		rules = append(rules, struct {
			pkgPrefix string
			forbidden []string
			why       string
		}{"github.com/workdiary/workdiary/" + p, []string{"github.com/workdiary/workdiary/internal/store", "github.com/dgraph-io/badger", "github.com/libp2p/go-libp2p/p2p", "net/http", "os/exec"}, p + " stays pure (no storage, network or processes)"})
	}
	for pkg, imports := range deps {
		for _, r := range rules {
			if !under(pkg, r.pkgPrefix) {
				continue
			}
			for _, imp := range imports {
				for _, f := range r.forbidden {
					if strings.HasPrefix(imp, f) {
						t.Errorf("%s depends on %s: %s", pkg, imp, r.why)
					}
				}
			}
		}
	}
	// robotgo is fine to link (it loads without a display); the rule is that
	// only capture calls it directly.
	for pkg, imports := range listImports(t) {
		for _, imp := range imports {
			if strings.HasPrefix(imp, "github.com/go-vgo/robotgo") && !strings.HasPrefix(pkg, "github.com/workdiary/workdiary/internal/capture") {
				t.Errorf("%s imports robotgo: only internal/capture's platform files may", pkg)
			}
			// Finding counterparts on the internet is one room: the DHT
			// is reached through internal/reach, which knows nothing of
			// the node, the store or contracts' contents.
			if strings.HasPrefix(imp, "github.com/libp2p/go-libp2p-kad-dht") && pkg != "github.com/workdiary/workdiary/internal/reach" {
				t.Errorf("%s imports the DHT: only internal/reach may", pkg)
			}
			if pkg == "github.com/workdiary/workdiary/internal/reach" && (strings.HasPrefix(imp, "github.com/workdiary/workdiary/internal/node") ||
				strings.HasPrefix(imp, "github.com/workdiary/workdiary/internal/store") || strings.HasPrefix(imp, "github.com/workdiary/workdiary/internal/contract")) {
				t.Errorf("internal/reach imports %s: it works on keys and peers, the node wires it", imp)
			}
		}
	}
}

// listImports maps each of the module's packages to its direct imports.
func listImports(t *testing.T) map[string][]string {
	t.Helper()
	return goList(t, "{{.ImportPath}} {{join .Imports \" \"}}")
}

// listDeps maps each of the module's packages (non-test build) to every
// package it depends on, directly or not.
func listDeps(t *testing.T) map[string][]string {
	t.Helper()
	return goList(t, "{{.ImportPath}} {{join .Deps \" \"}}")
}

func goList(t *testing.T, format string) map[string][]string {
	t.Helper()
	out, err := exec.Command("go", "list", "-f", format, "github.com/workdiary/workdiary/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		if len(f) > 0 {
			deps[f[0]] = f[1:]
		}
	}
	if len(deps) < 5 {
		t.Fatalf("go list found only %d packages: %v", len(deps), deps)
	}
	return deps
}

// under reports whether pkg is prefix itself or inside it.
func under(pkg, prefix string) bool {
	if strings.HasSuffix(prefix, "/") {
		return strings.HasPrefix(pkg, prefix)
	}
	return pkg == prefix || strings.HasPrefix(pkg, prefix+"/")
}
