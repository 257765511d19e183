package app

import "github.com/workdiary/workdiary/internal/node"

// Event names sent to the frontend, `domain:verb`. frontend/src/lib/events.ts
// mirrors them; a test checks the two lists agree.
const (
	EventIdentityCreated   = node.TopicIdentityCreated
	EventContractsChanged  = node.TopicContractsChanged
	EventSyncChanged       = node.TopicSyncChanged
	EventSyncProgress      = node.TopicSyncProgress
	EventTrackerMinute     = "tracker:minute"
	EventTrackerScreenshot = "tracker:screenshot"
	EventTrackerIdle       = "tracker:idle"
	EventTrackerLimit      = "tracker:limit"
	EventTrackerProblem    = "tracker:problem"
	EventTrackerStopped    = "tracker:stopped"
	EventDiaryChanged      = node.TopicDiaryChanged
	EventSettingsAgent     = node.TopicAgentSettings
)

// Events lists every event name, for that test.
var Events = []string{EventIdentityCreated, EventContractsChanged, EventTrackerMinute, EventTrackerScreenshot,
	EventTrackerIdle, EventTrackerLimit, EventTrackerProblem, EventTrackerStopped, EventDiaryChanged, EventSyncChanged,
	EventSyncProgress, EventSettingsAgent}
