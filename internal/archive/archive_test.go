package archive

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"testing"
)

type member struct {
	name   string
	data   []byte
	method uint16
	// lie, when set, is the unpacked size the directory states.
	lie uint64
}

func build(t *testing.T, members ...member) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range members {
		if m.lie != 0 {
			h := &zip.FileHeader{Name: m.name, Method: zip.Store, CRC32: crc32.ChecksumIEEE(m.data),
				CompressedSize64: uint64(len(m.data)), UncompressedSize64: m.lie}
			w, err := zw.CreateRaw(h)
			if err == nil {
				_, err = w.Write(m.data)
			}
			if err != nil {
				t.Fatal(err)
			}
			continue
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: m.name, Method: m.method})
		if err == nil {
			_, err = w.Write(m.data)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var small = Limits{Members: 4, Total: 1 << 20, Member: func(string) uint64 { return 256 << 10 }, StoredOnly: true}

func open(b []byte, lim Limits) (*Reader, error) { return Open(bytes.NewReader(b), int64(len(b)), lim) }

// Every limit refuses its crafted archive with its own error, before the
// bytes it protects are read; an archive within them reads back.
func TestLimits(t *testing.T) {
	many := make([]member, 5)
	for i := range many {
		many[i] = member{name: fmt.Sprintf("f%d", i), data: []byte("x")}
	}
	zeros := make([]byte, 200<<10)
	deflate := func(lim Limits) Limits { lim.StoredOnly = false; return lim }
	cases := []struct {
		name string
		zip  []byte
		lim  Limits
		want error
	}{
		{"not a zip", []byte("PK but not really a zip file at all"), small, ErrNotZip},
		{"one member too many", build(t, many...), small, ErrTooMany},
		{"the same name twice", build(t, member{name: "a", data: []byte("1")}, member{name: "a", data: []byte("2")}), small, ErrDuplicate},
		{"a member over its size", build(t, member{name: "big", data: make([]byte, 256<<10+1)}), small, ErrMemberSize},
		{"compressed where only stored is written", build(t, member{name: "z", data: []byte("x"), method: zip.Deflate}), small, ErrCompressed},
		// 800 KiB of zeros deflate to under 1 KiB each; four of them unpack
		// past the total.
		{"zip bomb", build(t, member{"z1", zeros, zip.Deflate, 0}, member{"z2", zeros, zip.Deflate, 0},
			member{"z3", zeros, zip.Deflate, 0}, member{"z4", zeros, zip.Deflate, 0}),
			deflate(Limits{Members: 4, Total: 512 << 10, Member: func(string) uint64 { return 256 << 10 }}), ErrTooBig},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := open(c.zip, c.lim); !errors.Is(err, c.want) {
				t.Fatalf("open: %v; want %v", err, c.want)
			}
		})
	}
	t.Run("directory that understates a member", func(t *testing.T) {
		r, err := open(build(t, member{name: "a", data: []byte("twelve bytes"), lie: 3}), small)
		if err != nil {
			t.Fatal(err)
		}
		if b, err := r.Read(r.Files[0]); err == nil {
			t.Fatalf("read %q; want an error", b)
		}
	})
	t.Run("within the limits", func(t *testing.T) {
		r, err := open(build(t, member{name: "a", data: []byte("one")}, member{name: "b", data: zeros[:1000], method: zip.Deflate}), deflate(small))
		if err != nil {
			t.Fatal(err)
		}
		for i, want := range []int{3, 1000} {
			if b, err := r.Read(r.Files[i]); err != nil || len(b) != want {
				t.Fatalf("member %d: %d bytes, %v", i, len(b), err)
			}
		}
	})
}

// A zip64 archive's member count is read from its zip64 end record.
func TestMemberCountZip64(t *testing.T) {
	members := make([]member, 70_000)
	for i := range members {
		members[i] = member{name: fmt.Sprint(i)}
	}
	b := build(t, members...)
	lim := Limits{Members: 69_999, Total: 1, Member: func(string) uint64 { return 1 }}
	if _, err := open(b, lim); !errors.Is(err, ErrTooMany) || !bytes.Contains([]byte(err.Error()), []byte("70000")) {
		t.Fatalf("open: %v; want ErrTooMany naming 70000", err)
	}
}
