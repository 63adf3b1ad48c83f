"""Citeproc documents and the batch runner: many documents in one ``pandoc lua`` process.

Why: a build formats dozens to hundreds of documents (buckets of the site's references, and
each overview's own run). As separate Pandoc processes each paid for starting Pandoc, parsing
the 86 KB APA style and building the collation tables; ``citeproc_batch.lua`` reads the same
Markdown a separate run reads and runs the same citeproc and HTML writer, so each document
comes out exactly as a run of its own (checked against separate runs on the benchmark corpus).
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kop.cite.pandoc import FormattingError, verified_pandoc
from kop.core.fsutil import write_atomic

LOCALE = "sv-SE"


def style_path() -> Path:
    """The project's copy of the CSL APA 7 style, with its Swedish terms (see the file's header)."""
    return Path(__file__).resolve().parent / "styles" / "apa-sv.csl"


#: The CSL variable that marks, in a page's own run, the works whose entry is written out
#: (the APA style never reads it; a work's own value is dropped or replaced in that run).
FULL_ENTRY = "call-number"


def derived_style(kind: str, derive: Callable[[str], str]) -> Path:
    """The APA style as ``derive`` changes it, in the temporary folder (``kop-apa-<kind>-<digest>.csl``).

    Made once per version of the style file, and again when the temporary folder was cleaned
    since (a long ``kop serve``). A file of that name that another user made is read and
    replaced unless it says exactly this: it is not trusted.
    """
    style = style_path()
    stat = style.stat()
    path = _derived_style(kind, derive, str(style), stat.st_mtime_ns, stat.st_size)
    if not path.is_file():
        _derived_style.cache_clear()
        path = _derived_style(kind, derive, str(style), stat.st_mtime_ns, stat.st_size)
    return path


@lru_cache(maxsize=8)
def _derived_style(kind: str, derive: Callable[[str], str], style: str, _mtime_ns: int, _size: int) -> Path:
    """:func:`derived_style` for one version of the style file (a build asks once per page)."""
    text = derive(Path(style).read_text(encoding="utf-8"))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    path = Path(tempfile.gettempdir()) / f"kop-apa-{kind}-{digest}.csl"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        write_atomic(path, text)
    return path


def page_style() -> Path:
    """APA as it is, except that the list writes out only the entries of works marked :data:`FULL_ENTRY`.

    Why: a page's own run exists for its citations (initials and year suffixes among the
    works the page cites) and for the entries whose year suffix may differ from the site's
    (:func:`kop.cite.plans.suffix_candidates`); every other entry is the site's. Writing
    out the full APA entry was about 40 % of such a run. The sort keys, the disambiguation
    settings and which works are listed at all are unchanged, so the citations and the
    suffixes come out as before (``tests/cite/test_page_style.py``); an unmarked work's
    entry is ".".
    """
    return derived_style("page", _page_text)


def _page_text(text: str) -> str:
    start = text.index("<bibliography")
    full = '<text macro="bibliography"/>'
    marked = f'<choose><if variable="{FULL_ENTRY}">{full}</if><else><text value="."/></else></choose>'
    return text[:start] + text[start:].replace(full, marked)


def page_item(item: dict, full: bool) -> dict:
    """``item`` as a page's own run gets it: marked when its entry is written out (:func:`page_style`)."""
    out = {k: v for k, v in item.items() if k != FULL_ENTRY}
    if full:
        out[FULL_ENTRY] = "kop"
    return out


@dataclass
class Doc:
    """One citeproc document: the works, the clusters (Markdown) and their signatures."""

    items: list[dict]
    clusters_md: list[str]
    signatures: list[str]
    style: Path = field(default_factory=style_path)
    compact: bool = False
    tag: str = ""  # added to the fingerprint (the order run)
    payload: str | None = None  # items_json(items), when the caller has it already

    def json(self) -> str:
        return self.payload if self.payload is not None else items_json(self.items)

    def cost(self) -> int:
        return 20 + len(self.items) + len(self.clusters_md)


def items_json(run_items: list[dict]) -> str:
    return json.dumps(run_items, ensure_ascii=False, sort_keys=True)


BATCH_SCRIPT = Path(__file__).resolve().parent / "citeproc_batch.lua"
_XML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_BETWEEN_ELEMENTS = re.compile(r">\s+<")


def compact_style(style: Path, folder: Path) -> Path:
    """A copy of the CSL file ``style`` in ``folder`` without comments and whitespace between elements.

    Why: Pandoc parses the style again for every document (citeproc has no cache for it),
    and the APA style is 86 KB, most of it indentation and comments: a document took about
    10.5 ms of parsing and setting up, 6.3 ms with the compact copy (some 250 documents on a
    first build of the medium benchmark corpus). CSL has no mixed content and no text that
    is only whitespace, so the copy means the same; ``tests/cite/test_compact_style.py``
    compares Pandoc's output with both. The file itself is never changed.
    """
    text = _BETWEEN_ELEMENTS.sub("><", _XML_COMMENT.sub("", style.read_text(encoding="utf-8")))
    target = folder / f"compact-{style.name}"
    target.write_text(text, encoding="utf-8")
    return target


def run_batch(tmp: Path, n: int, share: list[int], docs: list[Doc], out: list[str]) -> None:
    """Format the documents ``share`` in one ``pandoc lua`` process; their HTML into ``out``."""
    lines = []
    folder = tmp / f"styles-{n}"
    folder.mkdir(exist_ok=True)
    styles: dict[Path, Path] = {}
    for i in share:
        doc = docs[i]
        if doc.style not in styles:
            sub = folder / str(len(styles))  # two styles may share a file name
            sub.mkdir()
            styles[doc.style] = compact_style(doc.style, sub)
        (tmp / f"{i}.json").write_text(doc.json(), encoding="utf-8")
        (tmp / f"{i}.md").write_text(document(doc.clusters_md), encoding="utf-8")
        lines.append("\t".join((str(tmp / f"{i}.md"), str(tmp / f"{i}.json"), str(styles[doc.style]),
                                 str(tmp / f"{i}.html"))))
    manifest = tmp / f"batch-{n}.txt"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path = verified_pandoc()
    try:
        proc = subprocess.run([path, "lua", str(BATCH_SCRIPT), str(manifest)], capture_output=True, text=True,
                              timeout=1800, check=False, encoding="utf-8", errors="replace")
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise FormattingError("KOP906", problem=f"{path}: {exc}") from exc
    if proc.returncode != 0:
        raise FormattingError("KOP907", problem=proc.stderr.strip()[:500] or f"slutkod {proc.returncode}")
    for i in share:
        target = tmp / f"{i}.html"
        out[i] = target.read_text(encoding="utf-8") if target.is_file() else ""  # missing: KOP908 in _verify


def document(clusters_md: list[str]) -> str:
    """The Markdown document of one run: the metadata and one div per cluster."""
    doc = [
        "---",
        f"lang: {LOCALE}",
        "nocite: '@*'",
        "link-citations: true",
        "---",
        "",
    ]
    for i, md in enumerate(clusters_md):
        doc += [f"::: {{#c{i}}}", md, ":::", ""]
    return "\n".join(doc)
