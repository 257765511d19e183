// Package diarydb owns how diary segments are kept in the store: one record
// per contract and slot, plus a time index for queries across contracts.
package diarydb
