package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/workdiary/workdiary/internal/node"
)

// runContractWeeks lists a contract's weeks, newest first: open, closing
// or closed, the close both parties signed and the disputes of each.
func runContractWeeks(ctx context.Context, e *env, args []string) error {
	id, asJSON, err := contractArg(e, "weeks", args)
	if err != nil {
		return err
	}
	weeks, err := do(ctx, e, "workdiary contract weeks", node.OpContractWeeks, node.WeeksParams{Contract: id})
	if err != nil {
		return err
	}
	if asJSON {
		return e.printJSON(weeks)
	}
	if len(weeks) == 0 {
		fmt.Fprintln(e.stdout, "No weeks yet: the contract has not been accepted.")
	}
	for _, w := range weeks {
		printWeek(e.stdout, w)
	}
	return nil
}

func printWeek(out io.Writer, w node.WeekView) {
	line := fmt.Sprintf("%s (%s)  ", w.Week, w.Start.UTC().Format(time.DateOnly))
	switch {
	case w.State == node.WeekClosed && w.Cosigned:
		line += fmt.Sprintf("closed at log size %d, cosigned by both", w.ClosedSize)
	case w.State == node.WeekClosed:
		line += "closed, waiting for both signatures on its close (next sync)"
	case w.State == node.WeekClosing:
		line += "closing at " + stamp(*w.Deadline)
	case w.Deadline != nil:
		line += "open, closes at " + stamp(*w.Deadline)
	default:
		line += "open (this contract's weeks never close)"
	}
	if w.Unapproved > 0 {
		line += fmt.Sprintf("; %d segments still unapproved", w.Unapproved)
	}
	switch {
	case w.ReviewUntil == nil:
	case w.Reviewing:
		line += "; disputes until " + stamp(*w.ReviewUntil)
	default:
		line += "; review window ended " + stamp(*w.ReviewUntil)
	}
	fmt.Fprintln(out, line)
	for _, x := range w.Disputes {
		fmt.Fprintf(out, "  dispute %s, %d min: %s\n", x.ID[:12], x.Minutes, x.Reason)
		for _, a := range x.Answers {
			fmt.Fprintf(out, "    answered %s: %s\n", stamp(a.At), a.Text)
		}
	}
}
