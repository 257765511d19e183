package config

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// The settings a person may change, each with its key in config.json, how
// it reads as text, and the one function that checks it. The command line
// (`workdiary config set KEY VALUE`) and the Settings screen both change a
// setting through Set, so a value one of them refuses the other refuses
// too, with the same reason.

// Conditions a refused value carries; a FieldError names the key.
var (
	ErrUnknownKey = errors.New("no such setting")
	ErrNotNumber  = errors.New("not a whole number")
	ErrNotBool    = errors.New("not true or false")
	ErrOutOfRange = errors.New("out of range")
	ErrBadApp     = errors.New("not an app name")
	ErrBadAddress = errors.New("not a peer address")
	ErrBadZone    = errors.New("not a time zone")
)

// FieldError is a refused value: which setting, why (one of the conditions
// above, for errors.Is) and the reason in words.
type FieldError struct {
	Key    string
	Err    error
	Reason string
}

func (e *FieldError) Error() string { return e.Key + ": " + e.Reason }
func (e *FieldError) Unwrap() error { return e.Err }

func refuse(key string, err error, format string, args ...any) *FieldError {
	return &FieldError{Key: key, Err: err, Reason: fmt.Sprintf(format, args...)}
}

// Setting keys, as config.json names them.
const (
	KeyIdleMinutes      = "idle_minutes"
	KeyExcludedApps     = "excluded_apps"
	KeyAutoApproveHours = "auto_approve_hours"
	KeyRelays           = "relays"
	KeyBootstrap        = "bootstrap"
	KeyLANDiscovery     = "lan_discovery"
	KeyPortMapping      = "port_mapping"
	KeyListenPort       = "listen_port"
	KeyDisplayZone      = "display_zone"
)

// Bounds of the numeric settings.
const (
	MinIdleMinutes      = 1
	MaxIdleMinutes      = 120
	MaxAutoApproveHours = 24 * 30
	MinListenPort       = 1024
	MaxListenPort       = 65535
)

// field is one setting: its text form and how a text is checked and stored.
type field struct {
	key string
	// live: a running node applies a change at once; otherwise at its
	// next start.
	live bool
	get  func(Config) string
	set  func(*Config, string) error
}

var fields = []field{
	{KeyIdleMinutes, true, func(c Config) string { return strconv.Itoa(c.Idle()) }, func(c *Config, v string) error {
		n, err := ValidateIdleMinutes(v)
		c.IdleMinutes = n
		return err
	}},
	{KeyExcludedApps, true, func(c Config) string { return strings.Join(c.ExcludedApps, "\n") }, func(c *Config, v string) error {
		apps, err := ValidateExcludedApps(splitList(v))
		c.ExcludedApps = apps
		return err
	}},
	{KeyAutoApproveHours, true, func(c Config) string { return strconv.Itoa(c.AutoApproveHours) }, func(c *Config, v string) error {
		n, err := ValidateAutoApproveHours(v)
		c.AutoApproveHours = n
		return err
	}},
	{KeyRelays, false, func(c Config) string { return strings.Join(c.Relays, "\n") }, func(c *Config, v string) error {
		list, err := ValidatePeerAddrs(KeyRelays, splitList(v))
		c.Relays = list
		return err
	}},
	{KeyBootstrap, false, func(c Config) string { return strings.Join(c.Bootstrap, "\n") }, func(c *Config, v string) error {
		list, err := ValidatePeerAddrs(KeyBootstrap, splitList(v))
		c.Bootstrap = list
		return err
	}},
	{KeyLANDiscovery, false, func(c Config) string { return strconv.FormatBool(!c.DisableMDNS) }, func(c *Config, v string) error {
		on, err := ValidateSwitch(KeyLANDiscovery, v)
		c.DisableMDNS = !on
		return err
	}},
	{KeyPortMapping, false, func(c Config) string { return strconv.FormatBool(!c.DisableUPnP) }, func(c *Config, v string) error {
		on, err := ValidateSwitch(KeyPortMapping, v)
		c.DisableUPnP = !on
		return err
	}},
	{KeyListenPort, false, func(c Config) string { return strconv.Itoa(c.ListenPort) }, func(c *Config, v string) error {
		n, err := ValidateListenPort(v)
		c.ListenPort = n
		return err
	}},
	{KeyDisplayZone, true, func(c Config) string { return c.DisplayZone }, func(c *Config, v string) error {
		z, err := ValidateDisplayZone(v)
		c.DisplayZone = z
		return err
	}},
}

// Keys lists the settings in the order Settings shows them.
func Keys() []string {
	keys := make([]string, len(fields))
	for i, f := range fields {
		keys[i] = f.key
	}
	return keys
}

func lookup(key string) (field, error) {
	i := slices.IndexFunc(fields, func(f field) bool { return f.key == key })
	if i < 0 {
		return field{}, refuse(key, ErrUnknownKey, "no such setting (known: %s)", strings.Join(Keys(), ", "))
	}
	return fields[i], nil
}

// Get returns a setting as text: numbers in decimal, switches as true or
// false, lists one item a line.
func Get(c Config, key string) (string, error) {
	f, err := lookup(key)
	if err != nil {
		return "", err
	}
	return f.get(c), nil
}

// Set returns c with the setting key changed to the value in text, or a
// *FieldError saying why the value is refused (c is then unchanged).
// Lists are given one item a line or separated by commas.
func Set(c Config, key, value string) (Config, error) {
	f, err := lookup(key)
	if err != nil {
		return c, err
	}
	next := c
	if err := f.set(&next, strings.TrimSpace(value)); err != nil {
		return c, err
	}
	return next, nil
}

// Live reports whether a running node applies a change of key at once;
// the others take effect when the node next starts.
func Live(key string) bool {
	f, err := lookup(key)
	return err == nil && f.live
}

// splitList reads a list given one item a line or comma-separated,
// dropping blank items.
func splitList(v string) []string {
	var out []string
	for _, s := range strings.FieldsFunc(v, func(r rune) bool { return r == '\n' || r == ',' }) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
