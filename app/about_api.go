package app

import "github.com/workdiary/workdiary/internal/version"

// AboutAPI is what the app says about itself in its About view.
type AboutAPI struct{}

// Version returns this build's version, commit and build date, the same as
// `workdiary version --json`.
func (AboutAPI) Version() version.Info {
	return version.Get()
}
