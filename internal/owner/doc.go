// Package owner owns the rule that one process at a time owns a data
// folder (the desktop app, `serve` or `track`), and the local control socket
// through which every other command reaches that owner instead of opening
// the folder itself.
package owner
