package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"time"
)

// terminalIdle is `track --idle ask`: the idle question is printed, and a
// line on standard input answers it (keep or discard) whenever the person
// comes to it, while the tracker goes on recording. Stopped unanswered,
// the idle minutes stay marked in the diary and the next run asks again.
type terminalIdle struct {
	out   io.Writer
	lines <-chan string
}

func newTerminalIdle(out io.Writer, in io.Reader) *terminalIdle {
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(in)
		for sc.Scan() {
			lines <- strings.ToLower(strings.TrimSpace(sc.Text()))
		}
	}()
	return &terminalIdle{out: out, lines: lines}
}

func (a *terminalIdle) KeepIdle(ctx context.Context, from, to time.Time) (keep, answered bool) {
	if ctx.Err() != nil {
		return false, false
	}
	fmt.Fprintf(a.out, "%s  idle-question: you were idle from %s to %s. Keep this time? Type keep or discard.\n",
		to.Format("15:04:05"), from.Format("15:04"), to.Format("15:04"))
	for {
		select {
		case <-ctx.Done():
			return false, false
		case l := <-a.lines:
			switch l {
			case "k", "keep":
				return true, true
			case "d", "discard":
				return false, true
			}
			fmt.Fprintln(a.out, "Type keep or discard.")
		}
	}
}
