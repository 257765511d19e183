//go:build linux

package session

import (
	"io"
	"log"
	"strings"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/randr"
	"github.com/jezek/xgb/xproto"
)

// xgb logs to stderr by default (a missing ~/.Xauthority, say); the
// probe's answer is all that matters here.
func init() { xgb.Logger = log.New(io.Discard, "", 0) }

// isXWayland asks the X server in display whether it is XWayland. Newer
// XWayland servers announce themselves with the XWAYLAND extension; all of
// them name their RandR outputs XWAYLAND0, XWAYLAND1, …. An unreachable
// server is not XWayland as far as anyone can tell; capture reports it
// unreachable.
func isXWayland(display string) bool {
	conn, err := xgb.NewConnDisplay(display)
	if err != nil {
		return false
	}
	defer conn.Close()
	const name = "XWAYLAND"
	if r, err := xproto.QueryExtension(conn, uint16(len(name)), name).Reply(); err == nil && r.Present {
		return true
	}
	return randrSaysXWayland(conn)
}

func randrSaysXWayland(conn *xgb.Conn) bool {
	if randr.Init(conn) != nil {
		return false
	}
	root := xproto.Setup(conn).DefaultScreen(conn).Root
	res, err := randr.GetScreenResourcesCurrent(conn, root).Reply()
	if err != nil {
		return false
	}
	for _, o := range res.Outputs {
		info, err := randr.GetOutputInfo(conn, o, res.ConfigTimestamp).Reply()
		if err == nil && strings.HasPrefix(string(info.Name), "XWAYLAND") {
			return true
		}
	}
	return false
}
