-- workers-lsp for Neovim: starts the workers-lsp language server for buffers of a
-- repository holding Cloudflare Workers. Works on Neovim 0.7 (vim.lsp.start_client +
-- vim.lsp.buf_attach_client, one client per root) and on later releases (vim.lsp.start).

local M = {}

local uv = vim.loop or vim.uv

M.default_filetypes = {
  "typescript",
  "javascript",
  "typescriptreact",
  "javascriptreact",
  "toml",
  "json",
  "jsonc",
}

M.defaults = {
  -- Binary to run; when nil, `workers-lsp` on PATH.
  server_path = nil,
  -- Arguments after the binary.
  args = { "serve", "--stdio" },
  -- Extra arguments appended after `args`.
  extra_args = {},
  -- Full command; overrides server_path/args/extra_args when set.
  cmd = nil,
  filetypes = M.default_filetypes,
  -- Folders that mark the workspace root (nearest one upward wins).
  root_markers = { ".git", "workers-lsp.toml" },
  -- Passed through to the client.
  on_attach = nil,
  capabilities = nil,
  settings = nil,
  init_options = nil,
  handlers = nil,
  -- How deep below a marker root to look for a wrangler config when the buffer's own
  -- folders hold none (a shared library folder next to the workers, say).
  search_depth = 4,
  -- Start clients from FileType autocommands. With false, call attach() yourself.
  autostart = true,
  -- Show the server's code lenses ("bound by 2 workers" above an entrypoint or Durable
  -- Object class; run one with vim.lsp.codelens.run()), refreshed on BufEnter, InsertLeave
  -- and after writes.
  codelens = true,
}

M.config = nil
-- root -> client id (Neovim 0.7 path; vim.lsp.start reuses by name and root itself).
local clients_by_root = {}
-- root -> true/false: does the tree below a marker root hold a wrangler config?
local tree_cache = {}
local warned_missing = false

M.name = "workers_lsp"

---------------------------------------------------------------------------------------------
-- Paths

local function join(a, b)
  if a:sub(-1) == "/" or a:sub(-1) == "\\" then
    return a .. b
  end
  return a .. "/" .. b
end

local function parent(dir)
  local p = vim.fn.fnamemodify(dir, ":h")
  if p == dir or p == "" then
    return nil
  end
  return p
end

local function is_executable(path)
  return path ~= nil and path ~= "" and vim.fn.executable(path) == 1
end

local function exists(path)
  return uv.fs_stat(path) ~= nil
end

--- True for a file name wrangler would read as a config: wrangler.toml/json/jsonc, or any
--- *.toml/*.json/*.jsonc whose name contains "wrangler" (wrangler.staging.toml, ...).
function M.is_wrangler_config(name)
  local lower = name:lower()
  if not lower:find("wrangler", 1, true) then
    return false
  end
  return lower:match("%.toml$") ~= nil or lower:match("%.json$") ~= nil or lower:match("%.jsonc$") ~= nil
end

local function dir_has_wrangler_config(dir)
  local handle = uv.fs_scandir(dir)
  if not handle then
    return false
  end
  while true do
    local name, kind = uv.fs_scandir_next(handle)
    if not name then
      return false
    end
    if (kind == "file" or kind == "link") and M.is_wrangler_config(name) then
      return true
    end
  end
end

local skip_dirs = { [".git"] = true, node_modules = true, [".wrangler"] = true, dist = true, target = true }

-- Bounded breadth-first search below `root` for a wrangler config.
local function tree_has_wrangler_config(root, max_depth)
  if tree_cache[root] ~= nil then
    return tree_cache[root]
  end
  local queue, depth_of, budget = { root }, { [root] = 0 }, 5000
  local i = 1
  local found = false
  while queue[i] and budget > 0 do
    local dir = queue[i]
    i = i + 1
    local handle = uv.fs_scandir(dir)
    while handle do
      local name, kind = uv.fs_scandir_next(handle)
      if not name then
        break
      end
      budget = budget - 1
      if (kind == "file" or kind == "link") and M.is_wrangler_config(name) then
        found = true
        break
      elseif kind == "directory" and not skip_dirs[name] and depth_of[dir] < max_depth then
        local sub = join(dir, name)
        depth_of[sub] = depth_of[dir] + 1
        queue[#queue + 1] = sub
      end
    end
    if found then
      break
    end
  end
  tree_cache[root] = found
  return found
end

--- The workspace root for a file path, or nil when the file is not in a workspace holding a
--- wrangler config. Root = the nearest folder upward holding one of `root_markers` (.git,
--- workers-lsp.toml), provided the workspace has a wrangler config; else the topmost folder
--- upward that holds a wrangler config.
function M.find_root(path, opts)
  opts = opts or M.config or M.defaults
  if not path or path == "" then
    return nil
  end
  path = vim.fn.fnamemodify(path, ":p")
  local dir = path
  local stat = uv.fs_stat(path)
  if not (stat and stat.type == "directory") then
    dir = vim.fn.fnamemodify(path, ":h")
  end
  dir = dir:gsub("[/\\]$", "")
  if dir == "" then
    dir = "/"
  end

  -- The server's own rule (`workers-lsp root`), so that the client, `check` and the server
  -- agree; these Lua rules only when the binary cannot be asked.
  local server_root = M.server_root(dir, opts)
  local marker_root, topmost_config, config_below_marker = nil, nil, false
  local d = dir
  while d do
    local has_config = dir_has_wrangler_config(d)
    if has_config then
      topmost_config = d
      if not marker_root then
        config_below_marker = true
      end
    end
    if server_root and d == server_root then
      marker_root = d
    end
    if not marker_root and not server_root then
      for _, marker in ipairs(opts.root_markers or M.defaults.root_markers) do
        if exists(join(d, marker)) then
          marker_root = d
          break
        end
      end
    end
    d = parent(d)
  end

  if marker_root then
    if config_below_marker or tree_has_wrangler_config(marker_root, opts.search_depth or M.defaults.search_depth) then
      return marker_root
    end
    return nil
  end
  return topmost_config
end

-- dir -> the server's answer (false: it could not be asked).
local server_root_cache = {}

--- The project root the server uses for `dir`: `workers-lsp root DIR`, with the binary of
--- `server_path` or on PATH (not a custom `cmd`, which may not take subcommands). Nil when
--- the binary cannot be run or answers nothing. Cached per folder.
function M.server_root(dir, opts)
  opts = opts or M.config or M.defaults
  local cached = server_root_cache[dir]
  if cached ~= nil then
    return cached or nil
  end
  local bin
  if opts.cmd then
    bin = nil
  elseif opts.server_path and opts.server_path ~= "" then
    bin = vim.fn.expand(opts.server_path)
  else
    bin = vim.fn.exepath("workers-lsp")
  end
  local root = false
  if is_executable(bin) then
    local out = vim.fn.system({ bin, "root", dir })
    if vim.v.shell_error == 0 then
      local line = vim.trim(out):gsub("[/\\]$", "")
      if line ~= "" and vim.fn.isdirectory(line) == 1 then
        root = line
      end
    end
  end
  server_root_cache[dir] = root
  return root or nil
end

--- Forget cached directory scans and root answers (after creating a wrangler config, say).
function M.clear_cache()
  tree_cache = {}
  server_root_cache = {}
end

---------------------------------------------------------------------------------------------
-- Command

--- The command that starts the server, or nil and a reason.
function M.resolve_cmd(opts)
  opts = opts or M.config or M.defaults
  if opts.cmd then
    if not is_executable(opts.cmd[1]) then
      return nil, string.format("%s is not an executable", tostring(opts.cmd[1]))
    end
    return opts.cmd
  end
  local bin = opts.server_path
  if bin and bin ~= "" then
    bin = vim.fn.expand(bin)
    if not is_executable(bin) then
      return nil, string.format("server_path %s is not an executable", bin)
    end
  else
    bin = vim.fn.exepath("workers-lsp")
    if bin == "" then
      return nil, "workers-lsp was not found on PATH (set server_path in setup())"
    end
  end
  local cmd = { bin }
  for _, a in ipairs(opts.args or {}) do
    cmd[#cmd + 1] = a
  end
  for _, a in ipairs(opts.extra_args or {}) do
    cmd[#cmd + 1] = a
  end
  return cmd
end

---------------------------------------------------------------------------------------------
-- Clients

local function client_alive(id)
  local client = id and vim.lsp.get_client_by_id(id)
  if not client then
    return false
  end
  local stopped
  if type(client.is_stopped) == "function" then
    stopped = client.is_stopped()
  end
  return not stopped
end

--- Clients of this plugin (optionally only those attached to `bufnr`).
function M.get_clients(bufnr)
  local list = {}
  if vim.lsp.get_clients then
    list = vim.lsp.get_clients({ name = M.name, bufnr = bufnr })
  else
    local all = bufnr and vim.lsp.buf_get_clients(bufnr) or vim.lsp.get_active_clients()
    for _, c in pairs(all) do
      if c.name == M.name then
        list[#list + 1] = c
      end
    end
  end
  return list
end

--- The client command of the server's code lenses: the config entries that bind a class,
--- as the quickfix list. Arguments: the document URI, the position, the locations.
function M.show_references(command, ctx)
  local locations = command.arguments and command.arguments[3] or {}
  local client = ctx and ctx.client_id and vim.lsp.get_client_by_id(ctx.client_id)
  local encoding = client and client.offset_encoding or "utf-16"
  local items = vim.lsp.util.locations_to_items(locations, encoding)
  vim.fn.setqflist({}, " ", { title = "workers-lsp: " .. (command.title or "references"), items = items })
  if #items > 0 then
    vim.cmd("botright copen")
  else
    vim.notify("[workers_lsp] " .. (command.title or "no references"), vim.log.levels.INFO)
  end
end
vim.lsp.commands["workers-lsp.showReferences"] = M.show_references

local function codelens_on_attach(client, bufnr)
  local caps = client.server_capabilities or client.resolved_capabilities or {}
  if not (caps.codeLensProvider or caps.code_lens) then
    return
  end
  local group = vim.api.nvim_create_augroup("workers_lsp_codelens_" .. bufnr, { clear = true })
  vim.api.nvim_create_autocmd({ "BufEnter", "InsertLeave", "BufWritePost" }, {
    group = group,
    buffer = bufnr,
    callback = function()
      vim.lsp.codelens.refresh()
    end,
    desc = "workers-lsp: refresh code lenses",
  })
  if vim.api.nvim_get_current_buf() == bufnr then
    vim.lsp.codelens.refresh()
  end
end

local function client_config(root, cmd, opts)
  local on_attach = opts.on_attach
  if opts.codelens then
    local user = on_attach
    on_attach = function(client, bufnr)
      codelens_on_attach(client, bufnr)
      if user then
        user(client, bufnr)
      end
    end
  end
  return {
    name = M.name,
    cmd = cmd,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
    capabilities = opts.capabilities or vim.lsp.protocol.make_client_capabilities(),
    on_attach = on_attach,
    settings = opts.settings,
    init_options = opts.init_options,
    handlers = opts.handlers,
    on_exit = function()
      for r, id in pairs(clients_by_root) do
        if not client_alive(id) then
          clients_by_root[r] = nil
        end
      end
    end,
  }
end

local function buffer_path(bufnr)
  if vim.bo[bufnr].buftype ~= "" then
    return nil
  end
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == "" or name:match("^%a[%w+.-]*://") then
    return nil
  end
  return name
end

--- Attaches the buffer to the client of its workspace, starting one if needed.
--- Returns the client id, or nil when the buffer is not in a workers workspace.
function M.attach(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local opts = M.config or M.defaults
  local path = buffer_path(bufnr)
  if not path then
    return nil
  end
  local root = M.find_root(path, opts)
  if not root then
    return nil
  end
  local cmd, err = M.resolve_cmd(opts)
  if not cmd then
    if not warned_missing then
      warned_missing = true
      vim.notify("[workers_lsp] " .. err .. "; see :checkhealth workers_lsp", vim.log.levels.WARN)
    end
    return nil
  end

  if vim.lsp.start then
    -- Neovim 0.8+: reuses a client with the same name and root_dir.
    local id
    vim.api.nvim_buf_call(bufnr, function()
      id = vim.lsp.start(client_config(root, cmd, opts), { bufnr = bufnr })
    end)
    if id then
      clients_by_root[root] = id
    end
    return id
  end

  -- Neovim 0.7.
  local id = clients_by_root[root]
  if not client_alive(id) then
    id = vim.lsp.start_client(client_config(root, cmd, opts))
    if not id then
      return nil
    end
    clients_by_root[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

--- Stops every client of this plugin; with `force`, kills them.
function M.stop(force)
  for _, client in ipairs(M.get_clients()) do
    vim.lsp.stop_client(client.id, force)
  end
  clients_by_root = {}
end

---------------------------------------------------------------------------------------------
-- Setup

local function merge(defaults, opts)
  local out = {}
  for k, v in pairs(defaults) do
    out[k] = v
  end
  for k, v in pairs(opts or {}) do
    out[k] = v
  end
  return out
end

-- Attaches every loaded buffer of a served filetype.
local function attach_open_buffers()
  local wanted = {}
  for _, ft in ipairs((M.config or M.defaults).filetypes) do
    wanted[ft] = true
  end
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) and wanted[vim.bo[buf].filetype] then
      M.attach(buf)
    end
  end
end

function M.setup(opts)
  vim.validate({ opts = { opts, "table", true } })
  M.config = merge(M.defaults, opts)
  warned_missing = false
  M.clear_cache()

  local group = vim.api.nvim_create_augroup("workers_lsp", { clear = true })
  if M.config.autostart then
    vim.api.nvim_create_autocmd("FileType", {
      group = group,
      pattern = M.config.filetypes,
      callback = function(args)
        M.attach(args.buf)
      end,
      desc = "workers-lsp: attach to Cloudflare Workers sources and configs",
    })
    -- Buffers already open when setup() runs.
    attach_open_buffers()
  end

  if vim.api.nvim_create_user_command then
    vim.api.nvim_create_user_command("WorkersLspRestart", function()
      M.stop()
      vim.defer_fn(attach_open_buffers, 500)
    end, { desc = "Restart workers-lsp" })
    vim.api.nvim_create_user_command("WorkersLspStop", function()
      M.stop()
    end, { desc = "Stop workers-lsp" })
  end
  return M
end

return M
