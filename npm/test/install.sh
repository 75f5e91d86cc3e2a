#!/usr/bin/env bash
# Installs the packed npm packages into an empty project, offline, as a user's
# `npm i -D workers-lsp` would, and runs `npx workers-lsp check` on the bundled families.
#
# Usage: npm/test/install.sh DIST_DIR
#   DIST_DIR holds what `cargo xtask dist` wrote: workers-lsp-<version>.tgz (the launcher) and
#   workers-lsp-cli-<platform>-<version>.tgz for this machine's platform.
#
# The platform packages are not on the registry, so the project's `overrides` point the
# launcher's optional dependency at the local tarball; the other platforms' optional
# dependencies cannot be fetched (--offline) and are skipped, as npm skips any failed optional
# dependency. A stand-in package for another platform checks that npm's os/cpu filter
# really leaves it out.
set -euo pipefail

die() { printf 'npm install test: FAIL: %s\n' "$*" >&2; exit 1; }
[ $# -eq 1 ] || die "usage: $0 DIST_DIR"
dist=$(cd "$1" && pwd)
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
version=$(node -p 'require(process.argv[1]).version' "$root/npm/workers-lsp/package.json")

case "$(node -p 'process.platform + "-" + process.arch')" in
  linux-x64 | linux-arm64 | darwin-x64 | darwin-arm64 | win32-x64) platform=$(node -p 'process.platform + "-" + process.arch') ;;
  *) die "no platform package for $(node -p 'process.platform + "-" + process.arch')" ;;
esac
other=darwin-arm64
[ "$platform" = darwin-arm64 ] && other=linux-x64

launcher_tgz="$dist/workers-lsp-$version.tgz"
platform_tgz="$dist/workers-lsp-cli-$platform-$version.tgz"
[ -s "$launcher_tgz" ] || die "$launcher_tgz is missing (run cargo xtask dist)"
[ -s "$platform_tgz" ] || die "$platform_tgz is missing (run cargo xtask dist)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
export npm_config_cache="$work/npm-cache"

# A stand-in for another platform's package: same manifest as the real one, fake binary.
mkdir -p "$work/other"
cp "$root/npm/@workers-lsp/cli-$other/package.json" "$work/other/"
printf '#!/bin/sh\necho wrong platform >&2; exit 99\n' > "$work/other/workers-lsp"
chmod +x "$work/other/workers-lsp"
cp "$work/other/workers-lsp" "$work/other/workers-lsp.exe"
touch "$work/other/LICENSE-MIT" "$work/other/LICENSE-APACHE"
(cd "$work/other" && npm pack --silent --pack-destination "$work" >/dev/null)
other_tgz="$work/workers-lsp-cli-$other-$version.tgz"
[ -s "$other_tgz" ] || die "could not pack the stand-in package"

mkdir "$work/project"
cd "$work/project"
cat > package.json <<EOF
{
  "name": "a-workers-repository",
  "private": true,
  "overrides": {
    "@workers-lsp/cli-$platform": "file:$platform_tgz",
    "@workers-lsp/cli-$other": "file:$other_tgz"
  }
}
EOF
npm install --save-dev --offline --loglevel=error "$launcher_tgz" \
  || die "npm install of the launcher tarball failed"

installed="node_modules/@workers-lsp/cli-$platform"
[ -d "$installed" ] || die "npm did not install @workers-lsp/cli-$platform"
[ ! -e "node_modules/@workers-lsp/cli-$other" ] || die "npm installed @workers-lsp/cli-$other on $platform: its os/cpu fields do not exclude it"
node -e '
  const lock = require("./package-lock.json");
  const entry = lock.packages["node_modules/@workers-lsp/cli-" + process.argv[1]];
  if (!entry || entry.optional !== true) { console.error("not an optional dependency in the lockfile"); process.exit(1); }
  if (!lock.packages[""].devDependencies["workers-lsp"]) { console.error("workers-lsp is not a devDependency"); process.exit(1); }
' "$platform" || die "lockfile does not hold the platform package as an optional dependency of workers-lsp"
exe=workers-lsp
[ "${platform%%-*}" = win32 ] && exe=workers-lsp.exe
[ -x "$installed/$exe" ] || die "$installed/$exe is not executable"

# npx runs the launcher from node_modules/.bin; --no-install: never ask the registry.
got=$(npx --no-install workers-lsp --version) || die "npx workers-lsp --version failed"
[ "$got" = "workers-lsp $version" ] || die "npx workers-lsp --version printed '$got', expected 'workers-lsp $version'"

run_check() {
  local family=$1 want=$2 code=0
  npx --no-install workers-lsp check "$root/test-workspaces/families/$family" --output-format json > "$work/$family.json" 2> "$work/$family.err" || code=$?
  [ "$code" -eq "$want" ] || { cat "$work/$family.err" >&2; die "npx workers-lsp check families/$family exited $code, expected $want"; }
  node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); if (r.version !== 1 || !(r.workers > 0)) process.exit(1);' "$work/$family.json" \
    || die "check families/$family did not print a JSON report"
  echo "  npx workers-lsp check families/$family: exit $code (expected $want)"
}
run_check shop 0
run_check saas 1

echo "npm install test: PASS ($platform, version $version, offline install from tarballs)"
