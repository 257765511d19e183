#!/usr/bin/env bash
# Performance figures (DESIGN.md section 6), printed, never asserted: each Go
# benchmark that measures a target reports its own figure.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench-out
scripts/with-display.sh go test -run '^$' -bench . -benchtime 2s -count 1 ./internal/... | tee bench-out/go-bench.txt
