package config_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/workdiary/workdiary/internal/config"
)

const peerAddr = "/ip4/203.0.113.7/tcp/4001/p2p/12D3KooWGzxzKZYveHXtpG6AsrUJBcWxHBFS2HsEoGTxrMLvKXtf"

// Every setting's text form, accepted and refused values, and the
// condition each refusal carries.
func TestSetValidatesEveryField(t *testing.T) {
	cases := []struct {
		key, value string
		want       string // the value read back after Set
		err        error
	}{
		{config.KeyIdleMinutes, "15", "15", nil},
		{config.KeyIdleMinutes, " 3 ", "3", nil},
		{config.KeyIdleMinutes, "0", "", config.ErrOutOfRange},
		{config.KeyIdleMinutes, "121", "", config.ErrOutOfRange},
		{config.KeyIdleMinutes, "ten", "", config.ErrNotNumber},
		{config.KeyExcludedApps, "keepassxc, Signal\nKeePassXC", "keepassxc\nSignal", nil},
		{config.KeyExcludedApps, "", "", nil},
		{config.KeyExcludedApps, "/usr/bin/keepassxc", "", config.ErrBadApp},
		{config.KeyExcludedApps, strings.Repeat("x", 129), "", config.ErrBadApp},
		{config.KeyAutoApproveHours, "48", "48", nil},
		{config.KeyAutoApproveHours, "", "0", nil},
		{config.KeyAutoApproveHours, "-1", "", config.ErrOutOfRange},
		{config.KeyAutoApproveHours, "721", "", config.ErrOutOfRange},
		{config.KeyRelays, peerAddr, peerAddr, nil},
		{config.KeyRelays, "relay.example.org", "", config.ErrBadAddress},
		{config.KeyBootstrap, "/ip4/203.0.113.7/tcp/4001", "", config.ErrBadAddress},
		{config.KeyBootstrap, peerAddr + "," + peerAddr, peerAddr + "\n" + peerAddr, nil},
		{config.KeyLANDiscovery, "off", "false", nil},
		{config.KeyLANDiscovery, "maybe", "", config.ErrNotBool},
		{config.KeyPortMapping, "true", "true", nil},
		{config.KeyListenPort, "4001", "4001", nil},
		{config.KeyListenPort, "80", "", config.ErrOutOfRange},
		{config.KeyListenPort, "70000", "", config.ErrOutOfRange},
		{config.KeyDisplayZone, "Europe/Berlin", "Europe/Berlin", nil},
		{config.KeyDisplayZone, "utc", "UTC", nil},
		{config.KeyDisplayZone, "local", "", nil},
		{config.KeyDisplayZone, "Mars/Olympus", "", config.ErrBadZone},
		{config.KeyDisplayZone, "../../etc/passwd", "", config.ErrBadZone},
		{"colour", "blue", "", config.ErrUnknownKey},
	}
	for _, c := range cases {
		before := config.Config{IdleMinutes: 7, ListenPort: 30000}
		got, err := config.Set(before, c.key, c.value)
		if c.err != nil {
			var fe *config.FieldError
			if !errors.Is(err, c.err) || !errors.As(err, &fe) || fe.Key != c.key || fe.Reason == "" {
				t.Errorf("Set(%s, %q): err = %v, want a FieldError for %s carrying %v", c.key, c.value, err, c.key, c.err)
			}
			if got.IdleMinutes != 7 || got.ListenPort != 30000 {
				t.Errorf("Set(%s, %q) refused but changed the config: %+v", c.key, c.value, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("Set(%s, %q): %v", c.key, c.value, err)
			continue
		}
		if v, _ := config.Get(got, c.key); v != c.want {
			t.Errorf("Set(%s, %q) then Get = %q, want %q", c.key, c.value, v, c.want)
		}
	}
}

// The switches are stored as the negative config.json always had
// (disable_mdns), so older files keep their meaning.
func TestSwitchesKeepTheFileFormat(t *testing.T) {
	c, err := config.Set(config.Config{}, config.KeyPortMapping, "off")
	if err != nil || !c.DisableUPnP {
		t.Fatalf("port mapping off: DisableUPnP = %v (err %v), want true", c.DisableUPnP, err)
	}
	if v, _ := config.Get(config.Config{}, config.KeyLANDiscovery); v != "true" {
		t.Fatalf("LAN discovery of a fresh config = %q, want true", v)
	}
}

func TestLiveSettings(t *testing.T) {
	for _, k := range config.Keys() {
		want := slices.Contains([]string{config.KeyIdleMinutes, config.KeyExcludedApps, config.KeyAutoApproveHours, config.KeyDisplayZone}, k)
		if got := config.Live(k); got != want {
			t.Errorf("Live(%s) = %v, want %v", k, got, want)
		}
	}
}
