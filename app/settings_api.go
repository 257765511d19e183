package app

import (
	"github.com/workdiary/workdiary/internal/capture"
	"github.com/workdiary/workdiary/internal/node"
)

// SettingsAPI is bound to the frontend's settings store: the settings of
// config.json, changed one at a time through the same op as
// `workdiary config set`.
type SettingsAPI struct {
	app *App
}

// Settings is every setting as text, with the data folder's disk use.
type Settings = node.Settings

// SettingResult is a setting as saved and when it applies.
type SettingResult = node.SettingResult

// RunningApp is an app with a window on screen.
type RunningApp = capture.App

// Get returns the current settings.
func (s *SettingsAPI) Get() (Settings, error) {
	return node.OpConfigGet.Run(s.app.ctx, s.app.n(), node.None{})
}

// Set changes one setting. A refused value comes back as an error whose
// text starts with the setting's key, so the window shows it by its field.
func (s *SettingsAPI) Set(key, value string) (SettingResult, error) {
	return node.OpConfigSet.Run(s.app.ctx, s.app.n(), node.SettingParams{Key: key, Value: value})
}

// RunningApps lists the apps with a window on screen, to pick from.
func (s *SettingsAPI) RunningApps() ([]RunningApp, error) {
	return node.OpConfigApps.Run(s.app.ctx, s.app.n(), node.None{})
}
