package app

import (
	"errors"

	"github.com/workdiary/workdiary/internal/identity"
)

// IdentityView is the identity as the onboarding and Settings screens show
// it. Exists is false on first run, before the user chose a name.
type IdentityView struct {
	Exists       bool   `json:"exists"`
	Name         string `json:"name"`
	PeerID       string `json:"peer_id"`
	Fingerprint  string `json:"fingerprint"`
	SSHPublicKey string `json:"ssh_public_key"`
	DataFolder   string `json:"data_folder"`
}

// IdentityAPI is bound to the frontend's identity store.
type IdentityAPI struct {
	app *App
}

// Get returns the identity, or a view with Exists=false on first run.
func (s *IdentityAPI) Get() (IdentityView, error) {
	n := s.app.n()
	info, err := n.IdentityInfo()
	if errors.Is(err, identity.ErrNoIdentity) {
		return IdentityView{DataFolder: n.Home}, nil
	}
	if err != nil {
		return IdentityView{}, err
	}
	return IdentityView{Exists: true, Name: info.Name, PeerID: info.PeerID, Fingerprint: info.Fingerprint,
		SSHPublicKey: info.SSHPublicKey, DataFolder: info.DataFolder}, nil
}

// Create makes the identity during onboarding.
func (s *IdentityAPI) Create(name string) (IdentityView, error) {
	if _, err := s.app.n().CreateIdentity(name); err != nil {
		return IdentityView{}, err
	}
	return s.Get()
}
