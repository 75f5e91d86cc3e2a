-- Stand-in for the part of nvim-lspconfig's lua/lspconfig/util.lua (tag v0.1.7) that root
-- rules use. root_pattern(p1, p2, ...) returns a function of a path that tries the patterns in
-- order; for each, it walks from the path's folder upward and returns the first folder where
-- the glob `folder/pattern` matches an existing file or folder. Order of patterns wins over
-- nearness, as in the real one.
local M = {}
local uv = vim.loop

local function dirname(path)
  local d = vim.fn.fnamemodify(path, ":h")
  return d
end

local function escape_glob(path)
  return (path:gsub("([%[%]%?%*])", "\\%1"))
end

function M.search_ancestors(startpath, func)
  local dir = startpath
  local stat = uv.fs_stat(dir)
  if not (stat and stat.type == "directory") then
    dir = dirname(dir)
  end
  while true do
    if func(dir) then
      return dir
    end
    local up = dirname(dir)
    if up == dir then
      return nil
    end
    dir = up
  end
end

function M.root_pattern(...)
  local patterns = vim.tbl_flatten({ ... })
  return function(startpath)
    for _, pattern in ipairs(patterns) do
      local found = M.search_ancestors(startpath, function(dir)
        for _, p in ipairs(vim.fn.glob(escape_glob(dir) .. "/" .. pattern, true, true)) do
          if uv.fs_stat(p) then
            return true
          end
        end
        return false
      end)
      if found then
        return found
      end
    end
    return nil
  end
end

return M
