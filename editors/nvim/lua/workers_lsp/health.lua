-- :checkhealth workers_lsp
local M = {}

-- Neovim 0.7/0.8 have require("health").report_*; 0.9+ has vim.health.start/ok/...
local health = vim.health or require("health")
local start = health.start or health.report_start
local ok = health.ok or health.report_ok
local warn = health.warn or health.report_warn
local error = health.error or health.report_error
local info = health.info or health.report_info

function M.check()
  start("workers-lsp")
  if vim.fn.has("nvim-0.7") == 1 then
    ok("Neovim " .. tostring(vim.version().major) .. "." .. tostring(vim.version().minor) .. "." .. tostring(vim.version().patch))
  else
    error("Neovim 0.7 or newer is needed")
  end

  local plugin = require("workers_lsp")
  if plugin.config then
    ok("setup() was called")
  else
    warn("setup() was not called: no buffer attaches", { 'Add require("workers_lsp").setup({}) to your config' })
  end

  local cmd, err = plugin.resolve_cmd()
  if not cmd then
    error("server binary: " .. err, {
      "Build it: cargo install --path server (from the workers-lsp repository)",
      'Or point setup() at it: require("workers_lsp").setup({ server_path = "/path/to/workers-lsp" })',
    })
  else
    ok("server binary: " .. cmd[1] .. " (executable)")
    info("command: " .. table.concat(cmd, " "))
    local out = vim.fn.system({ cmd[1], "--version" })
    if vim.v.shell_error == 0 and out and out:match("%S") then
      ok("version: " .. vim.trim(out))
    else
      warn("`" .. cmd[1] .. " --version` failed: " .. vim.trim(out or ""))
    end
  end

  local clients = plugin.get_clients()
  if #clients == 0 then
    info("no workers-lsp client is running")
  end
  for _, c in ipairs(clients) do
    info(string.format("client %d: root %s", c.id, tostring(c.config and c.config.root_dir)))
  end

  -- :checkhealth opens its own buffer; the one the user was in is the alternate one.
  local buf = vim.fn.bufnr("#")
  if buf < 1 then
    buf = vim.api.nvim_get_current_buf()
  end
  local name = vim.api.nvim_buf_get_name(buf)
  if name ~= "" then
    local root = plugin.find_root(name)
    if root then
      info("current buffer's workspace root: " .. root)
    else
      info("current buffer is not inside a workspace with a wrangler config")
    end
  end
end

return M
