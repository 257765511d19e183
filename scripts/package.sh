#!/usr/bin/env bash
# Packages the programs `make build` left in build/bin for Linux amd64:
# build/dist/workdiary_VERSION_amd64.deb (nfpm, build/linux/nfpm.yaml) and
# build/dist/workdiary_VERSION_linux_amd64.tar.gz with the same files under
# bin/ and share/, for other distributions. VERSION comes from the Makefile.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${VERSION:?set VERSION (make package does)}"
export VERSION

for f in workdiary-app workdiary workdiary-input; do
  [ -x "build/bin/$f" ] || { echo "package: build/bin/$f is missing; run make build first" >&2; exit 1; }
done
desktop-file-validate build/linux/io.github.workdiary.Workdiary.desktop

dist=build/dist
# Only this script's outputs: make release leaves its own beside them.
mkdir -p "$dist" && rm -f "$dist"/workdiary_*_amd64.deb "$dist"/workdiary_*_linux_amd64.tar.gz
go tool -modfile=scripts/nfpm/go.mod nfpm package --config build/linux/nfpm.yaml --packager deb --target "$dist/"

# The tarball mirrors the .deb's /usr tree.
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root="$stage/workdiary-$VERSION"
mkdir -p "$root/bin" "$root/share/applications" "$root/share/metainfo" "$root/share/icons/hicolor/scalable/apps"
cp build/bin/workdiary-app build/bin/workdiary build/bin/workdiary-input "$root/bin/"
cp build/linux/io.github.workdiary.Workdiary.desktop "$root/share/applications/"
cp build/linux/io.github.workdiary.Workdiary.metainfo.xml "$root/share/metainfo/"
cp build/appicon.svg "$root/share/icons/hicolor/scalable/apps/workdiary.svg"
for png in build/linux/icons/*.png; do
  size=$(basename "$png" .png)
  mkdir -p "$root/share/icons/hicolor/$size/apps"
  cp "$png" "$root/share/icons/hicolor/$size/apps/workdiary.png"
done
tar -C "$stage" -czf "$dist/workdiary_${VERSION}_linux_amd64.tar.gz" "workdiary-$VERSION"
ls -l "$dist"/workdiary_*_amd64.deb "$dist"/workdiary_*_linux_amd64.tar.gz
