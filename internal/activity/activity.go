package activity

import "time"

// Kind is the sort of input an event was. There is deliberately no key code
// or character anywhere in this package: what was typed must not be
// recordable, not just unrecorded.
type Kind uint8

// The kinds of input that are counted.
const (
	KeyPress Kind = iota + 1 // a key went down (auto-repeat is not a new press)
	Click                    // a mouse button went down; wheel steps are not clicks
	Scroll                   // one wheel step, either direction
	Move                     // the pointer moved, with or without a button held
)

// String names the kind for logs and test messages.
func (k Kind) String() string {
	switch k {
	case KeyPress:
		return "key"
	case Click:
		return "click"
	case Scroll:
		return "scroll"
	case Move:
		return "move"
	}
	return "unknown"
}

// Event is N inputs of one kind observed at At. N lets a caller hand over
// a batch (the helper process reports every 250 ms) without a loop.
type Event struct {
	At   time.Time
	Kind Kind
	N    int
}

// Counts is a batch of inputs of every kind, as the helper process reports
// them.
type Counts struct {
	Keys, Clicks, Scrolls, Moves int
}

// Any reports whether the batch holds any input at all.
func (c Counts) Any() bool { return c.Keys > 0 || c.Clicks > 0 || c.Scrolls > 0 || c.Moves > 0 }

// Minute is the input of one clock minute. Start is the UTC start of the
// minute. Mouse movement is only a yes/no, as in the diary: a count of
// motion events says more about the mouse's polling rate than about work.
type Minute struct {
	Start   time.Time
	Keys    int
	Clicks  int
	Scrolls int
	Moved   bool
}

// Active reports whether the minute had any input; a segment's activity
// level is its active minutes out of ten.
func (m Minute) Active() bool { return m.Keys > 0 || m.Clicks > 0 || m.Scrolls > 0 || m.Moved }

func (m *Minute) add(c Counts) {
	m.Keys += c.Keys
	m.Clicks += c.Clicks
	m.Scrolls += c.Scrolls
	m.Moved = m.Moved || c.Moves > 0
}

// minuteStart is the UTC start of the minute holding t. Truncate works on
// absolute time, so it is correct whatever t's location.
func minuteStart(t time.Time) time.Time { return t.UTC().Truncate(time.Minute) }
