package ledger

import (
	"fmt"

	"github.com/fxamacker/cbor/v2"

	"github.com/workdiary/workdiary/internal/cose"
)

// The payload is read by the cbor library's strict decoder (cose.Unmarshal:
// no duplicate keys, no indefinite lengths, no unknown keys, no trailing
// bytes) followed by re-encoding in core deterministic form, which must give
// the same bytes: so a missing required key, an explicit empty list or memo,
// a key out of order and a long-form head are all refused. The re-encoding
// only says that the form differs; explain says how, for the mistakes
// another implementation is most likely to make.

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
	13: {"key 13 (voids)", false}, 14: {"key 14 (limits)", false}, 15: {"key 15 (corrects)", false},
	17: {"key 17 (contract record)", false},
}

// readWire decodes a payload strictly into its wire form.
func readWire(p []byte) (*wireEntry, error) {
	w := &wireEntry{}
	if err := cose.Unmarshal(p, w); err != nil {
		return nil, explain(p, err)
	}
	return w, nil
}

// explain names a missing required key or an empty optional one when the
// payload is a map of known keys; otherwise err stands as it is.
func explain(p []byte, err error) error {
	var m map[uint64]cbor.RawMessage
	if cbor.Unmarshal(p, &m) != nil {
		return err
	}
	for k, info := range keyNames {
		v, ok := m[uint64(k)]
		switch {
		case info.name == "":
		case info.required && !ok:
			return fmt.Errorf("%w: payload: required %s is missing", ErrMalformed, info.name)
		case !info.required && ok && len(v) == 1 && (v[0] == 0x80 || v[0] == 0x60):
			return fmt.Errorf("%w: payload: %s is empty: omit it instead", ErrMalformed, info.name)
		case !info.required && ok && len(v) == 1 && v[0] == 0x00:
			return fmt.Errorf("%w: payload: %s is 0: omit it instead", ErrMalformed, info.name)
		}
	}
	return err
}
