package store

import (
	"bytes"
	"fmt"
	"testing"
)

// A folder opened with small memory takes the values and transactions a
// node writes (an entry up to 64 KiB, a day's segments in one
// transaction) and stays an ordinary folder: opened without the option it
// reads the same.
func TestSmallMemoryFolderIsOrdinary(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, WithSmallMemory())
	if err != nil {
		t.Fatal(err)
	}
	big := bytes.Repeat([]byte{7}, 100<<10) // past the small value threshold
	err = s.Update(func(x *Txn) error {
		for i := range 48 {
			if err := x.Set(fmt.Appendf(nil, "seg/%02d", i), bytes.Repeat([]byte{byte(i)}, 4<<10)); err != nil {
				return err
			}
		}
		return x.Set([]byte("big"), big)
	})
	if err != nil {
		t.Fatalf("a day's transaction in a small store: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.View(func(x *Txn) error {
		got, err := x.Get([]byte("big"))
		if err != nil || !bytes.Equal(got, big) {
			return fmt.Errorf("big value read back: %d bytes, %v", len(got), err)
		}
		got, err = x.Get([]byte("seg/47"))
		if err != nil || len(got) != 4<<10 || got[0] != 47 {
			return fmt.Errorf("seg/47 read back: %d bytes, %v", len(got), err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
