package ledger

import (
	"crypto/sha256"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"
)

// The Merkle tree is RFC 6962 / RFC 9162 section 2.1, unchanged, so that
// any Certificate Transparency or sumdb tooling can recompute our roots. Its
// leaves are the exact signed entry bytes, in seq order (leaf i is seq i+1).
// The hashing and the proofs are golang.org/x/mod/sumdb/tlog's, which
// implements the same tree for the Go checksum database; this file only
// lays a slice of leaf hashes out as tlog's stored hashes.

// LeafHash returns SHA-256(0x00 || entry), the hash of one leaf.
func LeafHash(entry []byte) [32]byte { return tlog.RecordHash(entry) }

// emptyRoot is MTH({}) = SHA-256 of the empty string (docs/format.md §4);
// tlog gives the zero hash for the empty tree instead.
var emptyRoot = sha256.Sum256(nil)

// tree holds a tree's stored hashes (tlog.StoredHashIndex order): every
// complete subtree's hash, computed once, from which tlog reads roots and
// proofs.
type tree struct{ stored []tlog.Hash }

func treeOf(leaves [][32]byte) *tree {
	t := &tree{stored: make([]tlog.Hash, 0, 2*len(leaves))}
	for i, l := range leaves {
		// Cannot fail: every hash it reads was stored by an earlier leaf.
		add, _ := tlog.StoredHashesForRecordHash(int64(i), l, t)
		t.stored = append(t.stored, add...)
	}
	return t
}

// ReadHashes implements tlog.HashReader.
func (t *tree) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(len(t.stored)) {
			return nil, fmt.Errorf("merkle tree: no stored hash %d of %d", x, len(t.stored))
		}
		out[i] = t.stored[x]
	}
	return out, nil
}

// MerkleRoot returns the tree head of the given leaf hashes. The empty tree's
// root is SHA-256 of the empty string.
func MerkleRoot(leaves [][32]byte) [32]byte {
	if len(leaves) == 0 {
		return emptyRoot
	}
	root, _ := tlog.TreeHash(int64(len(leaves)), treeOf(leaves)) // every hash it reads is stored
	return root
}

// InclusionProof returns the audit path (RFC 6962 PATH) that proves leaf
// index is in the tree of the given leaves.
func InclusionProof(leaves [][32]byte, index uint64) ([][32]byte, error) {
	if index >= uint64(len(leaves)) {
		return nil, fmt.Errorf("inclusion proof: index %d in a tree of %d", index, len(leaves))
	}
	return proveRecord(treeOf(leaves), uint64(len(leaves)), index)
}

func proveRecord(t *tree, size, index uint64) ([][32]byte, error) {
	p, err := tlog.ProveRecord(int64(size), int64(index), t)
	return fromTlog(p), err
}

// ConsistencyProof returns the proof (RFC 6962 PROOF) that the tree of the
// first oldSize leaves is a prefix of the tree of all leaves. It is empty
// when oldSize is 0 or the whole tree.
func ConsistencyProof(leaves [][32]byte, oldSize uint64) ([][32]byte, error) {
	if oldSize > uint64(len(leaves)) {
		return nil, fmt.Errorf("consistency proof: old size %d is larger than the tree, %d", oldSize, len(leaves))
	}
	if oldSize == 0 || oldSize == uint64(len(leaves)) {
		return nil, nil
	}
	p, err := tlog.ProveTree(int64(len(leaves)), int64(oldSize), treeOf(leaves))
	return fromTlog(p), err
}

func fromTlog[P ~[]tlog.Hash](p P) [][32]byte {
	if len(p) == 0 {
		return nil
	}
	out := make([][32]byte, len(p))
	for i, h := range p {
		out[i] = h
	}
	return out
}

func tlogHashes(p [][32]byte) []tlog.Hash {
	out := make([]tlog.Hash, len(p))
	for i, h := range p {
		out[i] = h
	}
	return out
}
