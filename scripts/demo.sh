#!/usr/bin/env bash
# The Workdiary story on one machine, for a newcomer: real binaries, a real
# data folder, a real X display (a private Xvfb when there is none), and
# screenshots of the desktop app saved to demo-out/.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${DISPLAY:-}" ] && [ -z "${WORKDIARY_DEMO_DISPLAY:-}" ]; then
  export WORKDIARY_DEMO_DISPLAY=1
  exec scripts/with-display.sh "$0" "$@"
fi

bin=$PWD/build/bin
out=$PWD/demo-out
rm -rf "$out"
mkdir -p "$out"
step() { printf '\n==> %s\n' "$*"; }

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

wait_window() { # title, seconds
  local i
  for ((i = 0; i < $2 * 4; i++)); do
    if id=$(xdotool search --onlyvisible --name "$1" 2>/dev/null | head -n1) && [ -n "$id" ]; then
      echo "$id"; return 0
    fi
    sleep 0.25
  done
  echo "demo: no window named $1 appeared within $2 s" >&2
  return 1
}

step "Contractor: a fresh data folder and identity"
contractor=$out/contractor-home
"$bin/workdiary" --home "$contractor" init --name "Ada Contractor"

step "Contractor: the desktop app opens on that folder (display $DISPLAY)"
"$bin/workdiary-app" --home "$contractor" >"$out/contractor-app.log" 2>&1 &
pids+=($!)
win=$(wait_window '^Workdiary$' 60)
sleep 2
import -window "$win" "$out/contractor-app.png"
echo "window $win is up; screenshot saved"

step "The CLI reaches the running app through its control socket"
"$bin/workdiary" --home "$contractor" id --json | tee "$out/contractor-id.json"

cat <<SUMMARY

Done. What to look at:
  $out/contractor-app.png   the desktop app's window
  $out/contractor-id.json   the identity, as \`workdiary id --json\` reports it
  $contractor               the data folder (key, Badger store, settings)
SUMMARY
