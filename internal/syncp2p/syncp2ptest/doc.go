// Package syncp2ptest owns the conformance suite of sync's storage
// interfaces (syncp2p.Sender, syncp2p.Receiver): one set of checks, run
// against every implementation (the in-memory fake of syncp2p's tests
// and the store-backed syncstore), so that what a protocol test learns
// from the fake holds for the real store.
package syncp2ptest
