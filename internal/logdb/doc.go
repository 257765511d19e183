// Package logdb owns how contract logs are kept in the store: the exact
// signed bytes of every entry, the indexes the chain rules need (summaries
// by seq, the live entry per segment start, Merkle leaves), the head, the
// latest checkpoints, and how far the contractor's diary is marked synced.
// The contractor's own log and the employer's received copy are kept the
// same way.
package logdb
