# kubesim: the two commands a newcomer needs are `make serve` and `make test`.
# Both first run scripts/setup.sh, which installs whatever is missing (pinned versions,
# package registries only) and skips what is already there.

SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)
# trunk must never reach the network (it would try to download tools or check for updates).
export TRUNK_OFFLINE := true
export TRUNK_SKIP_VERSION_CHECK := true
# trunk reads NO_COLOR as a boolean flag and rejects the common NO_COLOR=1.
unexport NO_COLOR

.PHONY: setup serve build single test size bench fuzz dev-dist browser-dev clean

## setup: install the pinned toolchain pieces that are missing
setup:
	@scripts/setup.sh

## serve: build and serve the page on http://127.0.0.1:8080, rebuilding on change
## (the wasm-dev profile: a few minutes to build, smooth to animate)
## The first build runs before the file watcher starts: a fresh build writes tens of
## thousands of files under target/, which can overflow the inotify queue, and trunk
## 0.21's watcher (notify-debouncer-full 0.5) panics on the overflow event, which has
## no path (notify-rs/notify#678). Built first, the watched build is a quick no-op.
serve: setup
	trunk build --cargo-profile wasm-dev
	trunk serve --cargo-profile wasm-dev

## build: the release page in dist/ (works from any static file server, offline)
build: setup
	trunk build --release

## single: the whole page in one file, target/single/kubesim.html, that works opened
## from file:// with no network (wasm, JS and CSS inline)
single: build
	node scripts/single.mjs dist target/single/kubesim.html

## test: every check, native and browser; ends with `summary: N passed, N failed`
test: setup
	@scripts/test.sh

## size: what a browser downloads for the release page, raw / gzip / brotli
size: build
	@node scripts/size-report.mjs dist

## bench: time applying and listing thousands of objects, running thousands of
## Deployments to Running with the peak memory of each (native, optimised; `cargo bench
## --bench scale -- 20x30x10`, `SCALE_BREAKDOWN=1` to say what holds it),
## memory over 24 virtual hours (`cargo bench --bench memory`), and what a rewind of
## the page costs with and without snapshots (`cargo bench --bench rewind`); then, in
## headless Chromium on the release page, the first interactive frame, frame times under
## load and with traffic, and the scale cases run in the page (SCALE_CASES; the page opens
## with ?workers=W; the largest, issue #10's 30,000 pods on 1,000 workers, takes minutes)
SCALE_CASES ?= 20x30x10,200x300x10,1000x3000x10
bench: build
	cargo bench --bench apply_list
	cargo bench --bench traffic
	cargo bench --bench scale
	cargo bench --bench memory
	cargo bench --bench rewind
	SCALE_CASES=$(SCALE_CASES) node --test --test-concurrency=1 tests/browser/startup.bench.test.mjs \
	  tests/browser/frames.bench.test.mjs tests/browser/traffic.bench.test.mjs tests/browser/scale.bench.test.mjs

## fuzz: every input surface fuzzed, optimised (FUZZ_N inputs in total, default 1,000,000;
## failing inputs kept under tests/fuzz-regressions/), then 10,000 random operation
## sequences with the invariant checker on (INVARIANT_SEQUENCES to change)
FUZZ_N ?= 1000000
INVARIANT_SEQUENCES ?= 10000
## Both halves always run; the target fails if either found something.
fuzz:
	@FUZZ_N=$(FUZZ_N) cargo test --profile bench --features invariants --test fuzz -- --ignored --nocapture fuzz_every_surface; \
	fuzz=$$?; \
	INVARIANT_SEQUENCES=$(INVARIANT_SEQUENCES) cargo test --profile bench --features invariants --test invariants; \
	inv=$$?; \
	test $$fuzz -eq 0 && test $$inv -eq 0

## dev-dist: a quick build of the page in target/dist-dev, for working on the UI
dev-dist: setup
	trunk build --cargo-profile wasm-dev --dist target/dist-dev

## browser-dev: the browser tests against target/dist-dev
browser-dev: dev-dist
	KUBESIM_DIST=target/dist-dev node --test --test-concurrency=1 tests/browser/

clean:
	cargo clean
	rm -rf dist
