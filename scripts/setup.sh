#!/usr/bin/env bash
# Installs what building and testing Workdiary needs, and nothing twice:
# Debian/Ubuntu packages, the frontend's and end-to-end tests' npm packages,
# and the Go modules. Safe to rerun; every make target runs it first.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  libgtk-3-dev libwebkit2gtk-4.1-dev libx11-dev libxtst-dev libx11-xcb-dev
  libxkbcommon-x11-dev libxinerama-dev libpng-dev
  xvfb openbox xdotool xterm chromium imagemagick librsvg2-bin desktop-file-utils poppler-utils openssh-client
  gcc pkg-config nodejs npm python3 iproute2 nftables conntrack
  sway wtype weston xwayland grim pipewire dbus
  xdg-desktop-portal xdg-desktop-portal-wlr xdg-desktop-portal-gtk
)
# `setup.sh windows` (make release, make test-windows) adds the Windows
# cross-compiler and Wine.
if [ "${1:-}" = windows ]; then
  packages+=(gcc-mingw-w64-x86-64 wine wine64)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# A Node.js installed some other way (e.g. from nodesource) is fine.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
read -r -a missing <<<"${missing[*]}"

if ((${#missing[@]})); then
  if ! command -v apt-get >/dev/null; then
    echo "setup: apt-get is not available; install these packages (or your system's equivalents) and rerun:" >&2
    echo "  ${missing[*]}" >&2
    exit 1
  fi
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  echo "setup: installing ${missing[*]}"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if ! command -v go >/dev/null; then
  echo "setup: Go is not installed; install the version named in go.mod from your distribution or go.dev" >&2
  exit 1
fi

# npm ci only when the lock file changed since the last install.
npm_install() {
  local dir=$1
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "setup: npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
npm_install frontend
npm_install e2e

go mod download
