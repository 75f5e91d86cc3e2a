-- workers-lsp as an nvim-lspconfig server, in the `lspconfig.configs` form that nvim-lspconfig
-- used before Neovim 0.11's vim.lsp.config (on 0.11+, prefer lsp/workers_lsp.lua):
--   require("workers_lsp.lspconfig").register()
--   require("lspconfig").workers_lsp.setup({})
-- The root rule is the plugin's find_root(): the server starts only in a workspace that
-- holds a wrangler config (see :help workers-lsp-root).

local M = {}

M.name = "workers_lsp"

--- The `default_config` nvim-lspconfig merges a user's setup() options into.
function M.default_config()
  local plugin = require("workers_lsp")
  return {
    cmd = { "workers-lsp", "serve", "--stdio" },
    filetypes = vim.deepcopy(plugin.default_filetypes),
    root_dir = function(fname)
      return plugin.find_root(fname)
    end,
    single_file_support = false,
  }
end

--- Adds workers_lsp to require("lspconfig.configs") unless it is there already (nvim-lspconfig
--- refuses nothing, but a second definition would replace a user's own). Returns the entry.
function M.register()
  local configs = require("lspconfig.configs")
  if not configs[M.name] then
    configs[M.name] = {
      default_config = M.default_config(),
      docs = {
        description = "workers-lsp: diagnostics, completion and navigation across a family of Cloudflare Workers.",
        default_config = { root_dir = "the nearest folder with .git or workers-lsp.toml that holds a wrangler config" },
      },
    }
  end
  return configs[M.name]
end

return M
