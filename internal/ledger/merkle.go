package ledger

import (
	"crypto/sha256"
	"fmt"
	"math/bits"
)

// The Merkle tree is RFC 6962 / RFC 9162 section 2.1, unchanged, so that
// any Certificate Transparency or sumdb tooling can recompute our roots. Its
// leaves are the exact signed entry bytes, in seq order (leaf i is seq i+1).

// LeafHash returns SHA-256(0x00 || entry), the hash of one leaf.
func LeafHash(entry []byte) [32]byte {
	h := sha256.New()
	h.Write([]byte{0x00})
	h.Write(entry)
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// nodeHash returns SHA-256(0x01 || left || right) without allocating.
func nodeHash(left, right [32]byte) [32]byte {
	var buf [1 + 2*32]byte
	buf[0] = 0x01
	copy(buf[1:], left[:])
	copy(buf[33:], right[:])
	return sha256.Sum256(buf[:])
}

// MerkleRoot returns the tree head of the given leaf hashes. The empty tree's
// root is SHA-256 of the empty string.
func MerkleRoot(leaves [][32]byte) [32]byte {
	if len(leaves) == 0 {
		return sha256.Sum256(nil)
	}
	return subtreeRoot(leaves)
}

func subtreeRoot(leaves [][32]byte) [32]byte {
	if len(leaves) == 1 {
		return leaves[0]
	}
	k := split(len(leaves))
	return nodeHash(subtreeRoot(leaves[:k]), subtreeRoot(leaves[k:]))
}

// split returns the largest power of two smaller than n (n ≥ 2): where RFC
// 6962 cuts a tree into its left and right subtrees.
func split(n int) int {
	return 1 << (bits.Len(uint(n-1)) - 1)
}

// InclusionProof returns the audit path (RFC 6962 PATH) that proves leaf
// index is in the tree of the given leaves.
func InclusionProof(leaves [][32]byte, index uint64) ([][32]byte, error) {
	if index >= uint64(len(leaves)) {
		return nil, fmt.Errorf("inclusion proof: index %d in a tree of %d", index, len(leaves))
	}
	return path(int(index), leaves), nil
}

func path(m int, leaves [][32]byte) [][32]byte {
	if len(leaves) <= 1 {
		return nil
	}
	k := split(len(leaves))
	if m < k {
		return append(path(m, leaves[:k]), subtreeRoot(leaves[k:]))
	}
	return append(path(m-k, leaves[k:]), subtreeRoot(leaves[:k]))
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
	return subproof(int(oldSize), leaves, true), nil
}

func subproof(m int, leaves [][32]byte, complete bool) [][32]byte {
	n := len(leaves)
	if m == n {
		if complete {
			return nil
		}
		return [][32]byte{subtreeRoot(leaves)}
	}
	k := split(n)
	if m <= k {
		return append(subproof(m, leaves[:k], complete), subtreeRoot(leaves[k:]))
	}
	return append(subproof(m-k, leaves[k:], false), subtreeRoot(leaves[:k]))
}
