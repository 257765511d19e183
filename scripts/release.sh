#!/usr/bin/env bash
# Cross-builds Workdiary for Windows and macOS into build/dist (VERSION and
# LDFLAGS come from the Makefile):
#   windows-amd64/: workdiary.exe (the command line, no cgo),
#     workdiary-input.exe (the input counter: gohook with cgo, built with
#     x86_64-w64-mingw32-gcc) and workdiary-app.exe (the desktop app, Wails
#     with WebView2), zipped as workdiary_VERSION_windows_amd64.zip;
#   darwin-amd64/, darwin-arm64/: workdiary, the command line, and
#     workdiary-input, the input counter (both without cgo: capture and
#     input call CoreGraphics through purego, so `workdiary track` records).
# The macOS app needs Apple's SDK, so it is built on a Mac (README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${VERSION:?set VERSION (make release does)}"
ldflags=${LDFLAGS:-}
dist=build/dist
win=$dist/windows-amd64
rm -rf "$win" "$dist"/darwin-* "$dist"/workdiary_*_windows_amd64.zip && mkdir -p "$win"

echo "release: windows/amd64 command line"
CGO_ENABLED=0 GOOS=windows GOARCH=amd64 go build -ldflags "$ldflags" -o "$win/workdiary.exe" ./cmd/workdiary

if command -v x86_64-w64-mingw32-gcc >/dev/null; then
  echo "release: windows/amd64 input helper"
  CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc GOOS=windows GOARCH=amd64 \
    go build -ldflags "$ldflags" -o "$win/workdiary-input.exe" ./cmd/workdiary-input
else
  echo "release: x86_64-w64-mingw32-gcc is missing (scripts/setup.sh installs gcc-mingw-w64-x86-64); no workdiary-input.exe" >&2
  exit 1
fi

echo "release: windows/amd64 desktop app"
go tool wails build -m -nosyncgomod -s -skipbindings -platform windows/amd64 -ldflags "$ldflags" -o workdiary-app.exe >/dev/null
mv build/bin/workdiary-app.exe "$win/"

for arch in amd64 arm64; do
  echo "release: darwin/$arch command line and input helper"
  CGO_ENABLED=0 GOOS=darwin GOARCH=$arch go build -ldflags "$ldflags" -o "$dist/darwin-$arch/workdiary" ./cmd/workdiary
  CGO_ENABLED=0 GOOS=darwin GOARCH=$arch go build -ldflags "$ldflags" -o "$dist/darwin-$arch/workdiary-input" ./cmd/workdiary-input
done

(cd "$win" && python3 -m zipfile -c "../workdiary_${VERSION}_windows_amd64.zip" workdiary-app.exe workdiary.exe workdiary-input.exe)
ls -l "$win" "$dist"/darwin-* "$dist"/*.zip
