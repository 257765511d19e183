// Package internal holds Workdiary's domain, one package per concept; this
// directory's own test checks the dependency rules between them.
package internal
