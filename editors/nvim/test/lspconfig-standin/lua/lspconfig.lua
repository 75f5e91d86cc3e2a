-- A stand-in for nvim-lspconfig's legacy entry point (no network here to install the real
-- one). Written from nvim-lspconfig's lua/lspconfig.lua (tag v0.1.7): `require("lspconfig").X`
-- is `require("lspconfig.configs").X`, and `.util` is lspconfig.util. test/configs.lua runs
-- against a real checkout instead when LSPCONFIG points at one.
local configs = require("lspconfig.configs")
return setmetatable({ util = require("lspconfig.util") }, {
  __index = function(_, name)
    return configs[name]
  end,
})
