#!/usr/bin/env bash
# Runs every check kubesim has, native and browser, and ends with one summary line
# `summary: N passed, N failed` (one per step below). Every step runs even when an earlier
# one failed (except that the browser tests need the release build), so one run shows
# everything that is wrong. Exit status: 0 only when all steps passed.
#
# Adding tests: native tests (unit tests, tests/*.rs) are picked up by `cargo test`
# automatically; browser tests are tests/browser/*.test.mjs, picked up by `node --test`.
# A new kind of check becomes one more `step` line at the bottom.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
export TRUNK_OFFLINE=true TRUNK_SKIP_VERSION_CHECK=true TRUNK_COLOR=never CARGO_TERM_COLOR=never
# trunk reads NO_COLOR as a boolean flag and rejects the common NO_COLOR=1.
unset NO_COLOR

passed=0
failed=0
results=()

# step NAME COMMAND...: runs one check, records its outcome and duration.
step() {
    local name="$1"
    shift
    printf '\n==> %s: %s\n' "$name" "$*"
    local start=$SECONDS
    if "$@"; then
        passed=$((passed + 1))
        results+=("$(printf 'PASS  %-14s %4ss' "$name" $((SECONDS - start)))")
    else
        failed=$((failed + 1))
        results+=("$(printf 'FAIL  %-14s %4ss' "$name" $((SECONDS - start)))")
    fi
}

# skip NAME REASON: a step that could not run counts as failed.
skip() {
    failed=$((failed + 1))
    results+=("$(printf 'FAIL  %-14s   -   (%s)' "$1" "$2")")
}

step fmt            cargo fmt --all --check
step clippy         cargo clippy --all-targets -- -D warnings
step clippy-wasm    cargo clippy --target wasm32-unknown-unknown --lib --bins -- -D warnings
step cargo-test     cargo test
build_failed_before=$failed
step release-build  trunk build --release
if [ "$failed" = "$build_failed_before" ]; then
    step browser    node --test --test-concurrency=1 tests/browser/
    step size-report node scripts/size-report.mjs dist
else
    skip browser "no release build"
    skip size-report "no release build"
fi

printf '\n==> results\n'
printf '%s\n' "${results[@]}"
echo "summary: $passed passed, $failed failed"
[ "$failed" = 0 ]
