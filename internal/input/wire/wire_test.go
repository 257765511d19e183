package wire_test

import (
	"testing"

	"github.com/workdiary/workdiary/internal/activity"
	"github.com/workdiary/workdiary/internal/input/wire"
)

func TestRoundTrip(t *testing.T) {
	c := activity.Counts{Keys: 7, Clicks: 3, Scrolls: 2, Moves: 1234}
	line := wire.AppendCounts(nil, c)
	if got, want := string(line), "{\"keys\":7,\"clicks\":3,\"scrolls\":2,\"moves\":1234}\n"; got != want {
		t.Fatalf("AppendCounts = %q, want %q", got, want)
	}
	r, err := wire.Parse(line)
	if err != nil {
		t.Fatal(err)
	}
	if r.Ready || r.Counts() != c {
		t.Fatalf("Parse(%q) = %+v, want counts %+v and not ready", line, r, c)
	}
	r, err = wire.Parse(wire.ReadyLine)
	if err != nil || !r.Ready || r.Counts().Any() {
		t.Fatalf("Parse(ReadyLine) = %+v, %v; want ready without counts", r, err)
	}
}

func TestParseRejects(t *testing.T) {
	for _, line := range []string{``, `{`, `[1]`, `{"keys":-1}`, `{"keys":"7"}`} {
		if r, err := wire.Parse([]byte(line)); err == nil {
			t.Errorf("Parse(%q) = %+v, want an error", line, r)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"keys":1,"clicks":2,"scrolls":3,"moves":4}`))
	f.Add([]byte(`{"ready":true}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		r, err := wire.Parse(line)
		if err != nil {
			return
		}
		c := r.Counts()
		if c.Keys < 0 || c.Clicks < 0 || c.Scrolls < 0 || c.Moves < 0 {
			t.Fatalf("Parse(%q) accepted negative counts %+v", line, c)
		}
	})
}
