package ledger

import "fmt"

// The verifiers below follow RFC 9162 sections 2.1.3.2 and 2.1.4.2 step by
// step; they need only the proof and the tree heads, never the leaves.

// VerifyInclusion checks that leaf (a LeafHash) is at index in the tree of
// size leaves whose root is root.
func VerifyInclusion(leaf [32]byte, index, size uint64, root [32]byte, proof [][32]byte) error {
	if index >= size {
		return fmt.Errorf("%w: index %d in a tree of %d", ErrNotIncluded, index, size)
	}
	fn, sn, r := index, size-1, leaf
	for _, p := range proof {
		if sn == 0 {
			return fmt.Errorf("%w: proof for index %d of %d is too long", ErrNotIncluded, index, size)
		}
		if fn&1 == 1 || fn == sn {
			r = nodeHash(p, r)
			for fn&1 == 0 && fn != 0 {
				fn, sn = fn>>1, sn>>1
			}
		} else {
			r = nodeHash(r, p)
		}
		fn, sn = fn>>1, sn>>1
	}
	if sn != 0 {
		return fmt.Errorf("%w: proof for index %d of %d is too short", ErrNotIncluded, index, size)
	}
	if r != root {
		return fmt.Errorf("%w: index %d of %d: proof leads to root %s, want %s", ErrNotIncluded, index, size, short(r), short(root))
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
	case oldSize == newSize || oldSize == 0:
		if len(proof) != 0 {
			return fmt.Errorf("%w: sizes %d and %d need an empty proof, got %d hashes", ErrNotConsistent, oldSize, newSize, len(proof))
		}
		if oldSize == newSize && oldRoot != newRoot {
			return fmt.Errorf("%w: two roots for size %d: %s and %s", ErrNotConsistent, oldSize, short(oldRoot), short(newRoot))
		}
		return nil
	case len(proof) == 0:
		return fmt.Errorf("%w: empty proof from %d to %d", ErrNotConsistent, oldSize, newSize)
	}
	if oldSize&(oldSize-1) == 0 { // a complete subtree: the old root is the proof's start
		proof = append([][32]byte{oldRoot}, proof...)
	}
	fn, sn := oldSize-1, newSize-1
	for fn&1 == 1 {
		fn, sn = fn>>1, sn>>1
	}
	fr, sr := proof[0], proof[0]
	for _, c := range proof[1:] {
		if sn == 0 {
			return fmt.Errorf("%w: proof from %d to %d is too long", ErrNotConsistent, oldSize, newSize)
		}
		if fn&1 == 1 || fn == sn {
			fr, sr = nodeHash(c, fr), nodeHash(c, sr)
			for fn&1 == 0 && fn != 0 {
				fn, sn = fn>>1, sn>>1
			}
		} else {
			sr = nodeHash(sr, c)
		}
		fn, sn = fn>>1, sn>>1
	}
	if sn != 0 || fr != oldRoot || sr != newRoot {
		return fmt.Errorf("%w: proof does not lead from (%d, %s) to (%d, %s)",
			ErrNotConsistent, oldSize, short(oldRoot), newSize, short(newRoot))
	}
	return nil
}
