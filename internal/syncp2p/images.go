package syncp2p

import (
	"bytes"
	"fmt"
	"image"
	_ "image/jpeg" // screenshots and webcam photos (internal/capture)
	_ "image/png"
	"slices"

	_ "golang.org/x/image/webp"

	"github.com/workdiary/workdiary/internal/ledger"
)

// imageFormats are the formats an image of an entry may be in: what the
// capture writes (JPEG) and the two other formats a webcam or a later
// encoder may give. Anything else is not an image the employer keeps.
var imageFormats = []string{"jpeg", "png", "webp"}

// checkImage says whether b is the image an entry commits to: its
// SHA-256, its size, and a header that decodes as JPEG, PNG or WebP with
// the width and height the entry states (docs/format.md §2.2). Only the
// header is decoded, so checking costs next to nothing; the pixels are
// the contractor's, signed by hash like the rest.
func checkImage(img ledger.Image, got ledger.ImageHash, b []byte) error {
	h := img.SHA256
	switch {
	case got != h:
		return fmt.Errorf("%w: image %x: the bytes have another hash", ErrBadImage, h[:6])
	case uint64(len(b)) != img.Size:
		return fmt.Errorf("%w: image %x is %d bytes, its entry says %d", ErrBadImage, h[:6], len(b), img.Size)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
	switch {
	case err != nil || !slices.Contains(imageFormats, format):
		return fmt.Errorf("%w: image %x is not a JPEG, PNG or WebP image (%v)", ErrBadImage, h[:6], err)
	case cfg.Width != int(img.Width) || cfg.Height != int(img.Height):
		return fmt.Errorf("%w: image %x is a %s of %d×%d pixels, its entry says %d×%d",
			ErrBadImage, h[:6], format, cfg.Width, cfg.Height, img.Width, img.Height)
	}
	return nil
}

// stageChecked keeps b aside when it is the image img names, and drops it
// again when it is not.
func stageChecked(stage ImageStage, img ledger.Image, b []byte) error {
	got, err := stage.Add(b)
	if err != nil {
		return fmt.Errorf("keep image %x: %w", img.SHA256[:6], err)
	}
	return checkImage(img, got, b)
}
