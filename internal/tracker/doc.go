// Package tracker owns the recording loop: it turns per-minute activity,
// sampled windows and screenshots into the 10-minute segments of the work
// diary, handles idle time and the weekly limit, and makes every finished
// minute durable. It reaches input, capture and storage through the small
// interfaces it declares.
package tracker
