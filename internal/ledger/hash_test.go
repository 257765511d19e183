package ledger

import (
	"crypto/sha256"
	"encoding/json"
	"testing"
)

func TestImageHashText(t *testing.T) {
	h := ImageHash(sha256.Sum256([]byte("a screenshot")))
	b, err := json.Marshal(h)
	if err != nil || string(b) != `"`+h.String()+`"` || len(h.String()) != 64 {
		t.Fatalf("JSON of an image hash: %s, %v; want its hex in quotes", b, err)
	}
	var back ImageHash
	if err := json.Unmarshal(b, &back); err != nil || back != h {
		t.Fatalf("read back: %v, %v; want %v", back, err, h)
	}
	for _, bad := range []string{`"abcd"`, `"` + h.String()[:62] + `zz"`} {
		if err := json.Unmarshal([]byte(bad), &back); err == nil {
			t.Errorf("%s read as an image hash", bad)
		}
	}
}
