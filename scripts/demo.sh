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

wd() { "$bin/workdiary" "$@"; }
# Real libp2p on this machine's loopback only: no LAN discovery or router mapping.
export WORKDIARY_LOCAL_ONLY=1
employer=$out/employer-home
contractor=$out/contractor-home

step "Two installations on this machine: an employer and a contractor (separate data folders)"
wd --home "$employer" init --name "Erin Employer" | sed 's/^/  /'
wd --home "$contractor" init --name "Ada Contractor" | sed 's/^/  /'

step "Employer's node comes up headless (workdiary serve) on loopback"
"$bin/workdiary" --home "$employer" serve --listen /ip4/127.0.0.1/tcp/0 --listen /ip4/127.0.0.1/udp/0/quic-v1 --every 5s >"$out/employer-serve.log" 2>&1 &
serve=$!
pids+=($serve)
for _ in $(seq 1 50); do grep -q "Serving" "$out/employer-serve.log" 2>/dev/null && break; sleep 0.2; done
sed 's/^/  /' "$out/employer-serve.log"

step "Employer offers a contract: 35.00 USD/h, 40 h/week, 2 screenshots per 10 minutes"
code=$(wd --home "$employer" contract offer --title "Parser for invoices" --rate 35.00 --currency USD \
  --weekly-limit 40 --screenshots 2)
echo "$code" >"$out/invite.txt"
echo "  invite code (${#code} characters): ${code:0:48}…"

step "Contractor reads what will be recorded, accepts online; the employer's node records the acceptance"
wd --home "$contractor" contract accept "$code" | sed 's/^/  /'
wd --home "$employer" contract list | sed 's/^/  /'
contract_id=$(wd --home "$contractor" contract list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')

step "Contractor works in a terminal window; real key presses and clicks are driven into it"
xterm -T "invoice-parser — vim" -geometry 110x36+40+40 -e sh -c 'while :; do date; ls -l /usr/bin | head -30; sleep 2; done' &
pids+=($!)
term=$(wait_window 'invoice-parser' 20)
xdotool windowactivate --sync "$term"
(
  sleep 3
  for round in 1 2 3 4 5 6; do
    xdotool type --delay 40 "parse invoice $round "
    xdotool click 1
    sleep 3
  done
) &
pids+=($!)

step "Contractor tracks 30 minutes of work at 60x speed (30 seconds), with screenshots"
wd --home "$contractor" track --contract "$contract_id" --memo "Invoice parser: line items" \
  --for 30m --clock-speed 60 | sed 's/^/  /'

step "The contractor's work diary"
wd --home "$contractor" diary | sed 's/^/  /'
wd --home "$contractor" diary --json >"$out/diary.json"
python3 - "$out/diary.json" "$contractor" "$out" <<'PY'
import json, shutil, sys, os
segs = json.load(open(sys.argv[1]))
keys = sum(s["keys"] for s in segs); clicks = sum(s["clicks"] for s in segs)
shots = [sh for s in segs for sh in s["screenshots"]]
apps = sorted({a["name"] for s in segs for a in s["apps"]})
print(f"  {len(segs)} segments, {sum(len(s['minutes']) for s in segs)} minutes, {keys} key presses, {clicks} clicks, "
      f"{len(shots)} screenshots, apps: {', '.join(apps)}")
if shots:
    h = shots[-1]["hash"]
    shutil.copy(os.path.join(sys.argv[2], "blobs", h[:2], h), os.path.join(sys.argv[3], "screenshot-recorded.jpg"))
PY

step "Contractor curates: deletes the first segment (its screenshots leave the disk at once)"
first=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["id"])' "$out/diary.json")
first_shot=$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))[0]["screenshots"]; print(s[0]["hash"] if s else "")' "$out/diary.json")
wd --home "$contractor" diary delete "$first" | sed 's/^/  /'
if [ -n "$first_shot" ] && [ -e "$contractor/blobs/${first_shot:0:2}/$first_shot" ]; then
  echo "demo: the deleted segment's screenshot is still on disk" >&2; exit 1
fi
echo "  screenshot ${first_shot:0:12}… is gone from $contractor/blobs"

step "Contractor approves the rest: each segment becomes a signed entry of the contract's log"
wd --home "$contractor" approve --contract "$contract_id" --all | sed 's/^/  /'
wd --home "$contractor" diary | sed 's/^/  /'

step "Sync over libp2p: the employer verifies every entry and image, commits, and cosigns a receipt"
wd --home "$contractor" sync --contract "$contract_id" | sed 's/^/  /'
wd --home "$contractor" diary | sed 's/^/  /'

step "What the employer holds (asked through its running node)"
wd --home "$employer" log --contract "$contract_id" | sed 's/^/  /'

step "Employer exports the week's signed timesheet (through its running node)"
week=$(date -u +%G-W%V)
wd --home "$employer" timesheet --contract "$contract_id" --week "$week" --out "$out/timesheet" | sed 's/^/  /'

step "Anyone verifies it offline: workdiary verify, and stock OpenSSH"
zip=$(ls "$out"/timesheet/*.zip)
wd verify "$zip" | sed 's/^/  /'
principal=$(awk '{print $1}' "$out/timesheet/allowed_signers" | head -n1)
(cd "$out/timesheet" && ssh-keygen -Y verify -f allowed_signers -I "$principal" -n workdiary-timesheet \
  -s "$(basename "$zip").sig" <"$(basename "$zip")") | sed 's/^/  ssh-keygen: /'
cp "$zip" "$out/tampered.zip"
printf 'x' | dd of="$out/tampered.zip" bs=1 seek=200 conv=notrunc 2>/dev/null
if wd verify "$out/tampered.zip" >"$out/tampered.txt" 2>&1; then
  echo "demo: a tampered bundle verified" >&2; exit 1
fi
echo "  one changed byte is caught: $(tail -n1 "$out/tampered.txt")"
rm -f "$out/tampered.zip"
kill "$serve" 2>/dev/null; wait "$serve" 2>/dev/null || true

# shoot WINDOW NAV-Y FILE: click a sidebar entry of the app window and save it.
# The sidebar shows each person the screens of their roles, 42 px apart from
# y=91: a contractor's Tracker, Diary, Contracts, Timesheets, Settings; an
# employer's Contracts, Team, Timesheets, Settings.
shoot() {
  xdotool mousemove --window "$1" 60 "$2" click 1
  sleep 2
  import -window "$1" "$3"
  echo "  saved $3"
}

step "Contractor's desktop app on the same folder: the Diary (display $DISPLAY)"
"$bin/workdiary-app" --home "$contractor" >"$out/contractor-app.log" 2>&1 &
app=$!
win=$(wait_window '^Workdiary$' 60)
sleep 3
"$bin/workdiary" --home "$contractor" id --json >"$out/contractor-id.json" # answered by the running app
shoot "$win" 133 "$out/contractor-diary.png"
kill "$app"; wait "$app" 2>/dev/null || true

step "Employer's desktop app: Team and Timesheets"
"$bin/workdiary-app" --home "$employer" >"$out/employer-app.log" 2>&1 &
app=$!
win=$(wait_window '^Workdiary$' 60)
sleep 3
shoot "$win" 133 "$out/employer-team.png"
shoot "$win" 176 "$out/employer-timesheets.png"
kill "$app"; wait "$app" 2>/dev/null || true

# The user guide shows these screens: keep its pictures current.
docs=$PWD/docs/images
cp "$out/contractor-diary.png" "$docs/diary.png"
cp "$out/employer-team.png" "$docs/team.png"
cp "$out/employer-timesheets.png" "$docs/timesheets.png"
echo "  docs/images/diary.png, team.png and timesheets.png updated"

cat <<SUMMARY

Done. What to look at (all in $out):
  contractor-diary.png, employer-team.png, employer-timesheets.png   the desktop apps
  screenshot-recorded.jpg    a screenshot the tracker recorded
  diary.json                 the diary, as \`workdiary diary --json\` prints it
  timesheet/                 the signed bundle (.zip), PDF, CSV, .zip.sig and allowed_signers
  employer-home/  contractor-home/   the two data folders
SUMMARY
