#!/usr/bin/env bash
# Step 2 of the composite action (action.yml): runs `workers-lsp check`.
#
# Env: WL_PATHS (whitespace-separated, default .), WL_FORMAT (github | sarif),
#      WL_DENY_WARNINGS (true | false), WL_FAIL_ON_FINDINGS (true | false),
#      WL_SARIF_FILE (default workers-lsp.sarif), GITHUB_OUTPUT.
# Outputs: exit-code (0 no errors, 1 findings, 2 usage error), sarif-file (sarif only).
# In sarif mode this step does not fail on findings: action.yml uploads the report first and
# fails afterwards (when fail-on-findings is true).
set -euo pipefail

fail() { echo "::error title=workers-lsp::$*"; exit 2; }

format=${WL_FORMAT:-github}
read -r -a paths <<<"${WL_PATHS:-.}"
[ ${#paths[@]} -gt 0 ] || paths=(.)
args=(check "${paths[@]}" --output-format "$format")
case "${WL_DENY_WARNINGS:-false}" in
  true) args+=(--deny warnings) ;;
  false) ;;
  *) fail "input 'deny-warnings' is '$WL_DENY_WARNINGS'; use true or false" ;;
esac
case "${WL_FAIL_ON_FINDINGS:-true}" in
  true | false) ;;
  *) fail "input 'fail-on-findings' is '$WL_FAIL_ON_FINDINGS'; use true or false" ;;
esac

code=0
case "$format" in
  github)
    echo "workers-lsp ${args[*]}"
    workers-lsp "${args[@]}" || code=$?
    ;;
  sarif)
    sarif=${WL_SARIF_FILE:-workers-lsp.sarif}
    mkdir -p "$(dirname "$sarif")"
    echo "workers-lsp ${args[*]} > $sarif"
    workers-lsp "${args[@]}" > "$sarif" || code=$?
    abs=$(cd "$(dirname "$sarif")" && pwd)/$(basename "$sarif")
    echo "sarif-file=$abs" >> "${GITHUB_OUTPUT:?}"
    ;;
  *) fail "input 'format' is '$format'; use github or sarif" ;;
esac
echo "exit-code=$code" >> "${GITHUB_OUTPUT:?}"

if [ "$code" -ge 2 ]; then
  fail "workers-lsp check failed to run (exit code $code)"
fi
if [ "$code" -eq 1 ] && [ "$format" = github ] && [ "${WL_FAIL_ON_FINDINGS:-true}" = true ]; then
  what=errors
  [ "${WL_DENY_WARNINGS:-false}" = true ] && what="errors or warnings"
  echo "workers-lsp check found $what"
  exit 1
fi
exit 0
