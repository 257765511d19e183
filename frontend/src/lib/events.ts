// Event names the Go backend emits to the UI, as `domain:verb`.
// Go mirrors every constant here in app/events.go; change both together.

/** Emitted by Go after a new identity was created and saved. */
export const IDENTITY_CREATED = 'identity:created';
