#!/usr/bin/env bash
# Tests the composite action (action.yml and the scripts beside this file) on this machine:
# install.sh against the release archive that `cargo xtask dist` wrote (served from a file://
# folder in place of the GitHub release), check.sh on the bundled families in both formats,
# the failure paths, and the README's workflow examples linted by actionlint against
# action.yml's real inputs.
#
# Usage: .github/action/test.sh DIST_DIR     (needs actionlint on PATH for the last part)
set -euo pipefail

die() { printf 'action test: FAIL: %s\n' "$*" >&2; exit 1; }
[ $# -eq 1 ] || die "usage: $0 DIST_DIR"
dist=$(cd "$1" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
version=$(awk -F'"' '/^version *=/ { print $2; exit }' "$root/server/Cargo.toml")
[ -s "$dist/SHA256SUMS" ] || die "$dist/SHA256SUMS is missing (run cargo xtask dist)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
ok() { passed=$((passed + 1)); echo "  ok: $*"; }

# A fresh fake runner: its own temp folder, PATH and output files.
runner() {
  local name=$1
  export RUNNER_TEMP="$work/$name/tmp" GITHUB_PATH="$work/$name/path" GITHUB_OUTPUT="$work/$name/output"
  export RUNNER_OS=Linux RUNNER_ARCH=X64 WL_REPOSITORY=workers-lsp/workers-lsp WL_ACTION_REF="v$version"
  export WORKERS_LSP_DOWNLOAD_BASE="file://$dist"
  unset WL_VERSION WL_INSTALL
  mkdir -p "$RUNNER_TEMP"
  : > "$GITHUB_PATH"
  : > "$GITHUB_OUTPUT"
}
output() { awk -F= -v k="$1" '$1 == k { v = substr($0, length(k) + 2) } END { print v }' "$GITHUB_OUTPUT"; }

echo "action: install.sh"
runner install
bash "$here/install.sh" > "$work/install.log" 2>&1 || { cat "$work/install.log"; die "install.sh failed"; }
bin=$(cat "$GITHUB_PATH")
[ -x "$bin/workers-lsp" ] || die "install.sh put no executable workers-lsp in $bin"
[ "$(output path)" = "$bin/workers-lsp" ] || die "output path is '$(output path)'"
[ "$("$bin/workers-lsp" --version)" = "workers-lsp $version" ] || die "the installed binary is not version $version"
ok "installs v$version from the release archive (version from the action's ref) and adds it to PATH"
installed_bin=$bin

expect_install_failure() {
  local what=$1 pattern=$2
  if bash "$here/install.sh" > "$work/fail.log" 2>&1; then die "install.sh succeeded: $what"; fi
  grep -q "$pattern" "$work/fail.log" || { cat "$work/fail.log"; die "install.sh failed without saying '$pattern': $what"; }
  [ ! -s "$GITHUB_PATH" ] || die "install.sh added to PATH although it failed: $what"
  ok "refuses $what"
}

runner tampered
mkdir "$work/tampered/dist"
cp "$dist"/*.tar.gz "$work/tampered/dist/"
sed 's/^0/X/; s/^[1-9a-f]/0/; s/^X/1/' "$dist/SHA256SUMS" > "$work/tampered/dist/SHA256SUMS"
export WORKERS_LSP_DOWNLOAD_BASE="file://$work/tampered/dist"
expect_install_failure "an archive whose checksum does not match SHA256SUMS" "checksum mismatch"

runner branch
export WL_ACTION_REF=main
expect_install_failure "a branch ref without a version input" "set the input 'version'"
export WL_VERSION="v$version"
bash "$here/install.sh" > "$work/install.log" 2>&1 || { cat "$work/install.log"; die "install.sh with version v$version failed"; }
ok "takes the version input (v prefix allowed) when the ref is a branch"

runner arch
export RUNNER_ARCH=ARM
expect_install_failure "a runner without a release build" "no workers-lsp release for the runner Linux/ARM"

runner missing
export WL_VERSION=9.9.9
expect_install_failure "a version that has no release" "cannot download"

runner bad-install
export WL_INSTALL=cargo
expect_install_failure "an unknown install input" "use release or npm"

echo "action: check.sh"
export PATH="$installed_bin:$PATH"
# check NAME DIR VAR=VALUE...: check.sh in DIR with those inputs, on a fresh fake runner.
check() {
  local name=$1 dir=$2
  shift 2
  runner "check-$name"
  (cd "$dir" && env "$@" bash "$here/check.sh") > "$work/check-$name.log" 2>&1
}
families="$root/test-workspaces/families"

code=0
check saas-github "$families/saas" WL_FORMAT=github || code=$?
[ "$code" -eq 1 ] || die "check.sh on families/saas exited $code, expected 1"
[ "$(output exit-code)" = 1 ] || die "exit-code output is '$(output exit-code)', expected 1"
grep -q '^::error file=' "$work/check-saas-github.log" || die "no ::error annotation for families/saas"
ok "github format on families/saas: annotations, exit-code 1, the step fails"

check saas-nofail "$families/saas" WL_FORMAT=github WL_FAIL_ON_FINDINGS=false || die "fail-on-findings=false still failed"
[ "$(output exit-code)" = 1 ] || die "exit-code output is '$(output exit-code)' with fail-on-findings=false"
ok "fail-on-findings: false passes the step but reports exit-code 1"

check shop-github "$families/shop" WL_FORMAT=github || die "check.sh on families/shop failed"
[ "$(output exit-code)" = 0 ] || die "exit-code on families/shop is '$(output exit-code)'"
ok "github format on families/shop: exit-code 0"

check paths "$families" WL_FORMAT=github WL_PATHS="shop" || die "check.sh with paths=shop failed"
[ "$(output exit-code)" = 0 ] || die "exit-code with paths=shop is '$(output exit-code)'"
code=0
check paths-saas "$families" WL_PATHS="shop saas" || code=$?
[ "$code" -eq 1 ] || die "paths='shop saas' exited $code, expected 1"
ok "the paths input names the roots to check"

sarif="$work/sarif/nested/report.sarif"
check saas-sarif "$families/saas" WL_FORMAT=sarif WL_SARIF_FILE="$sarif" || die "sarif mode failed the step before the upload"
[ "$(output exit-code)" = 1 ] || die "sarif exit-code is '$(output exit-code)'"
[ "$(output sarif-file)" = "$sarif" ] || die "sarif-file output is '$(output sarif-file)'"
python3 - "$sarif" <<'PY' || die "the SARIF report is not SARIF 2.1.0 with results"
import json, sys
report = json.load(open(sys.argv[1]))
assert report["version"] == "2.1.0", report.get("version")
assert report["runs"][0]["results"], "no results"
PY
ok "sarif format: a SARIF 2.1.0 report with results, exit-code 1, the step itself passes"

check bad-format "$families/saas" WL_FORMAT=json && die "format json was accepted"
[ "$(output exit-code)" = "" ] || die "a rejected format still ran check"
check bad-deny "$families/saas" WL_DENY_WARNINGS=yes && die "deny-warnings=yes was accepted"
code=0
check no-root "$families/shop" WL_PATHS=no-such-folder || code=$?
[ "$code" -eq 2 ] || die "a missing root exited $code, expected 2"
ok "rejects an unknown format or flag value; a missing root fails with 2"

echo "action: action.yml and the README's workflow examples"
python3 - "$root/action.yml" <<'PY' || die "action.yml is inconsistent"
import re, sys, yaml
action = yaml.safe_load(open(sys.argv[1]))
assert action["runs"]["using"] == "composite"
inputs = set(action["inputs"])
text = open(sys.argv[1]).read()
used = set(re.findall(r"inputs\.([a-z-]+)", text))
assert used <= inputs, f"undeclared inputs used: {used - inputs}"
assert inputs <= used, f"declared but unused inputs: {inputs - used}"
steps = {s.get("id") for s in action["runs"]["steps"]}
for name, out in action["outputs"].items():
    m = re.fullmatch(r"\$\{\{ steps\.([a-z]+)\.outputs\.([a-z-]+) \}\}", out["value"])
    assert m and m.group(1) in steps, f"output {name} reads no step: {out['value']}"
for s in action["runs"]["steps"]:
    if "run" in s:
        assert s.get("shell") == "bash", f"step {s.get('id')} needs shell: bash"
PY
ok "action.yml: every input is used, every output reads a step"

if command -v actionlint >/dev/null; then
  # Each ```yaml block of the README that is a workflow, with our action made local (uses: ./)
  # so that actionlint checks its inputs against action.yml.
  lint="$work/lint"
  mkdir -p "$lint/.github/workflows"
  cp "$root/action.yml" "$lint/"
  git -C "$lint" init -q
  python3 - "$root/README.md" "$lint/.github/workflows" <<'PY' || die "the README has no workflow example using the action"
import re, sys
readme = open(sys.argv[1]).read()
blocks = re.findall(r"```yaml\n(.*?)```", readme, re.S)
n = 0
for b in blocks:
    if "jobs:" not in b or "workers-lsp/workers-lsp@" not in b:
        continue
    n += 1
    b = re.sub(r"workers-lsp/workers-lsp@\S+", "./", b)
    open(f"{sys.argv[2]}/readme-{n}.yml", "w").write(b)
assert n >= 2, f"{n} workflow examples"
print(f"  {n} README workflow examples")
PY
  (cd "$lint" && actionlint) || die "actionlint found problems in the README's workflow examples"
  # And a misspelt input is caught (the check above can fail).
  printf 'on: push\njobs:\n  c:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ./\n        with:\n          formatt: sarif\n' \
    > "$lint/.github/workflows/misspelt.yml"
  if (cd "$lint" && actionlint >/dev/null 2>&1); then die "actionlint did not catch a misspelt input of the action"; fi
  ok "README workflow examples pass actionlint against action.yml"
else
  echo "  skipped: actionlint is not installed"
fi

echo "action test: PASS ($passed checks)"
