// Package cose owns the signed-record envelope used everywhere in Workdiary:
// a COSE_Sign1 message (RFC 9052) signed with Ed25519 over a deterministic
// CBOR payload. Offers, acceptances and log entries are all carried in it.
package cose
