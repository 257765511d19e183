// Package agent owns the resident agent: the process that keeps a data
// folder's node running while no window is open (recording, sync,
// receiving), with its tray icon, desktop notifications and autostart
// entry, and that hands the folder to a window when one opens.
package agent
