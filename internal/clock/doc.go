// Package clock owns the notion of "now" for the whole program, so that tests
// can move time by hand and demos can run it faster than the wall clock.
package clock
