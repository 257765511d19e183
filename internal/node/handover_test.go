package node

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/config"
)

// Only an agent hands its folder over; its answer is what the hook says.
func TestHandoverOp(t *testing.T) {
	n := OpenTestNode(t, clocktest.New(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)), "Ada")
	if _, err := OpAgentHandover.Run(context.Background(), n, None{}); !errors.Is(err, ErrNoHandover) {
		t.Fatalf("handover from a node that is no agent: %v; want ErrNoHandover", err)
	}
	n.OnHandover(func(context.Context) (Handover, error) { return Handover{Contract: "c1", Memo: "m"}, nil })
	h, err := OpAgentHandover.Run(context.Background(), n, None{})
	if err != nil || h.Contract != "c1" || h.Memo != "m" {
		t.Fatalf("handover = %+v, %v; want the hook's answer", h, err)
	}
}

// The agent's settings: all notifications on and autostart following its
// default until set; a change is saved in config.json and announced.
func TestAgentSettings(t *testing.T) {
	n := OpenTestNode(t, clocktest.New(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)), "Ada")
	s, err := n.AgentSettings()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range config.NotificationKinds {
		if !s.Notifications[k] {
			t.Errorf("notification %s off by default", k)
		}
	}
	if s.Autostart || s.AutostartSet {
		t.Errorf("autostart with no contract = %+v; want off and unset", s)
	}
	var heard []string
	n.OnChange(func(topic string, _ any) { heard = append(heard, topic) })
	if _, err := n.SetAgentSettings(AgentSettings{Notifications: map[string]bool{"idle": false}}); err != nil {
		t.Fatal(err)
	}
	s, err = n.SetAgentSettings(AgentSettings{Autostart: true, AutostartSet: true})
	if err != nil {
		t.Fatal(err)
	}
	if s.Notifications["idle"] || !s.Notifications["limit"] || !s.Autostart || !s.AutostartSet {
		t.Fatalf("after switching idle off and autostart on: %+v", s)
	}
	if len(heard) != 2 || heard[0] != TopicAgentSettings {
		t.Errorf("announced %v; want %s twice", heard, TopicAgentSettings)
	}
	cfg, err := config.Load(n.Home)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Notifications.On("idle") || !cfg.Notifications.On("sync") || cfg.Autostart == nil || !*cfg.Autostart {
		t.Fatalf("config.json = %+v; want idle off and autostart on saved", cfg)
	}
	if _, err := n.SetAgentSettings(AgentSettings{Notifications: map[string]bool{"fireworks": true}}); err == nil {
		t.Fatal("an unknown kind of notification was accepted")
	}
}
