package agent

import (
	"fmt"
	"sync"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/notify"
)

// staleSync is how long a counterpart may fail to sync before the agent
// says so.
const staleSync = 24 * time.Hour

// watched is what the watcher reads of the node.
type watched interface {
	ListContracts() ([]contract.ListItem, error)
	SyncStates() ([]node.SyncState, error)
}

// watcher notices what the node's state alone does not announce as news:
// a contract newly accepted (the employer's side), entries refused, a sync
// failing for more than a day. It says each once.
type watcher struct {
	node watched
	now  func() time.Time
	on   func(kind string) bool
	show func(n notify.Note, onAction func(key string))
	open func() // the window, for a note's Open

	mu      sync.Mutex
	states  map[string]string    // contract → state, as last seen
	refused map[string]int       // contract → refused entries said
	failing map[string]time.Time // contract → first failure seen
	said    map[string]bool      // contract → stale sync said
}

func newWatcher(a *Agent) *watcher {
	return startWatcher(&watcher{node: a.Node, now: a.Node.Clock.Now, on: a.on, open: func() { a.open("") },
		show: func(n notify.Note, onAction func(string)) {
			if a.Notes == nil {
				return
			}
			if err := a.Notes.Show(n, onAction); err != nil {
				a.log.Warn("notification", "err", err)
			}
		}})
}

func startWatcher(w *watcher) *watcher {
	w.refused, w.failing, w.said = map[string]int{}, map[string]time.Time{}, map[string]bool{}
	w.contracts() // what is there already is not news
	return w
}

// contracts tells an employer of each offer accepted since last seen.
func (w *watcher) contracts() {
	cs, err := w.node.ListContracts()
	if err != nil {
		return
	}
	w.mu.Lock()
	first := w.states == nil
	if first {
		w.states = map[string]string{}
	}
	var news []string
	for _, c := range cs {
		was, seen := w.states[c.ID]
		w.states[c.ID] = c.State
		if !first && c.Role == "employer" && (!seen || was == "offered") && c.State != "offered" && c.State != "ended" {
			news = append(news, fmt.Sprintf("%s accepted %q", c.Counterpart, c.Title))
		}
	}
	w.mu.Unlock()
	if !w.on("acceptance") {
		return
	}
	for _, s := range news {
		w.show(notify.Note{Summary: "Contract accepted", Body: s + ". Their diary reaches you as they approve it."}, nil)
	}
}

// syncs says when a counterpart refuses entries, or a contract has not
// synced for more than a day.
func (w *watcher) syncs() {
	states, err := w.node.SyncStates()
	if err != nil {
		return
	}
	now := w.now()
	var notes []notify.Note
	w.mu.Lock()
	for _, s := range states {
		// Refusals are news to the contractor, whose entries they were.
		if n := len(s.Refused); n > w.refused[s.Contract] && s.Role == "contractor" {
			notes = append(notes, notify.Note{Summary: "Entries refused",
				Body: fmt.Sprintf("The employer refused %d entr%s of %q. Open the diary to see why.", n, plural(n), s.Title)})
		}
		w.refused[s.Contract] = len(s.Refused)
		if s.Error == "" {
			delete(w.failing, s.Contract)
			w.said[s.Contract] = false
			continue
		}
		since := s.LastGood
		if since.IsZero() {
			if _, ok := w.failing[s.Contract]; !ok {
				w.failing[s.Contract] = now
			}
			since = w.failing[s.Contract]
		}
		if now.Sub(since) > staleSync && !w.said[s.Contract] {
			w.said[s.Contract] = true
			notes = append(notes, staleNote(s, since))
		}
	}
	w.mu.Unlock()
	if !w.on("sync") {
		return
	}
	for _, n := range notes {
		var onAction func(string)
		if len(n.Actions) > 0 {
			onAction = func(key string) {
				if key == ActionOpen {
					w.open()
				}
			}
		}
		w.show(n, onAction)
	}
}

// staleNote says that contract s has not synced since since, and why,
// with a way to open the window, whose Contracts screen shows the sync.
// A counterpart that is only offline is said calmly: nothing is lost, the
// entries wait on this computer.
func staleNote(s node.SyncState, since time.Time) notify.Note {
	who := "employer"
	if s.Role == "employer" {
		who = "contractor"
	}
	body := fmt.Sprintf("%q has not synced since %s: %s.", s.Title, since.Local().Format("Mon 2 Jan 15:04"), s.Error)
	if s.Unreachable {
		body = fmt.Sprintf("%q has not synced since %s: the %s could not be reached. Nothing is lost; "+
			"the diary syncs as soon as both computers are online.", s.Title, since.Local().Format("Mon 2 Jan 15:04"), who)
	}
	return notify.Note{Summary: "Not synced for over a day", Body: body,
		Actions: []notify.Action{{Key: ActionOpen, Label: "Open Workdiary"}}}
}

func plural(n int) string {
	if n == 1 {
		return "y"
	}
	return "ies"
}
