package ledger

import (
	"fmt"
	"math"
)

// keyNames names the payload keys for error messages; required ones must
// always be present, the others are left out when empty.
var keyNames = [...]struct {
	name     string
	required bool
}{
	1: {"key 1 (version)", true}, 2: {"key 2 (contract ID)", true}, 3: {"key 3 (log ID)", true},
	4: {"key 4 (seq)", true}, 5: {"key 5 (prev)", true}, 6: {"key 6 (segment start)", true},
	7: {"key 7 (kind)", true}, 8: {"key 8 (minutes)", false}, 9: {"key 9 (apps)", false},
	10: {"key 10 (memo)", false}, 11: {"key 11 (images)", false}, 12: {"key 12 (approved at)", true},
	13: {"key 13 (voids)", false}, 14: {"key 14 (limits)", false},
}

// readWire parses the payload map: keys in increasing order (which is the
// deterministic order for these keys), each known, each required one
// present, and nothing after the map.
func readWire(p []byte) (*wireEntry, error) {
	r := &cborReader{b: p}
	n := r.length("payload map", majorMap)
	w := &wireEntry{}
	var seen [len(keyNames)]bool
	last := uint64(0)
	for range n {
		k := r.expect("map key", majorUint)
		switch {
		case r.err != nil:
			return nil, r.err
		case k == 0 || k >= uint64(len(keyNames)):
			return nil, malformed("unknown key %d", k)
		case k <= last:
			return nil, malformed("%s after key %d: keys must increase", keyNames[k].name, last)
		}
		seen[k], last = true, k
		w.readField(r, k)
	}
	if r.err != nil {
		return nil, r.err
	}
	for k, info := range keyNames {
		if info.required && !seen[k] {
			return nil, malformed("required %s is missing", info.name)
		}
	}
	if r.off != len(p) {
		return nil, malformed("%d trailing bytes", len(p)-r.off)
	}
	return w, nil
}

func (w *wireEntry) readField(r *cborReader, k uint64) {
	name := keyNames[k].name
	switch k {
	case 1:
		w.Version = r.uint(name, math.MaxUint64)
	case 2:
		w.Contract = r.bytes(name)
	case 3:
		w.Log = r.bytes(name)
	case 4:
		w.Seq = r.uint(name, math.MaxUint64)
	case 5:
		w.Prev = r.bytes(name)
	case 6:
		w.Start = r.int(name)
	case 7:
		w.Kind = r.uint(name, math.MaxUint64)
	case 8:
		w.Minutes = readList(r, name, readMinute)
	case 9:
		w.Apps = readList(r, name, readApp)
	case 10:
		if w.Memo = r.text(name); r.err == nil && w.Memo == "" {
			r.fail(malformed("%s is empty: omit it instead", name))
		}
	case 11:
		w.Images = readList(r, name, readImage)
	case 12:
		w.ApprovedAt = r.int(name)
	case 13:
		r.tuple(name, 2)
		w.Voids = &wireVoid{Seq: r.uint("void seq", math.MaxUint64), Hash: r.bytes("void hash")}
	case 14:
		if w.Limits = r.uint(name, math.MaxUint64); r.err == nil && w.Limits == 0 {
			r.fail(malformed("%s is 0: omit it instead", name))
		}
	}
}

func readList[T any](r *cborReader, name string, read func(*cborReader) T) []T {
	n := r.list(name)
	out := make([]T, n)
	for i := range out {
		if out[i] = read(r); r.err != nil {
			r.err = fmt.Errorf("%s, element %d: %w", name, i, r.err)
			return nil
		}
	}
	return out
}

// The element readers rely on Go evaluating a composite literal's
// function calls left to right, which is the order of the fields on the wire.

func readMinute(r *cborReader) wireMinute {
	r.tuple("minute", 5)
	return wireMinute{Index: r.uint("minute index", math.MaxUint64),
		Keys: uint32(r.uint("minute keys", math.MaxUint32)), Clicks: uint32(r.uint("minute clicks", math.MaxUint32)),
		Scrolls: uint32(r.uint("minute scrolls", math.MaxUint32)), Moved: r.bool("minute moved")}
}

func readApp(r *cborReader) wireApp {
	r.tuple("app", 3)
	return wireApp{Process: r.text("app process"), Title: r.text("app title"),
		Seconds: uint32(r.uint("app seconds", math.MaxUint32))}
}

func readImage(r *cborReader) wireImage {
	r.tuple("image", 7)
	return wireImage{Role: r.uint("image role", math.MaxUint64), SHA256: r.bytes("image hash"),
		Size: r.uint("image size", math.MaxUint64), TakenAt: r.int("image taken at"),
		Width: uint32(r.uint("image width", math.MaxUint32)), Height: uint32(r.uint("image height", math.MaxUint32)),
		Flags: r.uint("image flags", math.MaxUint64)}
}
