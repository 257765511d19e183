package main

import (
	"flag"
	"log/slog"
	"os"

	"github.com/workdiary/workdiary/internal/node"
)

// logFlags are --log-level and --log-format, for the commands that keep
// running (serve): what they log goes to stderr.
type logFlags struct {
	level, format *string
}

func addLogFlags(fs *flag.FlagSet) logFlags {
	return logFlags{
		level: fs.String("log-level", os.Getenv(node.EnvLogLevel),
			"what to log: debug, info, warn or error (default $"+node.EnvLogLevel+", else warn)"),
		format: fs.String("log-format", "text", "how to log: text or json"),
	}
}

// logger is the logger the flags ask for, writing to e's stderr.
func (f logFlags) logger(e *env) (*slog.Logger, error) {
	return node.NewLogger(e.stderr, *f.level, *f.format)
}
