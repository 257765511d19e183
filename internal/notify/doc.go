// Package notify owns desktop notifications: showing one through the
// desktop's notification server (org.freedesktop.Notifications on the
// session D-Bus) and hearing which of its actions the person chose.
package notify
