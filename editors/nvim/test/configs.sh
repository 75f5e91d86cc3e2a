#!/usr/bin/env bash
# Headless Neovim tests that need no server:
# 1. `:help workers-lsp` works for a plugin installed by hand as editors/README.md says
#    (folder on 'runtimepath', then `:helptags`), and every |link| of the help resolves;
# 2. test/configs.lua: lsp/workers_lsp.lua, the legacy lspconfig entry, and the README's
#    nvim-lspconfig snippet, against a stand-in of nvim-lspconfig (LSPCONFIG=/path/to/a
#    nvim-lspconfig checkout uses that instead).
# Usage: editors/nvim/test/configs.sh     NVIM=/path/to/nvim selects another Neovim.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
plugin=$(cd "$here/.." && pwd)
editors=$(cd "$plugin/.." && pwd)
nvim=${NVIM:-nvim}
die() { echo "nvim configs: FAIL: $*" >&2; exit 1; }
command -v "$nvim" >/dev/null || die "nvim not found (apt-get install neovim)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_CONFIG_HOME="$tmp/xdg/config" XDG_DATA_HOME="$tmp/xdg/data" \
  XDG_STATE_HOME="$tmp/xdg/state" XDG_CACHE_HOME="$tmp/xdg/cache"
run_nvim() { timeout -k 5 60 "$nvim" --headless --clean -u NONE -i NONE -n "$@" < /dev/null; }

# 1. Help. The README's hand install: the plugin folder on 'runtimepath', then :helptags on
# its doc folder. A copy stands in for the user's clone (helptags writes doc/tags).
installed="$tmp/workers-lsp/editors/nvim"
mkdir -p "$(dirname "$installed")"
cp -R "$plugin" "$installed"
rm -f "$installed/doc/tags"
grep -q ':helptags' "$editors/README.md" || die "editors/README.md does not tell to run :helptags"

# Without helptags, :help cannot find the plugin's help (so the next check can fail).
if run_nvim --cmd "set rtp^=$installed" -c "try | help workers-lsp | catch | cquit 3 | endtry" -c "qall!" > "$tmp/nohelp.log" 2>&1; then
  die ":help workers-lsp worked before :helptags; the test below proves nothing"
fi

cat > "$tmp/help.vim" <<'VIM'
let s:doc = g:plugin_dir . '/doc'
execute 'helptags ' . fnameescape(s:doc)
if !filereadable(s:doc . '/tags')
  echo 'HELP FAIL: helptags wrote no tags file'
  cquit 1
endif
try
  help workers-lsp
catch
  echo 'HELP FAIL: ' . v:exception
  cquit 1
endtry
if expand('%:p') !=# s:doc . '/workers-lsp.txt'
  echo 'HELP FAIL: :help workers-lsp opened ' . expand('%:p')
  cquit 1
endif
" Every |link| in the plugin's help must be a tag (the plugin's own or Neovim's).
let s:missing = []
for s:line in readfile(s:doc . '/workers-lsp.txt')
  for s:link in split(s:line, '|[^| \t]\+|\zs')
    let s:m = matchstr(s:link, '|\zs[^| \t]\+\ze|')
    if s:m !=# '' && empty(taglist('^' . escape(s:m, '\.*$^~[]') . '$'))
      call add(s:missing, s:m)
    endif
  endfor
endfor
if !empty(s:missing)
  echo 'HELP FAIL: links without a tag: ' . join(s:missing, ', ')
  cquit 1
endif
for s:tag in ['workers-lsp', 'workers-lsp-install', 'workers-lsp-lspconfig', 'workers-lsp-mason']
  try
    execute 'help ' . s:tag
  catch
    echo 'HELP FAIL: :help ' . s:tag . ': ' . v:exception
    cquit 1
  endtry
endfor
echo 'HELP PASS'
qall!
VIM
run_nvim --cmd "set rtp^=$installed" --cmd "let g:plugin_dir = '$installed'" -S "$tmp/help.vim" > "$tmp/help.log" 2>&1 \
  || { cat "$tmp/help.log"; die ":help workers-lsp"; }
grep -q 'HELP PASS' "$tmp/help.log" || { cat "$tmp/help.log"; die "the help check printed no result"; }
echo "  ok: :help workers-lsp after :helptags, every |link| resolves"

# 2. Configs.
lspconfig=${LSPCONFIG:-$here/lspconfig-standin}
[ -f "$lspconfig/lua/lspconfig/configs.lua" ] || die "$lspconfig is not an nvim-lspconfig folder"
mkdir -p "$tmp/fixtures"
WORKERS_LSP_TEST_TMP="$tmp/fixtures" WORKERS_LSP_README="$editors/README.md" \
  run_nvim --cmd "set rtp^=$plugin,$lspconfig" -c "luafile $here/configs.lua" > "$tmp/configs.log" 2>&1 || true
cat "$tmp/configs.log"
grep -q '^CONFIGS PASS' "$tmp/configs.log" || die "configs (lspconfig: $lspconfig)"
echo "nvim configs: PASS ($("$nvim" --version | head -1), lspconfig: $(basename "$lspconfig"))"
