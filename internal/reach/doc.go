// Package reach finds a counterpart wherever it is on the internet: the
// rendezvous key two parties of a contract derive and nobody else can,
// the bootstrap peers of the public libp2p DHT, publishing this node's
// addresses under its keys and looking a counterpart up under them.
package reach
