# Workdiary. `make demo` and `make test` are all a newcomer needs; every
# target installs what is missing first (scripts/setup.sh).
SHELL := /bin/bash
GO_TAGS := webkit2_41
BIN := build/bin
WAILS := go tool wails
# What `workdiary --version` and the app's About say (internal/version):
# the version from wails.json, the commit and the time of this build.
VERSION ?= $(shell sed -n 's/.*"productVersion": *"\([^"]*\)".*/\1/p' wails.json)
COMMIT ?= $(shell git rev-parse HEAD 2>/dev/null)
BUILD_DATE ?= $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
VPKG := github.com/workdiary/workdiary/internal/version
LDFLAGS := -X $(VPKG).version=$(VERSION) -X $(VPKG).commit=$(COMMIT) -X $(VPKG).date=$(BUILD_DATE)
# No `go mod tidy` behind our back: -m and -nosyncgomod.
WAILS_FLAGS := -tags $(GO_TAGS) -m -nosyncgomod -ldflags "$(LDFLAGS)"

# Tests, benchmarks and the demo use real libp2p on loopback only: no LAN
# discovery, router mapping, relays or hole punching.
test test-go test-fuzz test-frontend test-e2e test-windows bench demo fuzz soak: export WORKDIARY_LOCAL_ONLY = 1

# Whatever is slow or needs another platform's tools stays out of `make test`.
.PHONY: setup build frontend bindings run demo package release test-windows test test-go test-cross test-fuzz test-frontend test-e2e bench fuzz soak nat-lab clean

setup:
	@scripts/setup.sh

# The app embeds frontend/dist, and generating bindings compiles the app:
# on a fresh clone a one-line page stands in until the real build.
bindings: setup
	@[ -n "$$(ls -A frontend/dist 2>/dev/null)" ] || { mkdir -p frontend/dist && echo '<!doctype html><title>Workdiary</title>' > frontend/dist/index.html; }
	@$(WAILS) generate module -tags $(GO_TAGS) >/dev/null

frontend: bindings
	cd frontend && npm run build

build: frontend
	$(WAILS) build $(WAILS_FLAGS) -s -skipbindings -o workdiary-app
	go build -ldflags "$(LDFLAGS)" -o $(BIN)/workdiary ./cmd/workdiary
	go build -ldflags "$(LDFLAGS)" -o $(BIN)/workdiary-input ./cmd/workdiary-input

run: build
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ]; then \
	  echo "make run: there is no display to open the desktop app on."; \
	  echo "Run it from a desktop session, or try 'make demo', which starts a virtual display."; \
	  exit 1; \
	fi
	$(BIN)/workdiary-app

demo: build
	scripts/demo.sh

# build/dist: the .deb (nfpm, build/linux/nfpm.yaml) and a tarball of the
# same files, for Linux amd64.
package: build
	VERSION=$(VERSION) scripts/package.sh

# build/dist: the Windows app, command line and input helper (zipped), and
# the macOS command line for amd64 and arm64. Needs mingw-w64 (setup.sh
# windows installs it).
release: frontend
	@scripts/setup.sh windows
	VERSION=$(VERSION) LDFLAGS="$(LDFLAGS)" scripts/release.sh

# The Windows programs under Wine: a bundle made there verifies on Linux
# and the other way round, and `workdiary.exe track` records on a private
# Xvfb (screenshots, the window in front, input counts, exclusion). About
# two minutes (more the first time, when it makes a Wine prefix), so not
# part of `make test`.
test-windows: build
	@scripts/setup.sh windows
	go test -count=1 -tags 'e2e wine' -timeout 10m -run 'Wine' ./e2e/

# test-e2e installs the .deb (TestDebPackage), so the package is built first.
test: package
	$(MAKE) --no-print-directory test-go test-cross test-fuzz test-frontend test-e2e

test-go:
	go vet ./...
	scripts/with-display.sh go test -count=1 ./...
	# Days and weeks in zones east and west of UTC (the run above has the machine's).
	for tz in Asia/Tokyo America/Los_Angeles; do TZ=$$tz go test -count=1 -run 'Zone|DayStart|TeamToday|TeamWeek' ./internal/node/ || exit 1; done

# The platforms built here but run elsewhere: every package, tests
# included, vets for macOS (both architectures) and Windows without cgo,
# and the macOS command line and input helper link. Their capture and
# input code calls the system through purego or x/sys/windows, so this
# is the check that it compiles; it has never run on a Mac.
test-cross:
	@for p in darwin/arm64 darwin/amd64 windows/amd64; do \
	  echo "go vet ./... for $$p"; GOOS=$${p%/*} GOARCH=$${p#*/} CGO_ENABLED=0 go vet ./... || exit 1; \
	done
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && for a in arm64 amd64; do \
	  echo "go build darwin/$$a: workdiary, workdiary-input"; \
	  GOOS=darwin GOARCH=$$a CGO_ENABLED=0 go build -o "$$tmp/" ./cmd/workdiary ./cmd/workdiary-input || exit 1; \
	done

# Every decoder of peer or file bytes, a few thousand inputs each; `make
# fuzz` runs them for a minute each.
test-fuzz:
	scripts/with-display.sh scripts/fuzz.sh 3000x

test-frontend:
	cd frontend && npm run check && npm test

test-e2e:
	scripts/with-display.sh go test -count=1 -tags e2e -timeout 20m ./e2e/...
	scripts/with-display.sh node --test --test-concurrency=1 e2e/

bench: build
	scripts/bench.sh

fuzz: setup
	scripts/fuzz.sh 60s

# The reliability suite at length (docs/targets.md, reliability): many more kills,
# cuts and restarts than `make test` runs, then every decoder fuzzed for
# a minute.
soak: build
	WORKDIARY_SOAK=1 scripts/with-display.sh go test -count=1 -tags e2e -timeout 120m -run 'Crash|Fault|Hostile|Disk|Kill' -v ./e2e/
	scripts/fuzz.sh 60s

# Every case of the reach lab: the employer and the contractor in network
# namespaces behind NAT routers of several kinds, a table of what each
# reached and how long it took. Needs root (ip netns, nftables).
nat-lab: build
	@status=0; WORKDIARY_NATLAB=all scripts/with-display.sh go test -count=1 -tags e2e -timeout 30m -run 'TestReachLab' ./e2e/ >build/nat-lab.log 2>&1 || status=$$?; \
	  cat build/e2e-out/nat-lab.txt 2>/dev/null || tail -40 build/nat-lab.log; echo "(the whole run: build/nat-lab.log)"; exit $$status

clean:
	rm -rf build/bin build/dist frontend/dist demo-out
