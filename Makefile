# Workdiary. `make demo` and `make test` are all a newcomer needs; every
# target installs what is missing first (scripts/setup.sh).
SHELL := /bin/bash
GO_TAGS := webkit2_41
BIN := build/bin
WAILS := go tool wails
# No `go mod tidy` behind our back: -m and -nosyncgomod.
WAILS_FLAGS := -tags $(GO_TAGS) -m -nosyncgomod

# Tests, benchmarks and the demo use real libp2p on loopback only: no LAN
# discovery, router mapping, relays or hole punching.
test test-go test-fuzz test-frontend test-e2e bench demo fuzz soak: export WORKDIARY_LOCAL_ONLY = 1

.PHONY: setup build frontend bindings run demo test test-go test-fuzz test-frontend test-e2e bench fuzz soak nat-lab clean

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
	go build -o $(BIN)/workdiary ./cmd/workdiary
	@if [ -d cmd/workdiary-input ]; then go build -o $(BIN)/workdiary-input ./cmd/workdiary-input; fi

run: build
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ]; then \
	  echo "make run: there is no display to open the desktop app on."; \
	  echo "Run it from a desktop session, or try 'make demo', which starts a virtual display."; \
	  exit 1; \
	fi
	$(BIN)/workdiary-app

demo: build
	scripts/demo.sh

test: build
	$(MAKE) --no-print-directory test-go test-fuzz test-frontend test-e2e

test-go:
	go vet ./...
	scripts/with-display.sh go test -count=1 ./...

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
	@status=0; WORKDIARY_NATLAB=all go test -count=1 -tags e2e -timeout 30m -run 'TestReachLab' ./e2e/ >build/nat-lab.log 2>&1 || status=$$?; \
	  cat build/e2e-out/nat-lab.txt 2>/dev/null || tail -40 build/nat-lab.log; echo "(the whole run: build/nat-lab.log)"; exit $$status

clean:
	rm -rf build/bin frontend/dist demo-out
