package agent

import (
	"fmt"
	"sync"
	"time"

	"github.com/workdiary/workdiary/internal/notify"
)

// staleSync is how long a counterpart may fail to sync before the agent
// says so.
const staleSync = 24 * time.Hour

// watcher notices what the node's state alone does not announce as news:
// a contract newly accepted (the employer's side), entries refused, a sync
// failing for more than a day. It says each once.
type watcher struct {
	a       *Agent
	mu      sync.Mutex
	states  map[string]string    // contract → state, as last seen
	refused map[string]int       // contract → refused entries said
	failing map[string]time.Time // contract → first failure seen
	said    map[string]bool      // contract → stale sync said
}

func newWatcher(a *Agent) *watcher {
	w := &watcher{a: a, refused: map[string]int{}, failing: map[string]time.Time{}, said: map[string]bool{}}
	w.contracts() // what is there already is not news
	return w
}

// contracts tells an employer of each offer accepted since last seen.
func (w *watcher) contracts() {
	cs, err := w.a.Node.ListContracts()
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
	if !w.a.on("acceptance") {
		return
	}
	for _, s := range news {
		w.a.tell(notify.Note{Summary: "Contract accepted", Body: s + ". Their diary reaches you as they approve it."})
	}
}

// syncs says when a counterpart refuses entries, or a contract has not
// synced for more than a day.
func (w *watcher) syncs() {
	states, err := w.a.Node.SyncStates()
	if err != nil {
		return
	}
	now := w.a.Node.Clock.Now()
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
		since := s.Last
		if since.IsZero() {
			if _, ok := w.failing[s.Contract]; !ok {
				w.failing[s.Contract] = now
			}
			since = w.failing[s.Contract]
		}
		if now.Sub(since) > staleSync && !w.said[s.Contract] {
			w.said[s.Contract] = true
			notes = append(notes, notify.Note{Summary: "Not synced for over a day",
				Body: fmt.Sprintf("%q has not synced since %s: %s", s.Title, since.Local().Format("Mon 15:04"), s.Error)})
		}
	}
	w.mu.Unlock()
	if !w.a.on("sync") {
		return
	}
	for _, n := range notes {
		w.a.tell(n)
	}
}

func plural(n int) string {
	if n == 1 {
		return "y"
	}
	return "ies"
}
