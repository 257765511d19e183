// Package diary owns the work diary's unit: the 10-minute segment with its
// per-minute activity, apps, screenshots and memo, and the pure rules over
// segments (slots, totals, queries, curation). It does no I/O.
package diary
