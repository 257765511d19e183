// Package app is the only Wails-aware Go: the structs bound to the
// frontend (one per screen), their DTOs, event forwarding and the window's
// lifecycle. It translates; the work happens in internal/.
package app
