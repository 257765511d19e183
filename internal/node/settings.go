package node

import (
	"context"
	"fmt"

	"github.com/workdiary/workdiary/internal/capture"
	"github.com/workdiary/workdiary/internal/config"
	"github.com/workdiary/workdiary/internal/store"
)

// TopicSettingsChanged is announced when a setting changes, with the new
// Settings, so the window shows what `workdiary config set` changed.
const TopicSettingsChanged = "settings:changed"

// Settings is what the Settings screen and `workdiary config get` show:
// every setting as text (config.Get), which of them a running node applies
// at once, and where the data lives and what it takes on disk.
type Settings struct {
	Values map[string]string `json:"values"`
	// NextStart lists the settings a running node applies only when it
	// next starts (the network is joined once).
	NextStart  []string `json:"next_start"`
	DataFolder string   `json:"data_folder"`
	UsedBytes  int64    `json:"used_bytes"`
	FreeBytes  int64    `json:"free_bytes"` // -1: the platform cannot say
}

// SettingParams are the parameters of OpConfigSet: a setting's key and
// its new value as text.
type SettingParams struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// SettingResult is a setting as saved, and whether it already applies.
type SettingResult struct {
	Key   string `json:"key"`
	Value string `json:"value"`
	// Applied is "now", or "next-start" for a setting read only when the
	// node starts.
	Applied string `json:"applied"`
}

// Values of SettingResult.Applied.
const (
	AppliedNow       = "now"
	AppliedNextStart = "next-start"
)

// Settings returns the current settings and the data folder's disk use.
func (n *Node) Settings() (Settings, error) {
	cfg := n.Config()
	s := Settings{Values: map[string]string{}, NextStart: []string{}, DataFolder: n.Home}
	for _, k := range config.Keys() {
		v, err := config.Get(cfg, k)
		if err != nil {
			return Settings{}, err
		}
		s.Values[k] = v
		if !config.Live(k) {
			s.NextStart = append(s.NextStart, k)
		}
	}
	used, free, err := store.DiskUse(n.Home)
	if err != nil {
		return Settings{}, fmt.Errorf("measure data folder %s: %w", n.Home, err)
	}
	s.UsedBytes, s.FreeBytes = used, free
	return s, nil
}

// SetSetting checks and saves one setting (a *config.FieldError when the
// value is refused). Idle minutes, excluded apps and the display zone
// reach a running tracking session at its next sample; auto-approve at its
// next round; the network settings when the node next starts.
func (n *Node) SetSetting(p SettingParams) (SettingResult, error) {
	saved, err := n.saveSetting(p)
	if err != nil {
		return SettingResult{}, err
	}
	r := SettingResult{Key: p.Key, Value: saved, Applied: AppliedNow}
	if !config.Live(p.Key) {
		r.Applied = AppliedNextStart
	}
	if s, err := n.Settings(); err == nil {
		n.announce(TopicSettingsChanged, s)
	}
	return r, nil
}

func (n *Node) saveSetting(p SettingParams) (string, error) {
	var saved string
	err := n.changeConfig(func(cfg config.Config) (config.Config, error) {
		next, err := config.Set(cfg, p.Key, p.Value)
		if err != nil {
			return cfg, err
		}
		saved, err = config.Get(next, p.Key)
		return next, err
	})
	return saved, err
}

// changeConfig saves the settings as f changes them. It starts from the
// file, not from what the node read at start, so a key edited by hand in
// config.json meanwhile is kept, and the node takes the hand edit too.
func (n *Node) changeConfig(f func(config.Config) (config.Config, error)) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	cfg, err := config.Load(n.Home)
	if err != nil {
		return err
	}
	if cfg, err = f(cfg); err != nil {
		return err
	}
	if err := config.Save(n.Home, cfg); err != nil {
		return err
	}
	n.cfg = cfg
	return nil
}

// RunningApps lists the apps with a window on this display, for picking
// apps to exclude.
func (n *Node) RunningApps(context.Context) ([]capture.App, error) {
	apps, err := capture.RunningApps()
	if err != nil {
		return nil, fmt.Errorf("list running apps: %w", err)
	}
	if apps == nil {
		apps = []capture.App{}
	}
	return apps, nil
}
