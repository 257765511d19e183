#!/usr/bin/env bash
# Renders every icon Workdiary ships from its hand-written SVG sources:
# build/appicon.svg -> build/appicon.png (Wails' source for the window and
# macOS icons), the freedesktop sizes under build/linux/icons/, and
# build/windows/icon.ico; build/tray/*.svg -> the tray PNGs. The outputs are
# committed, so a build needs none of this; rerun it after editing an SVG.
set -euo pipefail
cd "$(dirname "$0")/../build"

for tool in rsvg-convert convert; do
  if ! command -v "$tool" >/dev/null; then
    echo "icons: $tool is missing; run scripts/setup.sh (it installs librsvg2-bin and imagemagick)" >&2
    exit 1
  fi
done

rsvg-convert -w 1024 -h 1024 appicon.svg -o appicon.png

sizes=(16 24 32 48 64 128 256 512)
mkdir -p linux/icons
for s in "${sizes[@]}"; do
  rsvg-convert -w "$s" -h "$s" appicon.svg -o "linux/icons/${s}x${s}.png"
done

# Windows wants every size up to 256 in the one file.
ico=()
for s in 16 24 32 48 64 128 256; do ico+=("linux/icons/${s}x${s}.png"); done
convert "${ico[@]}" windows/icon.ico

for name in idle tracking problem; do
  rsvg-convert -w 32 -h 32 "tray/$name.svg" -o "tray/$name.png"
  rsvg-convert -w 64 -h 64 "tray/$name.svg" -o "tray/$name@2x.png"
done
echo "icons: rendered from build/appicon.svg and build/tray/*.svg"
