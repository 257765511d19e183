// Package syncp2p owns Workdiary's sync protocols: the contractor sends the
// approved entries of a contract's log that the employer lacks, the
// employer verifies everything (signature, chain, terms, image hashes) and
// commits each batch atomically (an entry that only breaks a term is kept
// as refused, and the acknowledgement says which and why), then cosigns
// the contractor's checkpoint as a receipt; images travel by hash on their own protocol; an invite's
// acceptance is delivered on the pairing protocol. The node supplies
// storage through the interfaces declared here.
package syncp2p
