//go:build linux

package notify

import (
	"context"
	"fmt"
	"sync"

	"github.com/godbus/dbus/v5"
)

const (
	busName = "org.freedesktop.Notifications"
	objPath = "/org/freedesktop/Notifications"
	iface   = "org.freedesktop.Notifications"
)

// Notifier sends notes to the notification server of the session bus.
type Notifier struct {
	conn    *dbus.Conn
	appName string
	icon    string

	mu      sync.Mutex
	waiting map[uint32]func(string)
	early   map[uint32]string // answers that came before Notify returned
	signals chan *dbus.Signal
}

// Connect opens a private connection to the session bus and listens for
// the server's answers. appName and icon (a path or theme name) are shown
// with every note.
func Connect(appName, icon string) (*Notifier, error) {
	conn, err := dbus.SessionBusPrivateNoAutoStartup()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnsupported, err)
	}
	if err := conn.Auth(nil); err != nil {
		conn.Close()
		return nil, fmt.Errorf("%w: session bus: %v", ErrUnsupported, err)
	}
	if err := conn.Hello(); err != nil {
		conn.Close()
		return nil, fmt.Errorf("%w: session bus: %v", ErrUnsupported, err)
	}
	for _, member := range []string{"ActionInvoked", "NotificationClosed"} {
		if err := conn.AddMatchSignal(dbus.WithMatchInterface(iface), dbus.WithMatchMember(member)); err != nil {
			conn.Close()
			return nil, fmt.Errorf("listen to notification answers: %w", err)
		}
	}
	n := &Notifier{conn: conn, appName: appName, icon: icon, waiting: map[uint32]func(string){},
		early: map[uint32]string{}, signals: make(chan *dbus.Signal, 16)}
	conn.Signal(n.signals)
	go n.listen()
	return n, nil
}

// Close ends the connection; notes still waiting are answered Closed.
func (n *Notifier) Close() error { return n.conn.Close() }

// Show implements Sender.
func (n *Notifier) Show(note Note, onAction func(string)) error {
	_, err := n.show(note, onAction)
	return err
}

func (n *Notifier) show(note Note, onAction func(string)) (uint32, error) {
	actions := make([]string, 0, 2*len(note.Actions))
	for _, a := range note.Actions {
		actions = append(actions, a.Key, a.Label)
	}
	urgency := byte(1)
	if note.Urgent {
		urgency = 2
	}
	hints := map[string]dbus.Variant{"urgency": dbus.MakeVariant(urgency)}
	expire := int32(-1)
	if note.Expire > 0 {
		expire = int32(note.Expire.Milliseconds())
	}
	// Registered before the call: the answer can arrive before its reply.
	n.mu.Lock()
	var id uint32
	err := n.conn.Object(busName, objPath).Call(iface+".Notify", 0,
		n.appName, uint32(0), n.icon, note.Summary, note.Body, actions, hints, expire).Store(&id)
	if err != nil {
		n.mu.Unlock()
		return 0, fmt.Errorf("show notification %q: %w", note.Summary, err)
	}
	if key, ok := n.early[id]; ok {
		delete(n.early, id)
		n.mu.Unlock()
		if onAction != nil {
			onAction(key)
		}
		return id, nil
	}
	if onAction != nil {
		n.waiting[id] = onAction
	}
	n.mu.Unlock()
	return id, nil
}

// Ask implements Sender.
func (n *Notifier) Ask(ctx context.Context, note Note) (string, error) {
	answer := make(chan string, 1)
	id, err := n.show(note, func(key string) { answer <- key })
	if err != nil {
		return Closed, err
	}
	select {
	case key := <-answer:
		return key, nil
	case <-ctx.Done():
		n.withdraw(id)
		return Closed, nil
	}
}

func (n *Notifier) withdraw(id uint32) {
	n.mu.Lock()
	delete(n.waiting, id)
	n.mu.Unlock()
	n.conn.Object(busName, objPath).Call(iface+".CloseNotification", 0, id)
}

// listen hands each answer to whoever waits for it. An action is followed
// by NotificationClosed; only the first answer of a note counts.
func (n *Notifier) listen() {
	for sig := range n.signals {
		if len(sig.Body) < 2 {
			continue
		}
		id, ok := sig.Body[0].(uint32)
		if !ok {
			continue
		}
		key := Closed
		if sig.Name == iface+".ActionInvoked" {
			if key, ok = sig.Body[1].(string); !ok {
				continue
			}
		}
		n.answer(id, key)
	}
	n.mu.Lock()
	pending := n.waiting
	n.waiting = map[uint32]func(string){}
	n.mu.Unlock()
	for _, f := range pending {
		f(Closed)
	}
}

func (n *Notifier) answer(id uint32, key string) {
	n.mu.Lock()
	f, ok := n.waiting[id]
	delete(n.waiting, id)
	if !ok {
		// Either the note is another program's, or Notify has not
		// returned yet (show holds mu through the call, so this cannot
		// race it). Keep the answer for the second case, a few at most.
		if len(n.early) >= 64 {
			clear(n.early)
		}
		n.early[id] = key
	}
	n.mu.Unlock()
	if ok {
		f(key)
	}
}
