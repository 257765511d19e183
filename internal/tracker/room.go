package tracker

import "github.com/workdiary/workdiary/internal/capture"

// roomer is a blob folder that can tell ahead whether images of the given
// sizes, and the record that refers to them, still fit on its disk
// (store.GuardedBlobs).
type roomer interface {
	Room(sizes ...int) error
}

// webcamAllowance is room kept for a webcam photo taken with the shots,
// whose size is only known once it is taken.
const webcamAllowance = 512 << 10

// roomFor checks that a whole moment's images fit before any is written:
// an image stored for a segment that then cannot be saved would stay on
// disk in no segment, where the contractor could neither see nor delete
// it. Deleting it afterwards is no way out, because the same image (a
// screen that did not change) may belong to another segment.
func (t *Tracker) roomFor(shots []capture.Shot) error {
	r, ok := t.Blobs.(roomer)
	if !ok {
		return nil
	}
	var sizes []int
	for _, s := range shots {
		sizes = append(sizes, len(s.Full), len(s.Thumb))
	}
	if t.Webcam != nil && t.Policy.Webcam {
		sizes = append(sizes, webcamAllowance)
	}
	return r.Room(sizes...)
}
