package app

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/workdiary/workdiary/internal/capture"
	"github.com/workdiary/workdiary/internal/node"
)

// WebcamAPI is bound to the Tracker screen's webcam switch: the cameras,
// a live preview and the contractor's opt-in on a contract.
type WebcamAPI struct {
	app *App
}

// Camera is a video capture device to choose from.
type Camera = capture.Camera

// WebcamState is a contract's webcam switch.
type WebcamState = node.WebcamState

// Cameras lists the cameras; an empty list when there is none.
func (s *WebcamAPI) Cameras() ([]Camera, error) {
	return node.OpWebcamCameras.Run(s.app.ctx, s.app.n(), node.None{})
}

// Status reports a contract's switch.
func (s *WebcamAPI) Status(contract string) (WebcamState, error) {
	return node.OpWebcamStatus.Run(s.app.ctx, s.app.n(), node.WebcamParams{Contract: contract})
}

// Set switches photos on or off for a contract and picks the camera.
func (s *WebcamAPI) Set(contract string, on bool, device string) (WebcamState, error) {
	return node.OpWebcamSet.Run(s.app.ctx, s.app.n(), node.WebcamParams{Contract: contract, On: on, Device: device})
}

// Preview takes one photo with device ("" = the first that works) as a
// data: URL, for the preview; nothing is stored.
func (s *WebcamAPI) Preview(device string) (string, error) {
	ctx, cancel := context.WithTimeout(s.app.ctx, 6*time.Second)
	defer cancel()
	b, err := s.app.n().WebcamPreview(ctx, device)
	if err != nil {
		return "", explainCamera(err)
	}
	return "data:image/jpeg;base64," + base64.StdEncoding.EncodeToString(b), nil
}

// explainCamera words a camera failure for the window: what happened and
// what to try.
func explainCamera(err error) error {
	switch {
	case errors.Is(err, capture.ErrNoCamera):
		return fmt.Errorf("no camera found: connect one (or check that no other app holds it) and try again")
	case errors.Is(err, capture.ErrCameraFormat):
		return fmt.Errorf("this camera sends a picture format Workdiary cannot read (neither MJPEG nor YUYV): choose another camera")
	}
	return err
}
