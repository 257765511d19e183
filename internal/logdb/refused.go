package logdb

import (
	"encoding/binary"
	"errors"

	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/store"
)

// An entry the employer refused stays in the log (the chain needs it)
// and is marked, on both sides, with why (key log/L/refused/N).

// Refuse marks entry seq of the log as refused for reason. Marking it
// again keeps the first reason.
func Refuse(x *store.Txn, logID ledger.LogID, seq uint64, reason string) (added bool, err error) {
	k := key(logID, "refused", seq)
	if _, err := x.Get(k); err == nil {
		return false, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return false, err
	}
	return true, x.Set(k, []byte(reason))
}

// Refusals returns the log's refused entries: seq to reason.
func Refusals(x *store.Txn, logID ledger.LogID) (map[uint64]string, error) {
	out := map[uint64]string{}
	prefix := append(key(logID, "refused"), '/')
	err := x.Scan(prefix, prefix, func(k, v []byte) (bool, error) {
		out[binary.BigEndian.Uint64(k[len(k)-8:])] = string(v)
		return true, nil
	})
	return out, err
}

// VoidedBy is the seq of the void that withdrew entry seq, or 0.
func VoidedBy(x *store.Txn, logID ledger.LogID, seq uint64) (uint64, error) {
	s, _, err := summary(x, logID, seq)
	return s.VoidedBy, err
}
