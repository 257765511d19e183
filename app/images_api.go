package app

import (
	"encoding/base64"
	"net/http"

	"github.com/workdiary/workdiary/internal/store"
)

// ImagesAPI hands stored screenshots to the window as data: URLs, which
// work the same in the desktop window and in a browser against `wails dev`.
type ImagesAPI struct {
	app *App
}

// DataURL returns the image with this hash as a data: URL.
func (s *ImagesAPI) DataURL(hash string) (string, error) {
	h, err := store.ParseHash(hash)
	if err != nil {
		return "", err
	}
	b, err := s.app.n().Store().Blobs.Get(h)
	if err != nil {
		return "", err
	}
	return "data:" + http.DetectContentType(b) + ";base64," + base64.StdEncoding.EncodeToString(b), nil
}
