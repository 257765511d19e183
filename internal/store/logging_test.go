package store

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"
)

// The store writes to the logger it is given, with a level and fields: a
// read-only store that can be written again says so once, at info, as
// component=store with its folder.
func TestStoreLogsToItsLogger(t *testing.T) {
	dir := closedStore(t)
	var buf syncBuffer
	l := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	playDisk(t, 1<<20, false)
	s, err := Open(dir, WithLogger(l))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	playDisk(t, 1<<30, false)
	if err := put(s, "k", "after"); err != nil {
		t.Fatalf("write once the disk allows: %v", err)
	}
	var found int
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if rec["component"] != "store" {
			t.Errorf("log line without component=store: %s", line)
		}
		if strings.Contains(rec["msg"].(string), "written again") {
			found++
			if rec["level"] != "INFO" || rec["dir"] != dir {
				t.Errorf("reopen logged as %s, want level INFO and dir %s", line, dir)
			}
		}
	}
	if found != 1 {
		t.Errorf("the reopen was logged %d times, want once; log:\n%s", found, buf.String())
	}
}

// syncBuffer is a bytes.Buffer safe for the store's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
