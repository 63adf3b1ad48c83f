-- Format many citeproc documents in one Pandoc process (kop.cite.apa._run_docs).
--
-- Why: each document (a bucket of the site's references, or one overview's own run) used
-- to be a Pandoc process of its own; most of such a run was starting Pandoc. This script
-- reads the same Markdown document a separate run would read, runs the same citeproc and
-- the same HTML writer (--wrap=none), so each output is the one a separate run gives.
--
-- Argument: a manifest with one line per document: "<markdown>\t<bibliography>\t<csl>\t<output>".
for line in io.lines(arg[1]) do
  local source, bibliography, csl, target = line:match("^(.-)\t(.-)\t(.-)\t(.-)$")
  local f = assert(io.open(source, "r"))
  local text = f:read("a")
  f:close()
  local doc = pandoc.read(text, "markdown")
  doc.meta.bibliography = bibliography
  doc.meta.csl = csl
  doc = pandoc.utils.citeproc(doc)
  local out = assert(io.open(target, "w"))
  out:write(pandoc.write(doc, "html", {wrap_text = "none"}))
  out:close()
end
