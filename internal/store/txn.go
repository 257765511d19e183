package store

import (
	"errors"
	"fmt"

	badger "github.com/dgraph-io/badger/v4"
)

// Txn is one transaction. Keys are built by the packages that own the
// records (each under its own prefix); the store does not interpret them.
type Txn struct {
	t *badger.Txn
}

// Get returns a copy of the value at key, or ErrNotFound.
func (x *Txn) Get(key []byte) ([]byte, error) {
	item, err := x.t.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, fmt.Errorf("get %q: %w", key, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("get %q: %w", key, err)
	}
	return item.ValueCopy(nil)
}

// Set writes value at key.
func (x *Txn) Set(key, value []byte) error {
	if err := x.t.Set(key, value); err != nil {
		return fmt.Errorf("set %q: %w", key, err)
	}
	return nil
}

// Delete removes key; deleting a missing key is not an error.
func (x *Txn) Delete(key []byte) error {
	if err := x.t.Delete(key); err != nil {
		return fmt.Errorf("delete %q: %w", key, err)
	}
	return nil
}

// Scan calls fn for every key with the given prefix in key order, from
// start (inclusive; nil means the beginning of the prefix). fn returning
// false stops the scan. The key and value are only valid during the call.
func (x *Txn) Scan(prefix, start []byte, fn func(key, value []byte) (bool, error)) error {
	it := x.t.NewIterator(iteratorOptions(prefix, false))
	defer it.Close()
	if start == nil {
		start = prefix
	}
	for it.Seek(start); it.ValidForPrefix(prefix); it.Next() {
		item := it.Item()
		var more bool
		err := item.Value(func(v []byte) error {
			var err error
			more, err = fn(item.Key(), v)
			return err
		})
		if err != nil {
			return err
		}
		if !more {
			return nil
		}
	}
	return nil
}

// ScanReverse is Scan from the end of the prefix backwards.
func (x *Txn) ScanReverse(prefix []byte, fn func(key, value []byte) (bool, error)) error {
	it := x.t.NewIterator(iteratorOptions(prefix, true))
	defer it.Close()
	seek := append(append([]byte(nil), prefix...), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)
	for it.Seek(seek); it.ValidForPrefix(prefix); it.Next() {
		item := it.Item()
		var more bool
		err := item.Value(func(v []byte) error {
			var err error
			more, err = fn(item.Key(), v)
			return err
		})
		if err != nil {
			return err
		}
		if !more {
			return nil
		}
	}
	return nil
}

// IsConflict reports whether err is a transaction that lost a race with a
// concurrent one that wrote what it read. Running it again is safe when
// its function only reads and writes through its Txn.
func IsConflict(err error) bool { return errors.Is(err, badger.ErrConflict) }

// iteratorOptions read values as fn asks for them rather than prefetching
// a hundred ahead: the values are small and kept in the tables, and most
// scans stop after a few records (a week's seven days, a log's latest
// entry), where prefetching read and decompressed blocks for nothing
// (P11's Team view of a thousand contracts).
func iteratorOptions(prefix []byte, reverse bool) badger.IteratorOptions {
	opts := badger.DefaultIteratorOptions
	opts.Prefix, opts.Reverse, opts.PrefetchValues = prefix, reverse, false
	return opts
}
