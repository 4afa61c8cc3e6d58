#!/usr/bin/env bash
# Installs every tool kubesim builds and tests with, at pinned versions, from package
# registries only (crates.io, npm, Debian). Idempotent: each tool's version is checked
# first and nothing is installed twice. Called by `make serve` and `make test`; safe to
# run by hand. Prints one line per tool.
#
# Pins live in one place each:
#   trunk           -> TRUNK_VERSION below (0.22.x needs a newer rustc than ours)
#   wasm-bindgen    -> Cargo.lock (the CLI must equal the library exactly); Trunk.toml [tools]
#   wasm-opt        -> package.json / package-lock.json (npm package `binaryen`); Trunk.toml [tools]
#   playwright-core -> package.json / package-lock.json
#   rust toolchain  -> rust-toolchain.toml
set -euo pipefail

TRUNK_VERSION=0.21.14
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"

say() { printf 'setup: %-16s %s\n' "$1" "$2"; }

# Runs apt-get as root, or through sudo when there is one.
apt_install() {
    local sudo=""
    if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@"
}

# The version of a package recorded in Cargo.lock, e.g. `lock_version wasm-bindgen`.
lock_version() {
    awk -v name="$1" '
        $0 == "name = \"" name "\"" { found = 1; next }
        found && /^version = / { gsub(/"/, "", $3); print $3; exit }
    ' Cargo.lock
}

# The version a pinned tool is given in Trunk.toml's [tools] table.
trunk_tool_pin() {
    awk -v key="$1" '
        /^\[/ { in_tools = ($0 == "[tools]") }
        in_tools && $1 == key { gsub(/"/, "", $3); print $3; exit }
    ' Trunk.toml
}

# --- Rust: the toolchain pinned in rust-toolchain.toml, and the wasm32 target ------------
command -v rustup >/dev/null || { echo "setup: rustup not found: install rustup first (https://rustup.rs)" >&2; exit 1; }
channel="$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)"
if rustup toolchain list | grep -q "^$channel-"; then
    say "rust $channel" "present"
elif [ "$(rustup run stable rustc --version 2>/dev/null | cut -d' ' -f2)" = "$channel" ]; then
    # The machine's stable toolchain is the pinned version: name it instead of downloading it.
    # (`rustup toolchain link` refuses names like "1.95.0", so the link is made directly.)
    host="$(rustup run stable rustc -vV | sed -n 's/^host: //p')"
    say "rust $channel" "naming the installed stable toolchain $channel-$host (same version)"
    ln -s "$(realpath "$(rustup run stable rustc --print sysroot)")" \
        "${RUSTUP_HOME:-$HOME/.rustup}/toolchains/$channel-$host"
else
    say "rust $channel" "installing"
    rustup toolchain install "$channel" --profile minimal --component rustfmt,clippy
fi
# A linked toolchain cannot take targets or components itself; its source (stable) can.
owner="$channel"
if [ "$(realpath "$(rustc --print sysroot)")" = "$(realpath "$(rustup run stable rustc --print sysroot 2>/dev/null)" 2>/dev/null)" ]; then owner=stable; fi
if [ -d "$(rustc --print sysroot)/lib/rustlib/wasm32-unknown-unknown" ]; then
    say "wasm32 target" "present"
else
    say "wasm32 target" "installing"
    rustup target add wasm32-unknown-unknown --toolchain "$owner"
fi
for component in rustfmt clippy; do
    if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
        say "$component" "installing"
        rustup component add "$component" --toolchain "$owner"
    fi
done

# --- trunk -------------------------------------------------------------------------------
if [ "$(trunk --version 2>/dev/null || true)" = "trunk $TRUNK_VERSION" ]; then
    say trunk "$TRUNK_VERSION present"
else
    say trunk "installing $TRUNK_VERSION (takes ~5 min)"
    cargo install trunk --version "$TRUNK_VERSION" --locked
fi

# --- wasm-bindgen CLI: exactly the library version in Cargo.lock -------------------------
bindgen_version="$(lock_version wasm-bindgen)"
[ -n "$bindgen_version" ] || { echo "setup: no wasm-bindgen in Cargo.lock" >&2; exit 1; }
if [ "$(trunk_tool_pin wasm_bindgen)" != "$bindgen_version" ]; then
    echo "setup: Trunk.toml [tools] wasm_bindgen must be \"$bindgen_version\" (Cargo.lock), is \"$(trunk_tool_pin wasm_bindgen)\"" >&2
    exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" = "wasm-bindgen $bindgen_version" ]; then
    say wasm-bindgen "$bindgen_version present"
else
    # Without --locked: with it, a yanked transitive dependency fails to resolve.
    say wasm-bindgen "installing $bindgen_version (takes ~2 min)"
    cargo install wasm-bindgen-cli --version "$bindgen_version"
fi

# --- Node.js tools: wasm-opt (binaryen) and playwright-core, from package-lock.json -------
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    say node "installing nodejs and npm (Debian)"
    apt_install nodejs npm
fi
npm_pin() { node -p "require('./package.json').devDependencies['$1']"; }
npm_have() { node -p "try { require('./node_modules/$1/package.json').version } catch { '' }"; }
if [ "$(npm_have binaryen)" = "$(npm_pin binaryen)" ] && [ "$(npm_have playwright-core)" = "$(npm_pin playwright-core)" ]; then
    say "npm packages" "binaryen $(npm_pin binaryen), playwright-core $(npm_pin playwright-core) present"
else
    say "npm packages" "installing from package-lock.json"
    npm ci --no-audit --no-fund --loglevel=error
fi
opt_version="$(wasm-opt --version | sed -n 's/.*(\(version_[0-9]*\)).*/\1/p')"
if [ "$(trunk_tool_pin wasm_opt)" != "$opt_version" ]; then
    echo "setup: Trunk.toml [tools] wasm_opt must be \"$opt_version\" (node_modules), is \"$(trunk_tool_pin wasm_opt)\"" >&2
    exit 1
fi
say wasm-opt "$opt_version present"

# --- Chromium for the browser tests (Debian) ------------------------------------------------
if [ -x /usr/bin/chromium ]; then
    say chromium "present ($(/usr/bin/chromium --version 2>/dev/null | head -n1))"
else
    say chromium "installing (Debian chromium, chromium-driver)"
    apt_install chromium chromium-driver
fi
