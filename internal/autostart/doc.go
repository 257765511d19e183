// Package autostart owns the entry that starts Workdiary's resident agent
// when the person logs in: an XDG autostart desktop entry
// (~/.config/autostart/workdiary.desktop).
package autostart
