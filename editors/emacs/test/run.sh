#!/usr/bin/env bash
# Batch-mode Emacs end-to-end test of editors/emacs/workers-lsp.el (eglot) against a
# workers-lsp binary:
#   WORKERS_LSP_BIN=target/release/workers-lsp editors/emacs/test/run.sh
# Needs Emacs 28+ with eglot (Debian: emacs-nox elpa-eglot) and git. The saas family is copied
# into a temporary git repository, so that project.el takes it as the project root, as in a
# user's clone. Prints "emacs e2e: PASS ..." or "emacs e2e: FAIL ..." and exits non-zero on failure.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
emacs=${EMACS:-emacs}
timeout_s=${WORKERS_LSP_E2E_TIMEOUT:-120}
summary() { echo "emacs e2e: $*"; }
command -v "$emacs" >/dev/null || { summary "FAIL (emacs not found; apt-get install emacs-nox elpa-eglot)"; exit 1; }
[ -n "${WORKERS_LSP_BIN:-}" ] || { summary "FAIL (set WORKERS_LSP_BIN)"; exit 1; }
case "$WORKERS_LSP_BIN" in /*) ;; *) WORKERS_LSP_BIN="$PWD/$WORKERS_LSP_BIN" ;; esac
[ -x "$WORKERS_LSP_BIN" ] || { summary "FAIL ($WORKERS_LSP_BIN is not an executable)"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ws="$tmp/saas"
cp -r "$repo/test-workspaces/families/saas" "$ws"
git -C "$ws" init -q
export WORKERS_LSP_BIN WORKERS_LSP_WORKSPACE="$ws" HOME="$tmp/home"
mkdir -p "$HOME"

# Debian's elpa packages live under /usr/share/emacs/site-lisp/elpa; -Q skips site-start,
# so `package-initialize' with that directory finds eglot the way a user's Emacs does.
pkgs="(progn (require 'package) (add-to-list 'package-directory-list \"/usr/share/emacs/site-lisp/elpa\") (package-initialize))"
# The package byte-compiles without a warning (into the temporary folder).
cp "$here/../workers-lsp.el" "$tmp/"
if ! "$emacs" --batch -Q --eval "$pkgs" --eval "(setq byte-compile-error-on-warn t)" \
    -f batch-byte-compile "$tmp/workers-lsp.el" > "$tmp/compile.log" 2>&1; then
  cat "$tmp/compile.log"; summary "FAIL (workers-lsp.el does not byte-compile cleanly)"; exit 1
fi

set +e
timeout -k 5 "$timeout_s" "$emacs" --batch -Q \
  --eval "$pkgs" \
  -L "$here/.." -l "$here/e2e.el" > "$tmp/log" 2>&1 < /dev/null
status=$?
set -e
cat "$tmp/log"
result=$(grep -E '^E2E (PASS|FAIL): ' "$tmp/log" | tail -1 || true)
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then summary "FAIL (timed out after ${timeout_s}s)"; exit 1; fi
if [ "$status" -ne 0 ] || [[ "$result" != "E2E PASS: "* ]]; then summary "FAIL (exit $status) ${result#E2E FAIL: }"; exit 1; fi
summary "PASS (${result#E2E PASS: })"
