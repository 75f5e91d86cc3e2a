#!/usr/bin/env bash
# Headless Neovim end-to-end test of editors/nvim against a workers-lsp binary.
#   WORKERS_LSP_BIN=target/release/workers-lsp editors/nvim/test/run.sh [WORKSPACE]
#   editors/nvim/test/run.sh --self-test     # against a stand-in server (checks the harness)
# WORKSPACE defaults to $WORKERS_LSP_WORKSPACE, else test-workspaces/families/saas (relative
# to the repository root). NVIM selects the nvim binary (default: nvim on PATH).
# Prints one line "nvim e2e: PASS ..." or "nvim e2e: FAIL ..." and exits non-zero on failure,
# including when a server process of this run outlives Neovim.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
plugin=$(cd "$here/.." && pwd)
repo=$(cd "$plugin/../.." && pwd)
nvim=${NVIM:-nvim}
timeout_s=${WORKERS_LSP_E2E_TIMEOUT:-120}

summary() { echo "nvim e2e: $*"; }

command -v "$nvim" >/dev/null || { summary "FAIL (nvim not found; apt-get install neovim)"; exit 1; }

tmp=$(mktemp -d)
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT

if [ "${1:-}" = "--self-test" ]; then
  # A generated workspace and a stand-in server, to test this harness without the real one.
  command -v node >/dev/null || { summary "FAIL (--self-test needs node)"; exit 1; }
  ws="$tmp/ws"
  mkdir -p "$ws/web/src" "$ws/cart/src"
  : > "$ws/workers-lsp.toml"
  printf 'name = "web"\nmain = "src/index.ts"\n\n[[services]]\nbinding = "CART"\nservice = "cart"\n' > "$ws/web/wrangler.toml"
  printf 'export default {\n  async fetch(req: Request, env: Env) {\n    return env.CART.add(1);\n  },\n};\n' > "$ws/web/src/index.ts"
  printf 'name = "cart"\nmain = "src/index.ts"\n' > "$ws/cart/wrangler.toml"
  printf 'import { WorkerEntrypoint } from "cloudflare:workers";\nexport default class extends WorkerEntrypoint {\n  add(n: number) { return n; }\n}\n' > "$ws/cart/src/index.ts"
  cat > "$tmp/params.lua" <<'LUA'
return {
  file = "web/src/index.ts",
  diagnostic = { file = "cart/wrangler.toml", code = "fake-finding" },
  definition = { find = "env.CART.add", offset = 9, target_file = "cart/src/index.ts", target_line = 3 },
  completion = { after = "env.", label = "CART" },
  lens = false,
}
LUA
  printf '#!/bin/sh\nexec node "%s/fake-server.js" "$@"\n' "$here" > "$tmp/workers-lsp"
  chmod +x "$tmp/workers-lsp"
  export WORKERS_LSP_BIN="$tmp/workers-lsp" WORKERS_LSP_WORKSPACE="$ws" WORKERS_LSP_E2E_PARAMS="$tmp/params.lua"
  shift
elif [ -n "${1:-}" ]; then
  export WORKERS_LSP_WORKSPACE="$1"
fi

if [ -z "${WORKERS_LSP_BIN:-}" ]; then summary "FAIL (set WORKERS_LSP_BIN to the workers-lsp binary)"; exit 1; fi
case "$WORKERS_LSP_BIN" in
  /*) ;;
  */*) WORKERS_LSP_BIN="$PWD/$WORKERS_LSP_BIN" ;;
  *) WORKERS_LSP_BIN=$(command -v "$WORKERS_LSP_BIN" || echo "$WORKERS_LSP_BIN") ;;
esac
export WORKERS_LSP_BIN
if [ -n "${WORKERS_LSP_WORKSPACE:-}" ] && [ -d "$WORKERS_LSP_WORKSPACE" ]; then
  WORKERS_LSP_WORKSPACE=$(cd "$WORKERS_LSP_WORKSPACE" && pwd)
fi
if [ ! -f "$WORKERS_LSP_BIN" ] || [ ! -x "$WORKERS_LSP_BIN" ]; then summary "FAIL ($WORKERS_LSP_BIN is not an executable)"; exit 1; fi

# Every process started by this run inherits this token; after Neovim exits, any process
# still carrying it is an orphaned server.
token="workers-lsp-e2e-$$-$RANDOM$RANDOM"
export WORKERS_LSP_E2E_TOKEN="$token"
carriers() {
  local p
  for p in /proc/[0-9]*; do
    [ "${p#/proc/}" = "$$" ] && continue
    if { tr '\0' '\n' < "$p/environ"; } 2>/dev/null | grep -qx "WORKERS_LSP_E2E_TOKEN=$token"; then
      echo "${p#/proc/}"
    fi
  done
}

# Keep Neovim's state (and its lsp.log, printed on failure) out of the user's folders.
export XDG_CONFIG_HOME="$tmp/xdg/config" XDG_DATA_HOME="$tmp/xdg/data" \
  XDG_STATE_HOME="$tmp/xdg/state" XDG_CACHE_HOME="$tmp/xdg/cache"

cd "$repo"
log="$tmp/nvim.log"
set +e
timeout -k 5 "$timeout_s" "$nvim" --headless --clean -u NONE -i NONE -n \
  --cmd "set rtp^=$plugin" \
  -c "luafile $here/e2e.lua" > "$log" 2>&1 < /dev/null
status=$?
set -e
# The token is in this shell's environment too; only descendants count, and ours are gone.
unset WORKERS_LSP_E2E_TOKEN
cat "$log"

orphans=""
if [ -d /proc/self ]; then
  for _ in $(seq 1 30); do
    orphans=$(carriers | tr '\n' ' ' | sed 's/ $//')
    [ -z "$orphans" ] && break
    sleep 0.1
  done
  if [ -n "$orphans" ]; then
    ps -o pid,ppid,args -p "${orphans// /,}" 2>/dev/null || true
    for pid in $orphans; do kill -9 "$pid" 2>/dev/null || true; done
  fi
fi

result=$(grep -E '^E2E (PASS|FAIL): ' "$log" | tail -1 || true)
if [[ "$result" != "E2E PASS: "* ]]; then
  lsplog=$(find "$tmp/xdg" -name 'lsp.log' 2>/dev/null | head -1)
  if [ -n "$lsplog" ] && [ -s "$lsplog" ]; then
    echo "--- last lines of Neovim's lsp.log:"
    tail -n 30 "$lsplog"
    echo "---"
  fi
fi
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
  summary "FAIL (timed out after ${timeout_s}s) ${result#E2E FAIL: }"; exit 1
fi
if [ -n "$orphans" ]; then
  summary "FAIL (orphaned server process(es) $orphans after Neovim exited) ${result#E2E }"; exit 1
fi
if [ "$status" -ne 0 ] || [[ "$result" != "E2E PASS: "* ]]; then
  summary "FAIL (exit $status) ${result#E2E FAIL: }"; exit 1
fi
summary "PASS (${result#E2E PASS: }; no orphaned server)"
