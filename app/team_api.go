package app

import (
	"fmt"
	"time"

	"github.com/workdiary/workdiary/internal/node"
)

// TeamAPI is bound to the frontend's team store: the employer's side.
type TeamAPI struct {
	app *App
}

// TeamRow is one contractor in the team view.
type TeamRow = node.TeamRow

// List returns every contract this installation employs on.
func (s *TeamAPI) List() ([]TeamRow, error) {
	return s.app.n().Team()
}

// Diary returns a contractor's synced diary in [from, to) (RFC 3339),
// read-only.
func (s *TeamAPI) Diary(contract, from, to string) ([]Segment, error) {
	f, err := time.Parse(time.RFC3339, from)
	if err != nil {
		return nil, fmt.Errorf("from %q: %w", from, err)
	}
	t, err := time.Parse(time.RFC3339, to)
	if err != nil {
		return nil, fmt.Errorf("to %q: %w", to, err)
	}
	return s.app.n().ReceivedDiary(contract, f, t)
}

// SyncNow runs one sync round with every counterpart.
func (s *TeamAPI) SyncNow() ([]node.SyncResult, error) {
	res, err := s.app.n().Sync(s.app.ctx, node.SyncParams{}, nil)
	if res == nil {
		res = []node.SyncResult{}
	}
	return res, err
}
