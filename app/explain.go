package app

import (
	"errors"
	"fmt"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/node"
)

// explain adds what to do in the window to an error the person can act on:
// the domain says what happened, the window what to press (the command
// line words the same conditions for a terminal).
func explain(err error) error {
	if errors.Is(err, node.ErrAlreadyTracking) {
		return fmt.Errorf("%w; stop it first with Stop", err)
	}
	if errors.Is(err, contract.ErrPaused) {
		return fmt.Errorf("%w; Resume it under Details on the Contracts screen", err)
	}
	return err
}
