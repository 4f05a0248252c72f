# Mezhved — two commands for a newcomer:
#   make run    install what is missing, build, open the window on a demo journal
#   make test   install what is missing, run every test, the window end-to-end included
SHELL := /bin/bash
.DEFAULT_GOAL := help

GO      ?= go
BIN     := build/bin
# Build tags are decided when a recipe that uses them runs — after `deps`
# has installed WebKitGTK 4.0 (Debian 12) or 4.1 (newer distributions) —
# never when make parses this file: these are recursive (=) variables, and
# scripts/build-tags.sh asks pkg-config each time. A missing WebKitGTK
# stops the build with a message.
tags    = $(or $(shell scripts/build-tags.sh $(1)),$(error no build tags for the $(1) build: see the message above))
TAGS    = $(call tags,window)
DEVTAGS = $(call tags,dev)
BUNDLETAGS = $(call tags,bundle)
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X github.com/mezhved/mezhved/version.Version=$(VERSION)
DEMO_DIR ?= $(CURDIR)/.cache/demo

export GOFLAGS ?= -buildvcs=false

.PHONY: help deps deps-run run build frontend dev-binary test vet gotest fronttest e2e clean bench

help:
	@echo "make run    — build and open the window on a demo journal (installs what is missing)"
	@echo "make test   — run every test, the window end-to-end included (installs what is missing)"
	@echo "make e2e    — the window end-to-end tests alone"
	@echo "make bench  — benchmarks (see docs/PERFORMANCE.md)"

deps:
	@scripts/install-deps.sh test

deps-run:
	@scripts/install-deps.sh run

frontend:
	cd frontend && npm run build --silent

# The shipped binary. On Linux it is headless (subcommands start fast, no
# WebKit loaded) and carries the window program, the real Wails build,
# inside it (window_bundle.go); elsewhere it is the Wails build itself.
build: frontend
	$(GO) build -tags $(TAGS) -ldflags "$(LDFLAGS) -w -s" -o $(BIN)/mezhved-window .
	gzip -9 -n -c $(BIN)/mezhved-window > $(BIN)/mezhved-window.gz
	$(GO) build -tags $(BUNDLETAGS) -ldflags "$(LDFLAGS) -w -s" -o $(BIN)/mezhved .

# The dev-tagged binary serves the pages and the Go bridge to a browser.
dev-binary: frontend
	$(GO) build -tags $(DEVTAGS) -o $(BIN)/mezhved-dev .

run: deps-run build
	@mkdir -p "$(DEMO_DIR)"
	$(BIN)/mezhved demo init --data-dir "$(DEMO_DIR)"
	MEZHVED_DATA_DIR="$(DEMO_DIR)" $(BIN)/mezhved

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...
	.cache/bin/staticcheck ./...

# The regional server's tests need a real PostgreSQL: scripts/pg-test.sh
# installs and starts a throwaway one (data in .cache/pg, loopback only).
gotest:
	@export MEZHVED_TEST_PG_DSN="$$(scripts/pg-test.sh start)" || exit 1; \
	$(GO) test -race -count=1 ./...; rc=$$?; scripts/pg-test.sh stop >/dev/null 2>&1; exit $$rc

fronttest:
	cd frontend && npm run check --silent && npm test --silent

e2e: deps build dev-binary
	scripts/e2e.sh

test: deps vet fronttest gotest build dev-binary
	$(GO) vet -tags $(BUNDLETAGS) .
	scripts/e2e.sh

bench:
	scripts/bench.sh

clean:
	rm -rf $(BIN) frontend/dist/assets frontend/dist/index.html
