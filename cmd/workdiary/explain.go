package main

import (
	"errors"
	"fmt"

	"github.com/workdiary/workdiary/internal/config"
	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/owner"
)

// advice words the conditions the domain reports for a person at a
// terminal: what to run next. The domain says what happened; the command
// line says what to do about it here (the desktop app words the same
// conditions for its window). The order is fixed: the first condition an
// error carries decides.
var advice = []struct {
	err  error
	what string
}{
	{node.ErrUnknownOp, "the running Workdiary is older than this command: quit it and start the updated one"},
	{identity.ErrNoIdentity, "run `workdiary init --name NAME` or open the desktop app"},
	{node.ErrAlreadyTracking, "stop it first (`workdiary track stop`, or Stop in the app)"},
	{contract.ErrNotFound, "see `workdiary contract list`"},
	{contract.ErrPaused, "resume it with `workdiary contract resume ID` (either party may)"},
	{contract.ErrNoDispute, "`workdiary contract show ID` lists the disputes and their IDs"},
	{node.ErrNothingToApprove, "give --all, --through TIME, or segment IDs"},
	{owner.ErrBusy, "close it first, or use --home to pick another data folder"},
	{config.ErrUnknownKey, "see `workdiary config get`"},
}

// explain adds what to do to an error a person can act on.
func explain(err error) error {
	if err == nil {
		return nil
	}
	for _, a := range advice {
		if errors.Is(err, a.err) {
			return fmt.Errorf("%w; %s", err, a.what)
		}
	}
	return err
}
