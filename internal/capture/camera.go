package capture

// Camera is a video capture device a person can choose for webcam photos.
type Camera struct {
	Device string `json:"device"` // e.g. /dev/video0
	Name   string `json:"name"`   // what the driver calls it
	// Problem says why the device cannot be used (e.g. no permission);
	// empty when it can.
	Problem string `json:"problem,omitempty"`
}
