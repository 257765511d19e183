package capture

import (
	"slices"
	"strings"
)

// App is an application with a window on screen, as the exclusion list
// names it: Name is what an entry should say (the executable's name, else
// the WM_CLASS instance), Class the WM_CLASS class a person recognises.
type App struct {
	Name  string `json:"name"`
	Class string `json:"class,omitempty"`
}

// RunningApps lists the apps with a viewable window, once each and sorted
// by name, so a person can pick what to exclude rather than guess its
// name. Windows that name no app (menus, the desktop) are left out.
func RunningApps() ([]App, error) {
	platformMu.Lock()
	defer platformMu.Unlock()
	wins, err := visibleWindows()
	if err != nil {
		return nil, err
	}
	return appsOf(wins), nil
}

func appsOf(wins []placed) []App {
	seen := map[string]bool{}
	var out []App
	for _, w := range wins {
		name := w.Process
		if name == "" {
			name = w.Instance
		}
		if name == "" || seen[strings.ToLower(name)] {
			continue
		}
		seen[strings.ToLower(name)] = true
		out = append(out, App{Name: name, Class: w.Class})
	}
	slices.SortFunc(out, func(a, b App) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	return out
}
