package ledger

import (
	"fmt"
	"math"

	"golang.org/x/mod/sumdb/tlog"
)

// The verifiers check RFC 9162 sections 2.1.3.2 and 2.1.4.2 proofs with
// tlog; they need only the proof and the tree heads, never the leaves.

// VerifyInclusion checks that leaf (a LeafHash) is at index in the tree of
// size leaves whose root is root.
func VerifyInclusion(leaf [32]byte, index, size uint64, root [32]byte, proof [][32]byte) error {
	if index >= size || size > math.MaxInt64 {
		return fmt.Errorf("%w: index %d in a tree of %d", ErrNotIncluded, index, size)
	}
	if err := tlog.CheckRecord(tlogHashes(proof), int64(size), root, int64(index), leaf); err != nil {
		return fmt.Errorf("%w: index %d of %d: the proof of %d hashes does not lead to root %s",
			ErrNotIncluded, index, size, len(proof), short(root))
	}
	return nil
}

// VerifyConsistencyProof checks that the tree (oldSize, oldRoot) is a prefix
// of the tree (newSize, newRoot). Every tree extends the empty tree, so
// oldSize 0 needs an empty proof and nothing else.
func VerifyConsistencyProof(oldSize, newSize uint64, oldRoot, newRoot [32]byte, proof [][32]byte) error {
	switch {
	case oldSize > newSize:
		return fmt.Errorf("%w: the log shrank from %d to %d entries", ErrNotConsistent, oldSize, newSize)
	case newSize > math.MaxInt64:
		return fmt.Errorf("%w: a tree of %d entries", ErrNotConsistent, newSize)
	case oldSize == newSize || oldSize == 0:
		if len(proof) != 0 {
			return fmt.Errorf("%w: sizes %d and %d need an empty proof, got %d hashes", ErrNotConsistent, oldSize, newSize, len(proof))
		}
		if oldSize == newSize && oldRoot != newRoot {
			return fmt.Errorf("%w: two roots for size %d: %s and %s", ErrNotConsistent, oldSize, short(oldRoot), short(newRoot))
		}
		return nil
	}
	if err := tlog.CheckTree(tlogHashes(proof), int64(newSize), newRoot, int64(oldSize), oldRoot); err != nil {
		return fmt.Errorf("%w: proof does not lead from (%d, %s) to (%d, %s)",
			ErrNotConsistent, oldSize, short(oldRoot), newSize, short(newRoot))
	}
	return nil
}
