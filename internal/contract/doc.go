// Package contract owns the agreement between an employer and a contractor:
// the signed offer and its terms, the invite code that carries it, the
// contractor's signed acceptance, later signed changes (a new weekly limit,
// the end of the contract), the plain-language consent text, the rules the
// terms set for each entry of the contractor's log, and the registry of
// this installation's contracts in the store.
//
// Every record is a COSE_Sign1 over deterministic CBOR with small integer
// keys (see internal/cose). Field 0 of every payload is the record kind and
// field 1 its version, so an acceptance can never be read as an offer and a
// record from a newer release is reported as such instead of as garbage.
// The exact signed bytes are kept and sent; nothing is re-encoded before it
// is verified.
//
// A contract's ID is the SHA-256 of the exact signed offer bytes, so both
// sides derive the same ID without trusting each other.
package contract
