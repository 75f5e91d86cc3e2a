-- Headless tests of the plugin's configs for other set-ups, run by test/configs.sh:
--   nvim --headless --clean -u NONE --cmd "set rtp^=<plugin>,<lspconfig>" -c "luafile test/configs.lua"
-- 1. lsp/workers_lsp.lua (Neovim 0.11+ vim.lsp.config): its root_dir(bufnr, on_dir).
-- 2. require("workers_lsp.lspconfig").register(): the legacy lspconfig.configs entry.
-- 3. The nvim-lspconfig snippet without this plugin in editors/README.md (run as written).
-- Each root rule must start the server in a repository that holds a worker and nowhere else.
-- Environment: WORKERS_LSP_TEST_TMP (a scratch folder), WORKERS_LSP_README (editors/README.md).
-- Prints "CONFIGS PASS: n checks" or "CONFIGS FAIL: ..." and exits 0 or 1.

local tmp = assert(os.getenv("WORKERS_LSP_TEST_TMP"), "WORKERS_LSP_TEST_TMP")
local readme = assert(os.getenv("WORKERS_LSP_README"), "WORKERS_LSP_README")
local checks = 0

local function fail(msg)
  io.stdout:write("CONFIGS FAIL: " .. msg .. "\n")
  vim.cmd("cquit 1")
end

local function eq(got, want, what)
  if got ~= want then
    fail(string.format("%s: got %s, want %s", what, vim.inspect(got), vim.inspect(want)))
  end
  checks = checks + 1
end

local function write(path, text)
  vim.fn.mkdir(vim.fn.fnamemodify(path, ":h"), "p")
  local f = assert(io.open(path, "w"))
  f:write(text)
  f:close()
end

-- Fixtures: a family in a git repository; a git repository without any worker; a lone worker
-- outside any repository; a shared folder in the family with no config above it.
local family = tmp .. "/family"
vim.fn.mkdir(family .. "/.git", "p")
write(family .. "/api/wrangler.toml", 'name = "api"\nmain = "src/index.ts"\n')
write(family .. "/api/src/index.ts", "export default {};\n")
write(family .. "/billing/wrangler.jsonc", '{ "name": "billing" }\n')
write(family .. "/billing/src/index.ts", "export default {};\n")
write(family .. "/shared/util.ts", "export const x = 1;\n")
local plain = tmp .. "/plain"
vim.fn.mkdir(plain .. "/.git", "p")
write(plain .. "/src/index.ts", "export {};\n")
write(plain .. "/package.json", "{}\n")
local solo = tmp .. "/solo"
write(solo .. "/wrangler.staging.toml", 'name = "solo"\n')
write(solo .. "/src/index.ts", "export default {};\n")

local cases = {
  { file = family .. "/api/src/index.ts", root = family, what = "a worker's source in a family" },
  { file = family .. "/billing/wrangler.jsonc", root = family, what = "a worker's jsonc config" },
  { file = plain .. "/src/index.ts", root = nil, what = "a git repository without a worker" },
  { file = solo .. "/src/index.ts", root = solo, what = "a lone worker outside a repository" },
}

local function check_rule(name, root_dir, skip)
  for _, c in ipairs(cases) do
    if not (skip and skip[c.what]) then
      eq(root_dir(c.file), c.root, name .. ", " .. c.what)
    end
  end
end

local plugin = require("workers_lsp")

-- 1. lsp/workers_lsp.lua
local files = vim.api.nvim_get_runtime_file("lsp/workers_lsp.lua", false)
eq(#files, 1, "lsp/workers_lsp.lua on runtimepath")
local native = dofile(files[1])
eq(native.cmd[1], "workers-lsp", "lsp/workers_lsp.lua cmd")
eq(table.concat(native.cmd, " ", 2), "serve --stdio", "lsp/workers_lsp.lua args")
eq(table.concat(native.filetypes, ","), table.concat(plugin.default_filetypes, ","), "lsp/workers_lsp.lua filetypes")
check_rule("lsp/workers_lsp.lua", function(file)
  local buf = vim.fn.bufadd(file)
  local got
  native.root_dir(buf, function(dir)
    got = dir
  end)
  return got
end)
-- The shared folder of a family: the plugin finds the workers below the repository root.
eq(plugin.find_root(family .. "/shared/util.ts"), family, "find_root, a shared folder in a family")

-- The server's rule wins when the binary can be asked (`workers-lsp root DIR`): a stand-in
-- that answers the family's api folder, as a workers-lsp.toml there would make it.
local fake = tmp .. "/bin/workers-lsp"
write(fake, '#!/bin/sh\n[ "$1" = root ] && [ -n "$2" ] && echo "' .. family .. '/api/"\n')
vim.fn.setfperm(fake, "rwxr-xr-x")
local with_server = vim.tbl_extend("force", plugin.defaults, { server_path = fake })
plugin.clear_cache()
eq(plugin.server_root(family .. "/api/src", with_server), family .. "/api", "server_root asks the binary")
eq(plugin.find_root(family .. "/api/src/index.ts", with_server), family .. "/api", "find_root takes the server's root")
-- A binary that cannot answer: the plugin's own rules.
local mute = tmp .. "/bin/mute"
write(mute, "#!/bin/sh\nexit 3\n")
vim.fn.setfperm(mute, "rwxr-xr-x")
plugin.clear_cache()
eq(plugin.find_root(family .. "/api/src/index.ts", vim.tbl_extend("force", plugin.defaults, { server_path = mute })),
  family, "find_root without an answer from the binary")
plugin.clear_cache()

-- 2. The legacy lspconfig.configs entry.
local configs = require("lspconfig.configs")
eq(configs.workers_lsp, nil, "no workers_lsp before register()")
local entry = require("workers_lsp.lspconfig").register()
eq(configs.workers_lsp, entry, "register() adds configs.workers_lsp")
eq(require("workers_lsp.lspconfig").register(), entry, "register() twice keeps the first entry")
local def = entry.document_config.default_config
eq(table.concat(def.cmd, " "), "workers-lsp serve --stdio", "legacy cmd")
eq(table.concat(def.filetypes, ","), table.concat(plugin.default_filetypes, ","), "legacy filetypes")
check_rule("legacy register()", def.root_dir)
eq(type(require("lspconfig").workers_lsp.setup), "function", 'require("lspconfig").workers_lsp.setup')

-- 3. The README snippet for nvim-lspconfig without this plugin, run as written. It must not
-- need the plugin: hide it first.
local text = table.concat(vim.fn.readfile(readme), "\n")
local section = text:match("### With nvim%-lspconfig, without this plugin(.-)\n### ")
  or text:match("### With nvim%-lspconfig, without this plugin(.-)\n## ")
if not section then
  fail("editors/README.md has no section '### With nvim-lspconfig, without this plugin'")
end
local snippet = section:match("```lua\n(.-)```")
if not snippet then
  fail("that section has no lua block")
end
rawset(configs, "workers_lsp", nil)
package.loaded["workers_lsp"] = nil
package.preload["workers_lsp"] = function()
  error("the README snippet must not need the workers_lsp plugin")
end
local chunk, err = loadstring(snippet, "editors/README.md snippet")
if not chunk then
  fail("the README snippet does not parse: " .. err)
end
local ok, run_err = pcall(chunk)
if not ok then
  fail("the README snippet failed: " .. tostring(run_err))
end
local readme_entry = configs.workers_lsp
if not readme_entry then
  fail("the README snippet did not define configs.workers_lsp")
end
eq(readme_entry.manager ~= nil, true, "the README snippet calls setup()")
check_rule("README root_pattern rule", readme_entry.document_config.default_config.root_dir)
-- Without the plugin the snippet only starts at a wrangler config upward from the file.
eq(readme_entry.document_config.default_config.root_dir(family .. "/shared/util.ts"), nil,
  "README rule, a shared folder with no config above it")

io.stdout:write(string.format("CONFIGS PASS: %d checks\n", checks))
vim.cmd("qall!")
