// Package timesheet owns weekly timesheets: the totals computed from a
// contract's signed log, the signed timesheet document, the export bundle
// (zip, PDF, CSV and a detached OpenSSH signature) and its offline
// verification.
//
// A timesheet is a pure function of signed inputs: the offer, the
// acceptance, an optional end of contract and the contractor's log from
// seq 1. Build computes it; Export signs it and writes the bundle;
// VerifyBundle recomputes it from the bundle alone and demands the same
// bytes. The billing rules are in rules.go and in docs/verify.md.
package timesheet
