#!/usr/bin/env bash
# Step 1 of the composite action (action.yml): puts workers-lsp on PATH for the next steps.
#
# Env (set by action.yml from its inputs and the runner):
#   WL_INSTALL      release (default): the release archive for this runner, checked against
#                   the release's SHA256SUMS; npm: the npm package workers-lsp
#   WL_VERSION      e.g. 0.1.0; default: the action's own ref when it is a tag vX.Y.Z
#   WL_ACTION_REF   github.action_ref       WL_REPOSITORY  github.action_repository
#   RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP, GITHUB_PATH, GITHUB_OUTPUT, GITHUB_SERVER_URL
#   WORKERS_LSP_DOWNLOAD_BASE   instead of <server>/<repository>/releases/download/v<version>
#                               (the tests use a file:// folder that cargo xtask dist wrote)
set -euo pipefail

fail() { echo "::error title=workers-lsp::$*"; exit 1; }

install=${WL_INSTALL:-release}
version=${WL_VERSION:-}
version=${version#v}
if [ -z "$version" ]; then
  ref=${WL_ACTION_REF:-}
  if [[ "$ref" =~ ^v([0-9]+\.[0-9]+\.[0-9]+.*)$ ]]; then
    version=${BASH_REMATCH[1]}
  else
    fail "set the input 'version' (e.g. 0.1.0): the action is used at '${ref:-an unknown ref}', which is not a release tag vX.Y.Z"
  fi
fi
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]] || fail "'$version' is not a version like 0.1.0"

dir="${RUNNER_TEMP:?}/workers-lsp-$version"
mkdir -p "$dir"

case "$install" in
  npm)
    echo "Installing the npm package workers-lsp@$version"
    npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "workers-lsp@$version" \
      || fail "npm install workers-lsp@$version failed"
    bin="$dir/node_modules/.bin"
    ;;
  release)
    case "${RUNNER_OS:-}-${RUNNER_ARCH:-}" in
      Linux-X64) triple=x86_64-unknown-linux-gnu ;;
      Linux-ARM64) triple=aarch64-unknown-linux-gnu ;;
      macOS-X64) triple=x86_64-apple-darwin ;;
      macOS-ARM64) triple=aarch64-apple-darwin ;;
      Windows-X64) triple=x86_64-pc-windows-msvc ;;
      *) fail "no workers-lsp release for the runner ${RUNNER_OS:-?}/${RUNNER_ARCH:-?}; try install: npm" ;;
    esac
    base=${WORKERS_LSP_DOWNLOAD_BASE:-${GITHUB_SERVER_URL:-https://github.com}/${WL_REPOSITORY:?}/releases/download/v$version}
    name="workers-lsp-$version-$triple"
    echo "Downloading $base/$name.tar.gz"
    curl -fsSL --retry 3 -o "$dir/$name.tar.gz" "$base/$name.tar.gz" || fail "cannot download $base/$name.tar.gz"
    curl -fsSL --retry 3 -o "$dir/SHA256SUMS" "$base/SHA256SUMS" || fail "cannot download $base/SHA256SUMS"
    want=$(awk -v f="$name.tar.gz" '$2 == f { print $1 }' "$dir/SHA256SUMS")
    [ -n "$want" ] || fail "SHA256SUMS of v$version does not list $name.tar.gz"
    if command -v sha256sum >/dev/null; then
      got=$(sha256sum "$dir/$name.tar.gz" | awk '{ print $1 }')
    else
      got=$(shasum -a 256 "$dir/$name.tar.gz" | awk '{ print $1 }')
    fi
    [ "$got" = "$want" ] || fail "checksum mismatch for $name.tar.gz: got $got, SHA256SUMS says $want"
    # Relative names: GNU tar (Git Bash on Windows) reads "D:" in a path as a remote host.
    (cd "$dir" && tar -xzf "$name.tar.gz") || fail "cannot unpack $name.tar.gz"
    bin="$dir/$name"
    ;;
  *) fail "input 'install' is '$install'; use release or npm" ;;
esac

exe=workers-lsp
[ "${RUNNER_OS:-}" = Windows ] && [ "$install" = release ] && exe=workers-lsp.exe
got_version=$("$bin/$exe" --version) || fail "the installed $bin/$exe does not run"
[ "$got_version" = "workers-lsp $version" ] || fail "the installed binary says '$got_version', expected 'workers-lsp $version'"
echo "$bin" >> "${GITHUB_PATH:?}"
echo "path=$bin/$exe" >> "${GITHUB_OUTPUT:?}"
echo "$got_version installed in $bin"
