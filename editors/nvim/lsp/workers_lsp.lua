-- Neovim 0.11+: a config for vim.lsp.config/vim.lsp.enable, found on 'runtimepath':
--   vim.lsp.enable("workers_lsp")
-- Use this or require("workers_lsp").setup(), not both.
return {
  cmd = { "workers-lsp", "serve", "--stdio" },
  filetypes = require("workers_lsp").default_filetypes,
  root_dir = function(bufnr, on_dir)
    local root = require("workers_lsp").find_root(vim.api.nvim_buf_get_name(bufnr))
    if root then
      on_dir(root)
    end
  end,
}
