package contract

import (
	"encoding/json"
	"testing"
)

// A contract ID reads and writes as its hex in JSON, and only a full one
// reads back.
func TestIDText(t *testing.T) {
	id := idOf([]byte("an offer"))
	b, err := json.Marshal(map[string]ID{"contract": id})
	if err != nil || string(b) != `{"contract":"`+id.String()+`"}` {
		t.Fatalf("JSON of an ID: %s, %v; want its hex", b, err)
	}
	var back map[string]ID
	if err := json.Unmarshal(b, &back); err != nil || back["contract"] != id {
		t.Fatalf("read back: %v, %v; want %v", back, err, id)
	}
	var short ID
	if err := short.UnmarshalText([]byte(id.Short())); err == nil {
		t.Errorf("a short ID read as a full one: %v", short)
	}
}
