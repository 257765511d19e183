package internal_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
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
			// The resident agent's parts: the tray is the one user of
			// systray, and the tray, notifications and autostart entry
			// know nothing of the node; internal/agent wires them to it.
			if strings.HasPrefix(imp, "fyne.io/systray") && pkg != "github.com/workdiary/workdiary/internal/tray" {
				t.Errorf("%s imports systray: only internal/tray may", pkg)
			}
			for _, leaf := range []string{"tray", "notify", "autostart"} {
				if pkg == "github.com/workdiary/workdiary/internal/"+leaf && strings.HasPrefix(imp, "github.com/workdiary/workdiary/internal/") {
					t.Errorf("internal/%s imports %s: it knows nothing of the node; internal/agent wires it", leaf, imp)
				}
			}
			if strings.HasPrefix(imp, "github.com/workdiary/workdiary/internal/agent") && strings.HasPrefix(pkg, "github.com/workdiary/workdiary/internal/") {
				t.Errorf("%s imports internal/agent: only the programs (app/, cmd/) run the agent", pkg)
			}
			if pkg == "github.com/workdiary/workdiary/internal/reach" && (strings.HasPrefix(imp, "github.com/workdiary/workdiary/internal/node") ||
				strings.HasPrefix(imp, "github.com/workdiary/workdiary/internal/store") || strings.HasPrefix(imp, "github.com/workdiary/workdiary/internal/contract")) {
				t.Errorf("internal/reach imports %s: it works on keys and peers, the node wires it", imp)
			}
			// Sync's storage is one room: syncp2p speaks the protocols over
			// its own interfaces and knows no store; syncstore implements
			// them over the store and knows nothing of the node, which
			// wires it; the conformance suite (syncp2ptest) is for tests.
			const mod = "github.com/workdiary/workdiary/internal/"
			if under(pkg, mod+"syncp2p") && !under(pkg, mod+"syncp2p/syncp2ptest") && (under(imp, mod+"store") || under(imp, mod+"logdb") || under(imp, mod+"syncstore") || under(imp, mod+"node")) {
				t.Errorf("%s imports %s: the sync protocols reach storage only through their interfaces (internal/syncstore)", pkg, imp)
			}
			if pkg == mod+"syncstore" && under(imp, mod+"node") {
				t.Errorf("internal/syncstore imports %s: it gets what it needs at New, the node wires it", imp)
			}
			if under(imp, mod+"syncp2p/syncp2ptest") {
				t.Errorf("%s imports the sync storage conformance suite: only tests may", pkg)
			}
		}
	}
}

// purego calls C libraries without cgo; it is the macOS platform layer,
// so only macOS's capture and input helper call it, and the packages that
// do are checked on macOS's import graph (the files are darwin-only).
func TestPuregoRule(t *testing.T) {
	const mod = "github.com/workdiary/workdiary/"
	for _, arch := range []string{"arm64", "amd64"} {
		imports := goList(t, "{{.ImportPath}} {{join .Imports \" \"}}", "GOOS=darwin", "GOARCH="+arch, "CGO_ENABLED=0")
		for _, pkg := range []string{mod + "internal/capture", mod + "cmd/workdiary-input"} {
			if !slices.Contains(imports[pkg], "github.com/ebitengine/purego") {
				t.Errorf("%s does not import purego on darwin/%s: its macOS files are not built", pkg, arch)
			}
		}
		for pkg, imps := range imports {
			for _, imp := range imps {
				if strings.HasPrefix(imp, "github.com/ebitengine/purego") && pkg != mod+"internal/capture" && pkg != mod+"cmd/workdiary-input" {
					t.Errorf("%s imports purego on darwin/%s: only internal/capture and cmd/workdiary-input call macOS's libraries", pkg, arch)
				}
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

// goList lists the module's packages as format says, for the platform
// env names (GOOS=…), or this one.
func goList(t *testing.T, format string, env ...string) map[string][]string {
	t.Helper()
	cmd := exec.Command("go", "list", "-f", format, "github.com/workdiary/workdiary/...")
	if len(env) > 0 {
		cmd.Env = append(os.Environ(), env...)
	}
	out, err := cmd.Output()
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

// The platform and foundation packages sit under the domain: they talk to
// the desktop, the network or the disk, or give every package its clock,
// keys, settings and signatures, and know nothing of contracts, logs,
// sessions or the node, which hands them what they need. A package here
// that imported the domain would put a cycle in waiting and tie, say, the
// Wayland client to the contract format.
func TestFoundationsKnowNoDomain(t *testing.T) {
	const mod = "github.com/workdiary/workdiary/internal/"
	foundations := []string{"activity", "archive", "autostart", "capture", "clock", "config", "cose", "identity",
		"input", "notify", "owner", "p2p", "reach", "session", "store", "tray", "version", "wayland"}
	domain := []string{"agent", "contract", "diary", "diarydb", "logdb", "node", "syncp2p", "syncstore", "timesheet", "tracker"}
	all := listImports(t)
	for pkg, imports := range all {
		if !slices.ContainsFunc(foundations, func(f string) bool { return under(pkg, mod+f) }) {
			continue
		}
		for _, imp := range imports {
			if slices.ContainsFunc(domain, func(d string) bool { return under(imp, mod+d) }) {
				t.Errorf("%s imports %s: a platform or foundation package knows nothing of the domain; the node (or the agent) wires it", pkg, imp)
			}
		}
	}
	for _, f := range foundations {
		if _, ok := all[mod+f]; !ok {
			t.Errorf("internal/%s is listed as a foundation but is not a package of the module: update the list", f)
		}
	}
}

// The ops rule of docs/architecture.md ("Operations"): every operation a
// process can ask a node for is declared once, in internal/node's table.
// So only internal/node speaks the control socket (owner.Call, a Handler,
// a node.Op built by hand elsewhere would be a second table), and the app
// forwards the node's change announcements instead of making its own:
// a change announced by a binding never reaches the window when the same
// change comes through the socket.
func TestOpsRule(t *testing.T) {
	nodeTopics := []string{"EventDiaryChanged", "EventContractsChanged", "EventIdentityCreated", "EventSyncProgress"}
	forEachGoFile(t, "..", func(path string, f *ast.File) {
		dir := filepath.ToSlash(filepath.Dir(path))
		inNode, inOwner := strings.HasSuffix(dir, "internal/node"), strings.HasSuffix(dir, "internal/owner")
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.SelectorExpr:
				if pkg, ok := x.X.(*ast.Ident); ok && pkg.Name == "owner" && (x.Sel.Name == "Call" || x.Sel.Name == "Handler") && !inNode && !inOwner {
					t.Errorf("%s uses owner.%s: only internal/node speaks the control socket; call an op (node.Op.Do, Ask or Run)", path, x.Sel.Name)
				}
			case *ast.CompositeLit:
				if isNodeOp(x.Type) && !inNode {
					t.Errorf("%s builds a node.Op: ops are declared only in internal/node/ops.go", path)
				}
			case *ast.CallExpr:
				sel, ok := x.Fun.(*ast.SelectorExpr)
				if !ok || sel.Sel.Name != "emit" || len(x.Args) == 0 || !strings.HasSuffix(dir, "app") {
					return true
				}
				if id, ok := x.Args[0].(*ast.Ident); ok && slices.Contains(nodeTopics, id.Name) {
					t.Errorf("%s emits %s itself: the node announces its changes (node.OnChange), whoever made them", path, id.Name)
				}
			}
			return true
		})
	})
}

// The typed-IDs rule of docs/conventions.md ("Dependencies"): the packages
// that carry contracts' logs between the store, the network and the node
// name what they carry by its type (contract.ID, ledger.LogID,
// ledger.ImageHash), never by a bare [32]byte that a contract ID, a log ID
// and an image hash all assign to, so a swap of two of them does not
// compile. Raw digests (Merkle hashes, chain hashes) stay in ledger.
func TestIdentifiersAreTyped(t *testing.T) {
	typed := []string{"internal/syncp2p", "internal/syncstore", "internal/logdb", "internal/node"}
	forEachGoFile(t, "..", func(path string, f *ast.File) {
		dir := filepath.ToSlash(filepath.Dir(path))
		if strings.HasSuffix(path, "_test.go") || !slices.ContainsFunc(typed, func(p string) bool { return strings.Contains(dir+"/", "/"+p+"/") }) {
			return
		}
		ast.Inspect(f, func(n ast.Node) bool {
			a, ok := n.(*ast.ArrayType)
			if !ok || a.Len == nil {
				return true
			}
			size, isLit := a.Len.(*ast.BasicLit)
			elt, isIdent := a.Elt.(*ast.Ident)
			if isLit && size.Value == "32" && isIdent && elt.Name == "byte" {
				t.Errorf("%s: a bare [32]byte: name it by what it is (contract.ID, ledger.LogID, ledger.ImageHash)", path)
			}
			return true
		})
	})
}

// isNodeOp reports whether a composite literal's type is node.Op[…].
func isNodeOp(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.IndexListExpr:
		e = x.X
	case *ast.IndexExpr:
		e = x.X
	}
	sel, ok := e.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	return ok && pkg.Name == "node" && sel.Sel.Name == "Op"
}

// forEachGoFile parses every Go file of the module under root, tests
// included.
func forEachGoFile(t *testing.T, root string, fn func(path string, f *ast.File)) {
	t.Helper()
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == "frontend" || d.Name() == "build" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		fn(path, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
