-- Stand-in for nvim-lspconfig's lua/lspconfig/configs.lua (tag v0.1.7): assigning
-- configs.NAME = { default_config = {...} } checks the definition's types (as its
-- __newindex does with vim.validate) and stores an object with setup(user_config), which
-- merges the user's options over default_config. setup() here records the result instead of
-- starting a client.
local configs = {}

local function newindex(t, name, def)
  vim.validate({
    name = { name, "s" },
    default_config = { def.default_config, "t" },
    on_new_config = { def.on_new_config, "f", true },
    on_attach = { def.on_attach, "f", true },
    commands = { def.commands, "t", true },
  })
  local entry = { name = name, document_config = def }
  function entry.setup(user)
    entry.manager = vim.tbl_deep_extend("keep", user or {}, def.default_config)
    return entry.manager
  end
  rawset(t, name, entry)
end

return setmetatable(configs, { __newindex = newindex })
