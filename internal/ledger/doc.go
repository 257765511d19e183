// Package ledger owns a contract's tamper-evident log: the signed entries a
// contractor approves (COSE_Sign1 over deterministic CBOR), the hash chain and
// the rules that link them, the RFC 6962 Merkle tree over them, and the
// checkpoints (C2SP signed notes) that both parties sign to pin a shared past.
//
// The package is pure: no I/O, no clocks. Times are passed in as Unix seconds
// and storage is reached through the small History interface, so the same code
// runs in the tracker, the sync receiver and the offline verifier.
//
// docs/format.md specifies every byte; testdata/ledger holds its test vectors.
package ledger
