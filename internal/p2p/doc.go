// Package p2p owns the libp2p host: transports, security, limits, who may
// connect, and framed streams.
//
// A Host listens on TCP and QUIC, secures every connection with Noise or
// TLS under the installation's identity key, and admits only the peers its
// consumer allows (see Allower) plus one-time pairing guests (see
// Host.ExpectPairing). Addresses learned from peers are kept in the store so
// that a counterpart can be found again after a restart. Protocols exchange
// length-prefixed frames (see ReadFrame) with a size cap and a deadline on
// every read and write.
//
// The gate decides who may hold a connection, not what they may read: a
// protocol handler must still check that the peer is party to what it asks
// for.
package p2p
