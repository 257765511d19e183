// Package displaytest gives tests a real X display: the one in DISPLAY when
// it answers, or a private Xvfb with the openbox window manager started for
// the test binary and stopped when it exits; and the windows tests open on
// it, where they are, and what their pixels show.
package displaytest
