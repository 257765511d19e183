// Package notifytest owns a desktop's notification side for tests: a
// session D-Bus of the test's own and a notification server on it that
// records what it is asked to show and answers as a person would.
package notifytest
