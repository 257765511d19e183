package node_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock"
	"github.com/workdiary/workdiary/internal/config"
	"github.com/workdiary/workdiary/internal/node"
)

// A setting changed through the owner's control socket is saved, announced
// to the owner's observer, and read back by the next opening; a refused
// value reaches the caller with its condition and changes nothing.
func TestSetSettingThroughTheOwner(t *testing.T) {
	home := t.TempDir()
	ctx := context.Background()
	n, err := node.Open(home, "the desktop app", clock.Real{})
	if err != nil {
		t.Fatal(err)
	}
	announced := make(chan node.Settings, 4)
	n.OnChange(func(topic string, data any) {
		if topic == node.TopicSettingsChanged {
			announced <- data.(node.Settings)
		}
	})
	sctx, cancel := context.WithCancel(ctx)
	go n.Serve(sctx)
	var r node.SettingResult
	deadline := time.Now().Add(3 * time.Second)
	for {
		r, err = node.OpConfigSet.Ask(ctx, home, node.SettingParams{Key: config.KeyIdleMinutes, Value: "25"})
		if err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	if r.Value != "25" || r.Applied != node.AppliedNow {
		t.Fatalf("set idle_minutes: %+v, want 25 applied now", r)
	}
	if s := <-announced; s.Values[config.KeyIdleMinutes] != "25" {
		t.Fatalf("announced settings: idle %q, want 25", s.Values[config.KeyIdleMinutes])
	}
	if n.Config().IdleMinutes != 25 {
		t.Fatalf("owner's config: idle %d, want 25", n.Config().IdleMinutes)
	}
	r, err = node.OpConfigSet.Ask(ctx, home, node.SettingParams{Key: config.KeyRelays, Value: "nonsense"})
	if !errors.Is(err, config.ErrBadAddress) {
		t.Fatalf("bad relay through the owner: err = %v, want ErrBadAddress", err)
	}
	r, err = node.OpConfigSet.Ask(ctx, home, node.SettingParams{Key: config.KeyPortMapping, Value: "off"})
	if err != nil || r.Applied != node.AppliedNextStart {
		t.Fatalf("port mapping off: %+v, %v; want applied at next start", r, err)
	}
	cancel()
	n.Close()

	s, err := node.OpConfigGet.Do(ctx, home, "test", node.None{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Values[config.KeyIdleMinutes] != "25" || s.Values[config.KeyPortMapping] != "false" || s.Values[config.KeyRelays] != "" {
		t.Fatalf("settings after reopening: %v", s.Values)
	}
	if s.DataFolder != home || s.UsedBytes <= 0 {
		t.Fatalf("data folder %q using %d bytes, want %q and some bytes", s.DataFolder, s.UsedBytes, home)
	}
}

// A key edited by hand in config.json while the node runs is kept when a
// setting is changed through the node, and the node takes it too.
func TestSetSettingKeepsHandEdits(t *testing.T) {
	home, n := openWithHandEdit(t)
	if _, err := n.SetSetting(node.SettingParams{Key: config.KeyIdleMinutes, Value: "3"}); err != nil {
		t.Fatal(err)
	}
	c, err := config.Load(home)
	if err != nil {
		t.Fatal(err)
	}
	if c.IdleMinutes != 3 || c.ListenPort != 41000 || len(c.ExcludedApps) != 1 {
		t.Fatalf("config after the change: %+v, want idle 3 with the hand-edited port and exclusion", c)
	}
	if got := n.Config().ExcludedApps; len(got) != 1 || got[0] != "keepassxc" {
		t.Fatalf("the node's exclusions %v, want the hand edit", got)
	}
}

// The agent's settings (notifications, autostart) are saved the same
// way: a hand edit made meanwhile survives them.
func TestSetAgentSettingsKeepsHandEdits(t *testing.T) {
	home, n := openWithHandEdit(t)
	off := false
	if _, err := n.SetAgentSettings(node.AgentSettings{Notifications: map[string]bool{"idle": off}, Autostart: off, AutostartSet: true}); err != nil {
		t.Fatal(err)
	}
	c, err := config.Load(home)
	if err != nil {
		t.Fatal(err)
	}
	if c.ListenPort != 41000 || len(c.ExcludedApps) != 1 || c.Autostart == nil || *c.Autostart || c.Notifications.On("idle") {
		t.Fatalf("config after the agent's settings: %+v, want the hand-edited port and exclusion kept, autostart and idle notices off", c)
	}
}

// openWithHandEdit opens a node, then edits its config.json by hand (a
// listen port and an excluded app) behind its back.
func openWithHandEdit(t *testing.T) (string, *node.Node) {
	t.Helper()
	home := t.TempDir()
	n, err := node.Open(home, "test", clock.Real{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	if err := os.WriteFile(filepath.Join(home, "config.json"), []byte(`{"listen_port": 41000, "excluded_apps": ["keepassxc"]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	return home, n
}
