package cose

import (
	"fmt"

	"github.com/fxamacker/cbor/v2"
)

// Deterministic CBOR (RFC 8949 section 4.2.1, core deterministic encoding):
// the same value always encodes to the same bytes, so signatures are stable
// and another implementation can reproduce them.
var encMode cbor.EncMode

// Strict decoding: duplicate map keys, indefinite lengths and unknown tags are
// refused, so a peer cannot smuggle two readings of one signed message.
var decMode cbor.DecMode

func init() {
	var err error
	encMode, err = cbor.CoreDetEncOptions().EncMode()
	if err != nil {
		panic(err)
	}
	decMode, err = cbor.DecOptions{
		DupMapKey:         cbor.DupMapKeyEnforcedAPF,
		IndefLength:       cbor.IndefLengthForbidden,
		MaxNestedLevels:   16,
		MaxArrayElements:  1 << 16,
		MaxMapPairs:       1 << 12,
		ExtraReturnErrors: cbor.ExtraDecErrorUnknownField,
	}.DecMode()
	if err != nil {
		panic(err)
	}
}

// Marshal encodes v as deterministic CBOR.
func Marshal(v any) ([]byte, error) {
	b, err := encMode.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode cbor: %w", err)
	}
	return b, nil
}

// Unmarshal decodes strict CBOR into v and refuses trailing bytes and
// encodings that are not the deterministic one, so that every accepted
// payload has exactly one byte form.
func Unmarshal(data []byte, v any) error {
	rest, err := decMode.UnmarshalFirst(data, v)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if len(rest) != 0 {
		return fmt.Errorf("%w: %d trailing bytes", ErrMalformed, len(rest))
	}
	again, err := encMode.Marshal(v)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if string(again) != string(data) {
		return fmt.Errorf("%w: not in deterministic encoding", ErrMalformed)
	}
	return nil
}
