#!/usr/bin/env bash
# Runs a command with an X display: the session's own when DISPLAY is set,
# otherwise a private Xvfb with the openbox window manager (windows only get
# focus and titles under a window manager), stopped afterwards.
set -euo pipefail
if [ -n "${DISPLAY:-}" ]; then
  exec "$@"
fi
fifo=$(mktemp -u)
mkfifo "$fifo"
exec 3<>"$fifo"
rm -f "$fifo"
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
read -r -t 15 num <&3 || { echo "with-display: Xvfb did not start" >&2; kill $xvfb 2>/dev/null; exit 1; }
export DISPLAY=":$num"
openbox --sm-disable >/dev/null 2>&1 &
wm=$!
cleanup() { kill $wm $xvfb 2>/dev/null || true; wait $wm $xvfb 2>/dev/null || true; }
trap cleanup EXIT
sleep 0.3
"$@"
