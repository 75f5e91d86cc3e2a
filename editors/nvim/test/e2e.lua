-- Headless end-to-end test of the plugin against a real workers-lsp binary.
-- Run through test/run.sh, which starts:
--   nvim --headless --clean -u NONE --cmd "set rtp^=<plugin>" -c "luafile test/e2e.lua"
--
-- Environment:
--   WORKERS_LSP_BIN        the server binary (required)
--   WORKERS_LSP_WORKSPACE  the workspace folder (default: P.workspace below)
--   WORKERS_LSP_E2E_PARAMS a Lua file returning a table that overrides fields of P
--
-- Adjust P when the test workspace changes. Positions are given as text to find in the
-- file (first occurrence, plain match) plus a byte offset into it, so they survive edits.

local P = {
  -- Relative paths are taken from the repository root (run.sh's working directory).
  workspace = "test-workspaces/families/saas",
  -- The file that is opened; definition and completion requests are made in it.
  file = "gateway/src/middleware/auth.ts",
  -- A finding the server must publish (code), in this file of the workspace.
  diagnostic = { file = "gateway/src/middleware/auth.ts", code = "unknown-rpc-method" },
  -- Go-to-definition from a cross-worker RPC call: cursor on `find` + `offset` bytes.
  definition = {
    find = "AUTH.verifyToken",
    offset = 6,
    target_file = "auth/src/service.ts",
    target_line = 4, -- 1-based
  },
  -- Completion right after the first `after` in the file must offer `label`.
  completion = { after = "c.env.", label = "AUTH" },
  -- A code lens above the class in `file` (false: skip), whose command fills the quickfix
  -- list with a location in `bound_in` at `line` (1-based).
  lens = { file = "auth/src/service.ts", class = "AuthServiceImpl", bound_in = "gateway/wrangler.toml", line = 14 },
  -- Milliseconds to wait for each step.
  timeout = 20000,
}

---------------------------------------------------------------------------------------------

local started = vim.loop.hrtime()
local function log(msg)
  io.stdout:write(string.format("[e2e %6.2fs] %s\n", (vim.loop.hrtime() - started) / 1e9, msg))
  io.stdout:flush()
end

-- Stops the clients the way a user's :qa does (shutdown, then exit) and waits for the
-- server processes to end. Returns nil on a clean stop, else what went wrong.
local function stop_clients()
  local ok, plugin = pcall(require, "workers_lsp")
  local function any_left()
    local clients = vim.lsp.get_clients and vim.lsp.get_clients() or vim.lsp.get_active_clients()
    return next(clients) ~= nil
  end
  if not any_left() then
    return nil
  end
  if ok then
    pcall(plugin.stop)
  end
  if vim.wait(5000, function()
    return not any_left()
  end, 50) then
    return nil
  end
  log("the server did not exit within 5 s of shutdown/exit; killing it")
  if ok then
    pcall(plugin.stop, true)
  end
  vim.wait(2000, function()
    return not any_left()
  end, 50)
  return "the server did not exit after shutdown and exit (it had to be killed)"
end

local function finish(ok, msg)
  local problem = stop_clients()
  if ok and problem then
    ok, msg = false, problem
  end
  io.stdout:write((ok and "E2E PASS: " or "E2E FAIL: ") .. msg .. "\n")
  io.stdout:flush()
  vim.cmd(ok and "qall!" or "cquit!")
end

local function fail(msg)
  error({ e2e = msg }, 0)
end

local function check(cond, msg)
  if not cond then
    fail(msg)
  end
end

local function is_abs(p)
  return p:sub(1, 1) == "/" or p:match("^%a:[/\\]") ~= nil
end

local function uri_path(uri)
  return vim.uri_to_fname(uri):gsub("\\", "/")
end

-- 0-based LSP position (UTF-16 column) of `find` + `offset` in the buffer.
local function position_of(bufnr, find, offset)
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  for i, line in ipairs(lines) do
    local s = line:find(find, 1, true)
    if s then
      local byte_col = s - 1 + (offset or 0)
      local utf16
      if vim.fn.has("nvim-0.11") == 1 then
        utf16 = vim.str_utfindex(line, "utf-16", byte_col)
      else
        _, utf16 = vim.str_utfindex(line, byte_col)
      end
      return { line = i - 1, character = utf16 }, line
    end
  end
  fail(string.format("%q not found in %s", find, vim.api.nvim_buf_get_name(bufnr)))
end

local function request(bufnr, method, params)
  local responses, err = vim.lsp.buf_request_sync(bufnr, method, params, P.timeout)
  check(responses, string.format("%s: no response (%s)", method, tostring(err)))
  local results = {}
  for _, r in pairs(responses) do
    check(not r.error, string.format("%s: server error %s", method, vim.inspect(r.error)))
    if r.result ~= nil and r.result ~= vim.NIL then
      results[#results + 1] = r.result
    end
  end
  return results
end

local function open(path)
  vim.cmd("edit " .. vim.fn.fnameescape(path))
  return vim.api.nvim_get_current_buf()
end

local function run()
  local overrides = os.getenv("WORKERS_LSP_E2E_PARAMS")
  if overrides and overrides ~= "" then
    for k, v in pairs(dofile(overrides)) do
      P[k] = v
    end
  end
  local bin = os.getenv("WORKERS_LSP_BIN")
  check(bin and bin ~= "", "WORKERS_LSP_BIN is not set")
  check(vim.fn.executable(bin) == 1, "WORKERS_LSP_BIN=" .. bin .. " is not an executable")
  local ws = os.getenv("WORKERS_LSP_WORKSPACE") or P.workspace
  ws = vim.fn.fnamemodify(ws, ":p"):gsub("/$", "")
  check(vim.fn.isdirectory(ws) == 1, "workspace " .. ws .. " does not exist")
  local file = ws .. "/" .. P.file
  check(vim.fn.filereadable(file) == 1, "test file " .. file .. " does not exist")
  log("nvim " .. tostring(vim.version().major) .. "." .. tostring(vim.version().minor) .. ", server " .. bin)
  log("workspace " .. ws)

  vim.cmd("filetype on")
  local plugin = require("workers_lsp")
  plugin.setup({ server_path = bin })

  -- 1. attach
  local bufnr = open(file)
  check(vim.wait(P.timeout, function()
    return #plugin.get_clients(bufnr) > 0
  end, 50), "no workers_lsp client attached to " .. P.file .. " (filetype " .. vim.bo[bufnr].filetype .. ")")
  local client = plugin.get_clients(bufnr)[1]
  check(client.config.root_dir == ws, "client root " .. tostring(client.config.root_dir) .. ", expected " .. ws)
  check(vim.wait(P.timeout, function()
    return client.initialized ~= false
  end, 50), "client did not initialize")
  log("attached: client " .. client.id .. ", root " .. client.config.root_dir)

  -- 2. diagnostics
  local diag_buf = bufnr
  if P.diagnostic.file ~= P.file then
    diag_buf = open(ws .. "/" .. P.diagnostic.file)
    check(vim.wait(P.timeout, function()
      return #plugin.get_clients(diag_buf) > 0
    end, 50), "no client attached to " .. P.diagnostic.file)
    check(#plugin.get_clients() == 1, "a second client was started for the same root")
  end
  local function has_code()
    for _, d in ipairs(vim.diagnostic.get(diag_buf)) do
      local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
      if code == P.diagnostic.code then
        return true
      end
    end
    return false
  end
  if not vim.wait(P.timeout, has_code, 50) then
    local got = {}
    for _, d in ipairs(vim.diagnostic.get(diag_buf)) do
      got[#got + 1] = tostring(d.code)
    end
    fail(string.format("no %s diagnostic in %s (got: %s)", P.diagnostic.code, P.diagnostic.file, table.concat(got, ", ")))
  end
  log("diagnostic " .. P.diagnostic.code .. " in " .. P.diagnostic.file)
  if diag_buf ~= bufnr then
    vim.cmd("buffer " .. bufnr)
  end

  -- 3. definition
  local def = P.definition
  local pos = position_of(bufnr, def.find, def.offset)
  local results = request(bufnr, "textDocument/definition", {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = pos,
  })
  local targets = {}
  for _, result in ipairs(results) do
    local list = (result.uri or result.targetUri) and { result } or result
    for _, loc in ipairs(list) do
      local uri = loc.uri or loc.targetUri
      local range = loc.range or loc.targetSelectionRange or loc.targetRange
      targets[#targets + 1] = { path = uri_path(uri), line = range.start.line + 1 }
    end
  end
  check(#targets > 0, string.format("definition at %s:%d:%d returned nothing", P.file, pos.line + 1, pos.character + 1))
  local want = is_abs(def.target_file) and def.target_file or (ws .. "/" .. def.target_file)
  local found, seen = false, {}
  for _, t in ipairs(targets) do
    seen[#seen + 1] = t.path .. ":" .. t.line
    if t.path == want and t.line == def.target_line then
      found = true
    end
  end
  check(found, string.format("definition of %q: expected %s:%d, got %s", def.find, want, def.target_line, table.concat(seen, ", ")))
  log(string.format("definition -> %s:%d", def.target_file, def.target_line))

  -- 4. completion
  local comp = P.completion
  pos = position_of(bufnr, comp.after, #comp.after)
  results = request(bufnr, "textDocument/completion", {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = pos,
    context = { triggerKind = 2, triggerCharacter = comp.after:sub(-1) },
  })
  local labels = {}
  for _, result in ipairs(results) do
    for _, item in ipairs(result.items or result) do
      labels[#labels + 1] = item.label
    end
  end
  check(vim.tbl_contains(labels, comp.label), string.format("completion after %q: no %q among %d items (%s)", comp.after, comp.label, #labels, table.concat(labels, ", ", 1, math.min(#labels, 20))))
  log(string.format("completion after %q offers %s (%d items)", comp.after, comp.label, #labels))

  -- 5. code lens: its command (the plugin's client command) fills the quickfix list
  local lens_done = ""
  if P.lens then
    local lbuf = open(ws .. "/" .. P.lens.file)
    check(vim.wait(P.timeout, function()
      return #plugin.get_clients(lbuf) > 0
    end, 50), "no client attached to " .. P.lens.file)
    local lpos = position_of(lbuf, P.lens.class, 0)
    local lenses = request(lbuf, "textDocument/codeLens", { textDocument = { uri = vim.uri_from_bufnr(lbuf) } })
    local lens
    for _, result in ipairs(lenses) do
      for _, l in ipairs(result) do
        if l.range.start.line == lpos.line and l.command then
          lens = l
        end
      end
    end
    check(lens, "no code lens on " .. P.lens.class .. " in " .. P.lens.file)
    local handler = vim.lsp.commands[lens.command.command]
    check(handler, "the plugin registers no handler for " .. lens.command.command)
    handler(lens.command, { bufnr = lbuf, client_id = plugin.get_clients(lbuf)[1].id })
    local want = ws .. "/" .. P.lens.bound_in
    local found, seen = false, {}
    for _, item in ipairs(vim.fn.getqflist()) do
      local name = vim.api.nvim_buf_get_name(item.bufnr)
      seen[#seen + 1] = name .. ":" .. item.lnum
      if name == want and item.lnum == P.lens.line then
        found = true
      end
    end
    check(found, string.format("lens %q: quickfix lacks %s:%d (got %s)", lens.command.title, want, P.lens.line, table.concat(seen, ", ")))
    log(string.format("code lens %q -> quickfix %s:%d", lens.command.title, P.lens.bound_in, P.lens.line))
    lens_done = ", code lens"
  end

  return string.format("attach, diagnostic %s, definition, completion %s%s in %s", P.diagnostic.code, comp.label, lens_done, vim.fn.fnamemodify(ws, ":t"))
end

local ok, res = xpcall(run, function(e)
  if type(e) == "table" and e.e2e then
    return e
  end
  return { e2e = "Lua error: " .. tostring(e) .. "\n" .. debug.traceback() }
end)
if ok then
  finish(true, res)
else
  finish(false, res.e2e)
end
