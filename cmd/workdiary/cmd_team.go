package main

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/owner"
)

// runTeam is the employer's view: each contractor's synced hours today
// (the local day) and this contract week, and how the sync stands.
func runTeam(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "team", "[--json]")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	rows, err := do(ctx, e, "workdiary team", node.OpTeamList, node.None{})
	if err != nil {
		return err
	}
	if *asJSON {
		return e.printJSON(rows)
	}
	if len(rows) == 0 {
		fmt.Fprintln(e.stdout, "Nobody works on your contracts yet. Offer one with `workdiary contract offer`.")
		return nil
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "CONTRACT\tTITLE\tCONTRACTOR\tSTATE\tTODAY\tWEEK\tLIMIT\tACTIVITY\tLAST SYNC")
	for _, r := range rows {
		limit, last := "none", "never"
		if r.WeeklyLimitHours > 0 {
			limit = fmt.Sprintf("%d h", r.WeeklyLimitHours)
		}
		if !r.LastSync.IsZero() {
			last = r.LastSync.Local().Format("2006-01-02 15:04")
		}
		if r.SyncError != "" {
			last += " (" + r.SyncError + ")"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d %%\t%s\n", r.Contract[:8], r.Title, r.Contractor, r.State,
			hoursMinutes(r.TodayMinutes), hoursMinutes(r.WeekMinutes), limit, r.ActivityPercent, last)
	}
	return w.Flush()
}

func hoursMinutes(m int) string { return fmt.Sprintf("%d:%02d h", m/60, m%60) }

// runServeStatus asks the folder's owner (the desktop app or `workdiary
// serve`) how it stands; without one it says so.
func runServeStatus(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "serve status", "[--json]")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	home, err := e.resolveHome()
	if err != nil {
		return err
	}
	s, err := node.OpOwnerStatus.Ask(ctx, home, node.None{})
	if errors.Is(err, owner.ErrNoOwner) {
		s = node.OwnerStatus{DataFolder: home, Addrs: []string{}, Sync: []node.SyncState{}}
	} else if err != nil {
		return err
	}
	if *asJSON {
		return e.printJSON(s)
	}
	if !s.Running {
		fmt.Fprintf(e.stdout, "Nothing runs on %s: start the app or `workdiary serve`.\n", home)
		return nil
	}
	fmt.Fprintf(e.stdout, "%s (pid %d) runs on %s\n", s.Owner, s.PID, s.DataFolder)
	if !s.Online {
		fmt.Fprintln(e.stdout, "not on the network")
	}
	for _, a := range s.Addrs {
		fmt.Fprintf(e.stdout, "  %s/p2p/%s\n", a, s.PeerID)
	}
	if s.Tracking {
		fmt.Fprintln(e.stdout, "tracking (see `workdiary track status`)")
	}
	for _, st := range s.Sync {
		last := "never"
		if !st.Last.IsZero() {
			last = st.Last.Local().Format("2006-01-02 15:04")
		}
		fmt.Fprintf(e.stdout, "sync %q (%s): last %s", st.Title, st.Role, last)
		if st.Error != "" {
			fmt.Fprintf(e.stdout, ", %s", st.Error)
		}
		fmt.Fprintln(e.stdout)
	}
	return nil
}
