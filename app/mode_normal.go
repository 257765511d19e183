//go:build !bindings

package app

// GeneratingBindings is true only in the Wails binding-generation build.
const GeneratingBindings = false
