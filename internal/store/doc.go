// Package store owns what Workdiary keeps on disk: records in a Badger
// database and images as content-addressed files beside it.
package store
