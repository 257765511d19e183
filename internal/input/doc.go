// Package input owns the workdiary-input helper process from the tracker's
// side: it starts the helper, reads the counts it reports, feeds them into
// per-minute activity buckets, restarts the helper when it dies and says
// clearly when there is no display to count on.
//
// It never imports gohook, directly or not: gohook crashes any process
// that loads it without an X display, so it lives only in the helper and
// this package talks to it over a pipe (see the wire subpackage).
package input
