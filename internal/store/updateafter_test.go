package store_test

import (
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/store"
)

// UpdateAfter commits only when both its halves succeed, and returns
// only once the first has finished, whichever failed.
func TestUpdateAfter(t *testing.T) {
	s, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	errFirst, errTxn := errors.New("first failed"), errors.New("txn failed")
	set := func(k string, fail error) func(*store.Txn) error {
		return func(x *store.Txn) error {
			if err := x.Set([]byte(k), []byte("v")); err != nil {
				return err
			}
			return fail
		}
	}
	for _, tc := range []struct {
		name        string
		first, txn  error
		want        error
		wantWritten bool
	}{
		{"both succeed", nil, nil, nil, true},
		{"first fails", errFirst, nil, errFirst, false},
		{"txn fails", nil, errTxn, errTxn, false},
		{"both fail", errFirst, errTxn, errTxn, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var finished atomic.Bool
			first := func() error {
				time.Sleep(20 * time.Millisecond) // slower than the transaction
				finished.Store(true)
				return tc.first
			}
			err := s.UpdateAfter(first, set(tc.name, tc.txn))
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("UpdateAfter = %v, want %v", err, tc.want)
			}
			if !finished.Load() {
				t.Fatal("UpdateAfter returned before first finished")
			}
			err = s.View(func(x *store.Txn) error { _, err := x.Get([]byte(tc.name)); return err })
			if written := err == nil; written != tc.wantWritten {
				t.Fatalf("key written = %v, want %v (%v)", written, tc.wantWritten, err)
			}
		})
	}
}
