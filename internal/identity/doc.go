// Package identity owns the installation's Ed25519 key: created once on
// first run, stored with owner-only permissions, never overwritten. The same
// key is the libp2p identity (its peer ID names the installation), signs
// every record, and is shown as an OpenSSH public key for third parties.
package identity
