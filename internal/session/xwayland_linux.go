//go:build linux

package session

import (
	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

// isXWayland asks the X server in display whether it is XWayland, which
// announces itself with the XWAYLAND extension. An unreachable server is
// not XWayland as far as anyone can tell; capture reports it unreachable.
func isXWayland(display string) bool {
	conn, err := xgb.NewConnDisplay(display)
	if err != nil {
		return false
	}
	defer conn.Close()
	const name = "XWAYLAND"
	r, err := xproto.QueryExtension(conn, uint16(len(name)), name).Reply()
	return err == nil && r.Present
}
