package config

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

const fileName = "config.json"

// Config is what an installation remembers between runs. Zero values mean
// "the default", so an older file keeps working when fields are added.
type Config struct {
	// ListenPort is the TCP and UDP (QUIC) port of the node, chosen at
	// init so that addresses given to a counterpart stay valid.
	ListenPort int `json:"listen_port"`
	// IdleMinutes is how long without input counts as idle (default 10).
	IdleMinutes int `json:"idle_minutes,omitempty"`
	// ExcludedApps are apps never captured: executable names or WM_CLASS
	// names. Their windows are hidden in screenshots and their titles are
	// not recorded.
	ExcludedApps []string `json:"excluded_apps,omitempty"`
	// AutoApproveHours approves segments older than this; 0 = off.
	AutoApproveHours int `json:"auto_approve_hours,omitempty"`
	// Relays are optional relay multiaddrs for peers behind NATs.
	Relays []string `json:"relays,omitempty"`
	// Bootstrap are the peers to join the DHT through (multiaddrs ending
	// in /p2p/ID); empty means the public libp2p bootstrap peers.
	Bootstrap []string `json:"bootstrap,omitempty"`
	// DisableMDNS, DisableUPnP turn off LAN discovery and port mapping.
	DisableMDNS bool `json:"disable_mdns,omitempty"`
	DisableUPnP bool `json:"disable_upnp,omitempty"`
	// Notifications switches desktop notifications off by kind; a kind
	// not named is on.
	Notifications Notifications `json:"notifications,omitzero"`
	// Autostart starts the resident agent at login (never tracking by
	// itself). Unset means on once a contract has been accepted.
	Autostart *bool `json:"autostart,omitempty"`
}

// Notifications are the desktop notifications a person can switch off,
// one field per kind; nil means on.
type Notifications struct {
	// Screenshot announces each screenshot taken. A contract that requires
	// screenshots keeps this notice on whatever is set here.
	Screenshot *bool `json:"screenshot,omitempty"`
	// Idle asks the idle question (keep or discard) outside the window.
	Idle *bool `json:"idle,omitempty"`
	// Limit warns at 90 % and 100 % of a weekly limit.
	Limit *bool `json:"limit,omitempty"`
	// Sync says a counterpart refused entries or has not synced for a day.
	Sync *bool `json:"sync,omitempty"`
	// Acceptance tells an employer a contractor accepted an offer.
	Acceptance *bool `json:"acceptance,omitempty"`
}

// NotificationKinds are the kinds of Notifications, in the order Settings
// lists them.
var NotificationKinds = []string{"screenshot", "idle", "limit", "sync", "acceptance"}

// On reports whether notifications of kind are on (unknown kinds are on).
func (n Notifications) On(kind string) bool {
	if p := n.field(kind); p != nil && *p != nil {
		return **p
	}
	return true
}

// Set switches notifications of kind on or off.
func (n *Notifications) Set(kind string, on bool) error {
	p := n.field(kind)
	if p == nil {
		return fmt.Errorf("no notification kind %q (want one of %v)", kind, NotificationKinds)
	}
	*p = &on
	return nil
}

func (n *Notifications) field(kind string) **bool {
	switch kind {
	case "screenshot":
		return &n.Screenshot
	case "idle":
		return &n.Idle
	case "limit":
		return &n.Limit
	case "sync":
		return &n.Sync
	case "acceptance":
		return &n.Acceptance
	}
	return nil
}

// AutostartOn reports whether the agent should start at login: as set,
// else on once this installation has an accepted contract.
func (c Config) AutostartOn(hasAccepted bool) bool {
	if c.Autostart != nil {
		return *c.Autostart
	}
	return hasAccepted
}

// DefaultIdleMinutes is the idle threshold when none is set.
const DefaultIdleMinutes = 10

// Idle returns the idle threshold in minutes, applying the default.
func (c Config) Idle() int {
	if c.IdleMinutes <= 0 {
		return DefaultIdleMinutes
	}
	return c.IdleMinutes
}

// Load reads the config of a data folder; a missing file is the defaults.
func Load(dir string) (Config, error) {
	var c Config
	b, err := os.ReadFile(filepath.Join(dir, fileName))
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, fmt.Errorf("read config: %w", err)
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("read config %s: %w (fix or delete the file)", filepath.Join(dir, fileName), err)
	}
	return c, nil
}

// Save writes the config atomically (temp file, sync, rename).
func Save(dir string, c Config) error {
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, fileName+".tmp")
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("write config: %w", err)
	}
	if _, err := f.Write(append(b, '\n')); err != nil {
		f.Close()
		return fmt.Errorf("write config: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("write config: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write config: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, fileName)); err != nil {
		return fmt.Errorf("write config: %w", err)
	}
	return nil
}

// InitDefaults fills what init decides once: a random listen port in the
// dynamic range, so two installations on one machine rarely collide.
func InitDefaults(c Config) Config {
	if c.ListenPort == 0 {
		var b [2]byte
		_, _ = rand.Read(b[:])
		c.ListenPort = 20000 + int(binary.BigEndian.Uint16(b[:]))%40000
	}
	return c
}
