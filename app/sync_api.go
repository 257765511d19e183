package app

import "github.com/workdiary/workdiary/internal/node"

// SyncState is one contract's counterpart and last sync, for every role.
type SyncState = node.SyncState

// SyncStates reports, per contract, whether the counterpart is online, the
// last sync and why it failed, if it did.
func (s *ContractsAPI) SyncStates() ([]SyncState, error) {
	st, err := s.app.n().SyncStates()
	if st == nil {
		st = []SyncState{}
	}
	return st, err
}

// SyncNow runs one sync round with every counterpart and reports each.
func (s *ContractsAPI) SyncNow() ([]node.SyncResult, error) {
	return s.app.Team.SyncNow()
}
