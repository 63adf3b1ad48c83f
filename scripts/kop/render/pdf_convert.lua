-- Overview bodies (Markdown) to Typst, many documents in ONE Pandoc process (`pandoc lua`).
--
-- Standard input: JSON {"reader": "<pandoc markdown format>", "docs": [{"body": …,
-- "cites": [typst …], "base": "<absolute page URL or empty>"}]}. Standard output: a
-- JSON list with one Typst fragment per document, in order. Each body is read as a
-- document of its own, so nothing a contributor writes (an unclosed code fence, say)
-- reaches another overview's PDF.
--
-- Contributor text is untrusted. The reader format (kop.render.pdf.READER) has no raw
-- Typst or TeX; this script also drops every raw element, every identifier (no label
-- can collide with the reference labels), images (the PDF has no access to files) and
-- links that are neither http(s)/mailto nor relative site addresses. The only Typst it
-- writes itself is fixed text and the citation markup the build made (kop.render.typst).

local CITE = "KOPCITE(%d+)X"

local function is_safe_scheme(url)
  local lower = url:lower()
  return lower:match("^https?://") or lower:match("^mailto:")
end

local function resolve(base, url)
  -- A relative site address against the page's absolute URL (RFC 3986, paths only).
  if base == nil or base == "" then
    return nil
  end
  local origin, path = base:match("^(%a[%w+.-]*://[^/]+)(.*)$")
  if origin == nil then
    return nil
  end
  local rest = url
  local suffix = ""
  local cut = rest:find("[?#]")
  if cut then
    suffix = rest:sub(cut)
    rest = rest:sub(1, cut - 1)
  end
  local joined
  if rest:sub(1, 1) == "/" then
    joined = rest
  else
    joined = path:gsub("[^/]*$", "") .. rest
  end
  local out = {}
  for segment in (joined .. "/"):gmatch("([^/]*)/") do
    if segment == ".." then
      if #out > 0 then
        table.remove(out)
      end
    elseif segment ~= "." and segment ~= "" then
      table.insert(out, segment)
    end
  end
  local trailing = (rest == "" or rest:sub(-1) == "/" or rest:match("/%.%.?$")) and "/" or ""
  local result = origin .. "/" .. table.concat(out, "/")
  if #out > 0 then
    result = result .. trailing
  end
  return result .. suffix
end

local function split_cites(str, cites)
  -- A Str holding citation placeholders becomes text and the citations' Typst.
  local s = str.text
  if not s:find("KOPCITE") then
    return nil
  end
  local out = {}
  local pos = 1
  while true do
    local a, b, n = s:find(CITE, pos)
    if a == nil then
      break
    end
    if a > pos then
      table.insert(out, pandoc.Str(s:sub(pos, a - 1)))
    end
    local typst = cites[tonumber(n) + 1]
    if typst ~= nil then
      table.insert(out, pandoc.RawInline("typst", typst))
    else
      table.insert(out, pandoc.Str(s:sub(a, b)))
    end
    pos = b + 1
  end
  if pos <= #s then
    table.insert(out, pandoc.Str(s:sub(pos)))
  end
  return out
end

local function clear_id(el)
  if el.identifier ~= nil and el.identifier ~= "" then
    el.identifier = ""
    return el
  end
  return nil
end

local function convert(doc_in, reader)
  local doc = pandoc.read(doc_in.body or "", reader)
  local cites = doc_in.cites or {}
  local base = doc_in.base or ""
  local filter = {
    RawInline = function() return {} end,
    RawBlock = function() return {} end,
    Image = function(img)
      local alt = pandoc.utils.stringify(img.caption)
      if alt == "" then
        alt = "bild"
      end
      return pandoc.Emph({ pandoc.Str("[Bild: " .. alt .. "]") })
    end,
    Link = function(link)
      local target = link.target
      if is_safe_scheme(target) then
        link.identifier = ""
        return link
      end
      if target:sub(1, 1) ~= "#" and not target:match("^%a[%w+.-]*:") then
        local absolute = resolve(base, target)
        if absolute ~= nil then
          link.target = absolute
          link.identifier = ""
          return link
        end
      end
      return link.content
    end,
    Header = clear_id,
    Div = clear_id,
    Span = clear_id,
    Code = clear_id,
    CodeBlock = clear_id,
    Table = clear_id,
    Figure = clear_id,
    Str = function(str) return split_cites(str, cites) end,
  }
  doc = doc:walk(filter)
  doc = doc:walk({
    Div = function(div)
      if div.classes:includes("kop-admonition") then
        local blocks = { pandoc.RawBlock("typst", "#kop-note[") }
        for _, b in ipairs(div.content) do
          table.insert(blocks, b)
        end
        table.insert(blocks, pandoc.RawBlock("typst", "]"))
        return blocks
      end
    end,
  })
  return pandoc.write(doc, "typst", { wrap_text = "wrap-none" })
end

local data = pandoc.json.decode(io.read("a"), false)
local out = {}
for i, doc_in in ipairs(data.docs) do
  out[i] = convert(doc_in, data.reader)
end
io.write(pandoc.json.encode(out))
