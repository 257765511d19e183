// Package activity owns input counting: how many key presses, clicks and
// scrolls happened in each minute and whether the mouse moved, and when the
// last input was, for idle detection. It records counts only, never which
// key or what text, and it is pure: callers pass the time of every event.
package activity
