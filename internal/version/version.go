package version

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// Set at link time, e.g.
// -ldflags "-X github.com/workdiary/workdiary/internal/version.version=0.1.0".
// Left empty, Get falls back to the build information.
var (
	version string
	commit  string
	date    string
)

// Dev is the version of a build that was not given one.
const Dev = "dev"

// Info describes one build. Modified is true when the working tree had
// uncommitted changes (known only from the toolchain's build information).
type Info struct {
	Version  string `json:"version"`
	Commit   string `json:"commit"`
	Date     string `json:"date"`
	Modified bool   `json:"modified,omitempty"`
	Go       string `json:"go"`
	Platform string `json:"platform"`
}

// Get returns this build's information.
func Get() Info {
	bi, _ := debug.ReadBuildInfo()
	return resolve(version, commit, date, bi)
}

// resolve prefers the link-time values and fills what is missing from the
// toolchain's build information.
func resolve(v, c, d string, bi *debug.BuildInfo) Info {
	info := Info{Version: v, Commit: c, Date: d, Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi != nil {
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if info.Commit == "" {
					info.Commit = s.Value
				}
			case "vcs.time":
				if info.Date == "" {
					info.Date = s.Value
				}
			case "vcs.modified":
				info.Modified = s.Value == "true" && c == ""
			}
		}
		if info.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			info.Version = bi.Main.Version
		}
	}
	if info.Version == "" {
		info.Version = Dev
	}
	return info
}

// String is the one line `workdiary --version` prints, e.g.
// "workdiary 0.1.0 (commit 1a2b3c4d5e6f, built 2026-12-04T23:00:00Z, linux/amd64)".
func (i Info) String() string {
	c := i.Commit
	if len(c) > 12 {
		c = c[:12]
	}
	if c == "" {
		c = "unknown"
	}
	if i.Modified {
		c += "+changes"
	}
	d := i.Date
	if d == "" {
		d = "unknown"
	}
	return fmt.Sprintf("%s (commit %s, built %s, %s, %s)", i.Version, c, d, i.Platform, i.Go)
}
