package tray

import (
	_ "embed"
	"errors"
	"fmt"
)

// ErrUnsupported: this platform has no tray the package can show.
var ErrUnsupported = errors.New("a tray icon is not available here")

//go:embed icons/idle@2x.png
var iconIdle []byte

//go:embed icons/tracking@2x.png
var iconTracking []byte

//go:embed icons/problem@2x.png
var iconProblem []byte

// State is what the icon shows.
type State struct {
	Tracking bool
	// Contract is the title of the contract tracked, or the one Start
	// would track; "" when there is none.
	Contract     string
	TodayMinutes int
	// Problem is a short reason the tracker needs attention ("" when none).
	Problem string
}

// Actions are what the menu's items do. Each runs on its own goroutine.
type Actions struct {
	Start, Stop, Open, Quit func()
}

// Title is the line the icon's tooltip and menu head show.
func (s State) Title() string {
	switch {
	case s.Contract == "":
		return "Workdiary: no contract to track"
	case s.Tracking:
		return fmt.Sprintf("Tracking %s: %s today", s.Contract, hours(s.TodayMinutes))
	default:
		return fmt.Sprintf("Not tracking (%s: %s today)", s.Contract, hours(s.TodayMinutes))
	}
}

func (s State) icon() []byte {
	switch {
	case s.Problem != "":
		return iconProblem
	case s.Tracking:
		return iconTracking
	}
	return iconIdle
}

func hours(min int) string { return fmt.Sprintf("%d:%02d", min/60, min%60) }
