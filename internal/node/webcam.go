package node

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/workdiary/workdiary/internal/capture"
	"github.com/workdiary/workdiary/internal/config"
	"github.com/workdiary/workdiary/internal/contract"
)

// ErrWebcamNotAllowed: the contract does not allow webcam photos (or this
// installation is its employer), so they cannot be switched on.
var ErrWebcamNotAllowed = errors.New("webcam photos are not part of this contract")

// WebcamParams are the parameters of OpWebcamSet: the contractor's opt-in
// on one contract, and the camera to use ("" = the first that works).
type WebcamParams struct {
	Contract string `json:"contract"`
	On       bool   `json:"on"`
	Device   string `json:"device,omitempty"`
}

// WebcamState is a contract's webcam switch as the Tracker screen shows it.
type WebcamState struct {
	Contract string `json:"contract"`
	// Allowed: the contract lets the contractor switch photos on.
	Allowed bool   `json:"allowed"`
	On      bool   `json:"on"`
	Device  string `json:"device"`
}

// WebcamStatus reports a contract's webcam switch.
func (n *Node) WebcamStatus(ref string) (WebcamState, error) {
	c, err := n.Contracts().Resolve(ref)
	if err != nil {
		return WebcamState{}, err
	}
	cfg := n.Config()
	id := c.ID().String()
	allowed := webcamAllowed(c)
	return WebcamState{Contract: id, Allowed: allowed, On: allowed && slices.Contains(cfg.WebcamContracts, id), Device: cfg.WebcamDevice}, nil
}

func webcamAllowed(c *contract.Contract) bool {
	return c.Role == contract.RoleContractor && c.Offer.Webcam == contract.WebcamOptional
}

// SetWebcam switches webcam photos on or off for a contract that allows
// them, and chooses the camera. A running session takes the camera at its
// next photo; switching photos on or off applies when tracking next starts,
// since the contractor agreed to the session as it began.
func (n *Node) SetWebcam(p WebcamParams) (WebcamState, error) {
	c, err := n.Contracts().Resolve(p.Contract)
	if err != nil {
		return WebcamState{}, err
	}
	if p.On && !webcamAllowed(c) {
		return WebcamState{}, fmt.Errorf("contract %s: %w", c.ID().Short(), ErrWebcamNotAllowed)
	}
	id := c.ID().String()
	err = n.changeConfig(func(cfg config.Config) (config.Config, error) {
		cfg.WebcamContracts = slices.DeleteFunc(slices.Clone(cfg.WebcamContracts), func(s string) bool { return s == id })
		if p.On {
			cfg.WebcamContracts = append(cfg.WebcamContracts, id)
		}
		cfg.WebcamDevice = p.Device
		return cfg, nil
	})
	if err != nil {
		return WebcamState{}, err
	}
	return n.WebcamStatus(id)
}

// Cameras lists the video capture devices to choose from.
func (n *Node) Cameras(context.Context) ([]capture.Camera, error) {
	return capture.Cameras()
}

// WebcamPreview takes one photo with device ("" = the first that works),
// for the live preview; it is shown, never stored.
func (n *Node) WebcamPreview(ctx context.Context, device string) ([]byte, error) {
	return capture.WebcamFrom(ctx, device)
}
