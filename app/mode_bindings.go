//go:build bindings

package app

// GeneratingBindings is true when `wails build` / `wails generate module`
// runs the program only to read its bound methods: then no data folder may
// be opened or created.
const GeneratingBindings = true
