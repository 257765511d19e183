package ledger

import (
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"golang.org/x/mod/sumdb/tlog"
)

// The Certificate Transparency reference tree (RFC 6962 test data, as in
// CT's merkle_tree_test and Trillian): eight leaves and the root of every
// prefix, index 0 being the empty tree.
var (
	ctLeaves = []string{"", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"}
	ctRoots  = []string{
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
		"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
		"aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
		"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
		"4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
		"76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
		"ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
		"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
	}
	// index is 0-based here (CT's tables count leaves from 1).
	ctInclusion = []struct {
		index, size uint64
		proof       []string
	}{
		{0, 8, []string{"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
		{5, 8, []string{"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
		{2, 3, []string{"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
		{1, 5, []string{"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
	}
	ctConsistency = []struct {
		old, new uint64
		proof    []string
	}{
		{1, 1, nil},
		{1, 8, []string{"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
		{6, 8, []string{"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
		{2, 5, []string{"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
	}
)

func ctLeafHashes(t *testing.T) [][32]byte {
	out := make([][32]byte, len(ctLeaves))
	for i, l := range ctLeaves {
		b, err := hex.DecodeString(l)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = LeafHash(b)
	}
	return out
}

func hashes(t *testing.T, hexes []string) [][32]byte {
	var out [][32]byte
	for _, h := range hexes {
		b, err := hex.DecodeString(h)
		if err != nil || len(b) != 32 {
			t.Fatalf("bad test hash %q", h)
		}
		out = append(out, [32]byte(b))
	}
	return out
}

func TestMerkleRootRFC6962(t *testing.T) {
	leaves := ctLeafHashes(t)
	for size := range len(leaves) + 1 {
		if got := MerkleRoot(leaves[:size]); hex.EncodeToString(got[:]) != ctRoots[size] {
			t.Errorf("size %d: root %x, want %s", size, got, ctRoots[size])
		}
	}
}

func TestInclusionRFC6962(t *testing.T) {
	leaves := ctLeafHashes(t)
	for _, v := range ctInclusion {
		want := hashes(t, v.proof)
		got, err := InclusionProof(leaves[:v.size], v.index)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("InclusionProof(%d of %d) = %x, %v; want %x", v.index, v.size, got, err, want)
		}
		root := hashes(t, ctRoots[v.size:v.size+1])[0]
		if err := VerifyInclusion(leaves[v.index], v.index, v.size, root, want); err != nil {
			t.Errorf("VerifyInclusion(%d of %d): %v", v.index, v.size, err)
		}
	}
}

func TestConsistencyRFC6962(t *testing.T) {
	leaves := ctLeafHashes(t)
	for _, v := range ctConsistency {
		want := hashes(t, v.proof)
		got, err := ConsistencyProof(leaves[:v.new], v.old)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("ConsistencyProof(%d → %d) = %x, %v; want %x", v.old, v.new, got, err, want)
		}
		oldRoot, newRoot := hashes(t, ctRoots[v.old:v.old+1])[0], hashes(t, ctRoots[v.new:v.new+1])[0]
		if err := VerifyConsistencyProof(v.old, v.new, oldRoot, newRoot, want); err != nil {
			t.Errorf("VerifyConsistencyProof(%d → %d): %v", v.old, v.new, err)
		}
	}
}

// For every tree size 1..33, every inclusion and consistency proof we make
// verifies, equals the one golang.org/x/mod/sumdb/tlog (an independent
// RFC 6962 implementation) makes, and stops verifying when anything in it
// changes.
func TestProofsAllSizes(t *testing.T) {
	const maxSize = 33
	leaves, tl := make([][32]byte, maxSize), newTlogTree(t, maxSize)
	for i := range leaves {
		leaves[i] = LeafHash(leafData(i))
	}
	for n := uint64(1); n <= maxSize; n++ {
		root := MerkleRoot(leaves[:n])
		if want := tl.root(n); root != want {
			t.Fatalf("size %d: root %x, tlog says %x", n, root, want)
		}
		for i := range n {
			checkInclusion(t, leaves[:n], i, root, tl.inclusion(i, n))
		}
		for m := uint64(0); m <= n; m++ {
			checkConsistency(t, leaves[:n], m, MerkleRoot(leaves[:m]), root, tl.consistency(m, n))
		}
	}
}

func checkInclusion(t *testing.T, leaves [][32]byte, i uint64, root [32]byte, want [][32]byte) {
	t.Helper()
	n := uint64(len(leaves))
	proof, err := InclusionProof(leaves, i)
	if err != nil || !reflect.DeepEqual(proof, want) {
		t.Fatalf("inclusion %d of %d: proof %x (%v), tlog says %x", i, n, proof, err, want)
	}
	if err := VerifyInclusion(leaves[i], i, n, root, proof); err != nil {
		t.Fatalf("inclusion %d of %d: %v", i, n, err)
	}
	for _, bad := range tamper(proof) {
		if err := VerifyInclusion(leaves[i], i, n, root, bad); !errors.Is(err, ErrNotIncluded) {
			t.Fatalf("inclusion %d of %d: tampered proof %x: err = %v", i, n, bad, err)
		}
	}
	// The same proof must not place the leaf at another index. (Another size
	// is not tested: a root is only ever trusted together with its size.)
	if i+1 < n {
		if err := VerifyInclusion(leaves[i], i+1, n, root, proof); !errors.Is(err, ErrNotIncluded) {
			t.Fatalf("inclusion %d of %d verifies as %d: err = %v", i, n, i+1, err)
		}
	}
}

func checkConsistency(t *testing.T, leaves [][32]byte, m uint64, oldRoot, newRoot [32]byte, want [][32]byte) {
	t.Helper()
	n := uint64(len(leaves))
	proof, err := ConsistencyProof(leaves, m)
	if err != nil || !reflect.DeepEqual(proof, want) {
		t.Fatalf("consistency %d → %d: proof %x (%v), tlog says %x", m, n, proof, err, want)
	}
	if err := VerifyConsistencyProof(m, n, oldRoot, newRoot, proof); err != nil {
		t.Fatalf("consistency %d → %d: %v", m, n, err)
	}
	for _, bad := range tamper(proof) {
		if err := VerifyConsistencyProof(m, n, oldRoot, newRoot, bad); !errors.Is(err, ErrNotConsistent) {
			t.Fatalf("consistency %d → %d: tampered proof %x: err = %v", m, n, bad, err)
		}
	}
	if m == 0 {
		return
	}
	other := oldRoot
	other[0] ^= 1
	if err := VerifyConsistencyProof(m, n, other, newRoot, proof); !errors.Is(err, ErrNotConsistent) {
		t.Fatalf("consistency %d → %d with a changed old root: err = %v", m, n, err)
	}
	if m < n {
		if err := VerifyConsistencyProof(n, m, newRoot, oldRoot, proof); !errors.Is(err, ErrNotConsistent) {
			t.Fatalf("consistency %d → %d (shrinking): err = %v", n, m, err)
		}
	}
}

// tamper returns every proof one change away: each hash altered, one hash
// dropped, one hash too many.
func tamper(proof [][32]byte) [][][32]byte {
	var out [][][32]byte
	for i := range proof {
		bad := append([][32]byte(nil), proof...)
		bad[i][31] ^= 0x80
		out = append(out, bad, append(append([][32]byte(nil), proof[:i]...), proof[i+1:]...))
	}
	return append(out, append(append([][32]byte(nil), proof...), [32]byte{7}))
}

func leafData(i int) []byte { return []byte(fmt.Sprintf("entry %d", i)) }

// tlogTree stores the same leaves in x/mod's tlog layout.
type tlogTree struct {
	t      *testing.T
	stored []tlog.Hash
}

func newTlogTree(t *testing.T, n int) *tlogTree {
	tt := &tlogTree{t: t}
	for i := range n {
		hs, err := tlog.StoredHashes(int64(i), leafData(i), tt)
		if err != nil {
			t.Fatal(err)
		}
		tt.stored = append(tt.stored, hs...)
	}
	return tt
}

func (tt *tlogTree) ReadHashes(idx []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(idx))
	for i, x := range idx {
		out[i] = tt.stored[x]
	}
	return out, nil
}

func (tt *tlogTree) root(n uint64) [32]byte {
	h, err := tlog.TreeHash(int64(n), tt)
	if err != nil {
		tt.t.Fatal(err)
	}
	return h
}

func (tt *tlogTree) inclusion(i, n uint64) [][32]byte {
	p, err := tlog.ProveRecord(int64(n), int64(i), tt)
	if err != nil {
		tt.t.Fatal(err)
	}
	return toHashes(p)
}

func (tt *tlogTree) consistency(m, n uint64) [][32]byte {
	if m == 0 { // tlog has no proof from the empty tree; ours is empty
		return nil
	}
	p, err := tlog.ProveTree(int64(n), int64(m), tt)
	if err != nil {
		tt.t.Fatal(err)
	}
	return toHashes(p)
}

func toHashes[H ~[32]byte](in []H) [][32]byte {
	if len(in) == 0 {
		return nil
	}
	out := make([][32]byte, len(in))
	for i, h := range in {
		out[i] = h
	}
	return out
}
