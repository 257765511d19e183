// Package syncstore owns the storage side of sync: it implements
// syncp2p.Sender (the contractor's own logs) and syncp2p.Receiver (the
// employer's copies of its contractors' logs) over the Badger store, the
// contract registry and the installation's identity. Everything it needs
// is handed to New; it tells its owner about changes through the
// callbacks in Deps and never announces anything itself.
package syncstore
