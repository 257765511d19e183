package config

import (
	"strconv"
	"strings"
	"time"
	// The zone database goes into the binary (about 450 kB): Windows has
	// none of its own, and a display zone must name the same zone
	// everywhere.
	_ "time/tzdata"
	"unicode"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/multiformats/go-multiaddr"
)

// One function per setting: each reads the text a person typed and returns
// the value to store, or a *FieldError that says what is wrong in words the
// screen shows next to the field.

// ValidateIdleMinutes checks the idle threshold: whole minutes from
// MinIdleMinutes to MaxIdleMinutes.
func ValidateIdleMinutes(v string) (int, error) {
	return wholeIn(KeyIdleMinutes, v, MinIdleMinutes, MaxIdleMinutes, "minutes")
}

// ValidateAutoApproveHours checks the auto-approve delay: 0 (off) up to
// MaxAutoApproveHours (30 days).
func ValidateAutoApproveHours(v string) (int, error) {
	if v == "" {
		return 0, nil
	}
	return wholeIn(KeyAutoApproveHours, v, 0, MaxAutoApproveHours, "hours")
}

// ValidateListenPort checks the node's port: an unprivileged TCP/UDP port.
func ValidateListenPort(v string) (int, error) {
	return wholeIn(KeyListenPort, v, MinListenPort, MaxListenPort, "")
}

func wholeIn(key, v string, lo, hi int, unit string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, refuse(key, ErrNotNumber, "%q is not a whole number", v)
	}
	if n < lo || n > hi {
		if unit != "" {
			unit = " " + unit
		}
		return 0, refuse(key, ErrOutOfRange, "must be from %d to %d%s", lo, hi, unit)
	}
	return n, nil
}

// ValidateSwitch reads an on/off setting: true, false, on, off, yes, no.
func ValidateSwitch(key, v string) (bool, error) {
	switch strings.ToLower(v) {
	case "true", "on", "yes", "1":
		return true, nil
	case "false", "off", "no", "0":
		return false, nil
	}
	return false, refuse(key, ErrNotBool, "%q is neither on nor off (use true or false)", v)
}

// maxAppName bounds an app name: WM_CLASS names and executables are short.
const maxAppName = 128

// ValidateExcludedApps checks the exclusion list: each entry an app's
// executable or WM_CLASS name (not a path, no control characters), kept
// once whatever its case, since matching ignores case.
func ValidateExcludedApps(apps []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, a := range apps {
		switch {
		case len(a) > maxAppName:
			return nil, refuse(KeyExcludedApps, ErrBadApp, "%.20q… is longer than %d characters: give the app's name, as `xprop WM_CLASS` shows it", a, maxAppName)
		case strings.ContainsAny(a, `/\`):
			return nil, refuse(KeyExcludedApps, ErrBadApp, "%q is a path: give the app's name only (e.g. keepassxc)", a)
		case strings.IndexFunc(a, unicode.IsControl) >= 0:
			return nil, refuse(KeyExcludedApps, ErrBadApp, "%q holds a control character", a)
		}
		if k := strings.ToLower(a); !seen[k] {
			seen[k] = true
			out = append(out, a)
		}
	}
	return out, nil
}

// ValidatePeerAddrs checks a list of relays or bootstrap peers: each a
// multiaddr that ends in /p2p/PEER-ID, since a peer is only trusted by its
// key.
func ValidatePeerAddrs(key string, addrs []string) ([]string, error) {
	for _, a := range addrs {
		ma, err := multiaddr.NewMultiaddr(a)
		if err != nil {
			return nil, refuse(key, ErrBadAddress, "%q is not a multiaddr (e.g. /ip4/203.0.113.7/tcp/4001/p2p/12D3KooW…)", a)
		}
		if _, err := peer.AddrInfoFromP2pAddr(ma); err != nil {
			return nil, refuse(key, ErrBadAddress, "%q does not end in /p2p/PEER-ID: the peer's ID is needed to trust it", a)
		}
	}
	return addrs, nil
}

// ValidateDisplayZone checks the zone times are shown in: "" for the
// computer's own zone, else an IANA name such as Europe/Berlin.
func ValidateDisplayZone(v string) (string, error) {
	if v == "" || strings.EqualFold(v, "local") {
		return "", nil
	}
	if strings.EqualFold(v, "utc") {
		return "UTC", nil
	}
	if _, err := time.LoadLocation(v); err != nil || strings.HasPrefix(v, "/") || strings.Contains(v, "..") {
		return "", refuse(KeyDisplayZone, ErrBadZone, "%q is not a time zone name (e.g. Europe/Berlin, America/New_York, UTC)", v)
	}
	return v, nil
}
