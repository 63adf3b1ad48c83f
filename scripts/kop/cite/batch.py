"""Citeproc documents and the batch runner: many documents in one ``pandoc lua`` process.

Why: a build formats dozens to hundreds of documents (buckets of the site's references, and
each overview's own run). As separate Pandoc processes each paid for starting Pandoc, parsing
the 86 KB APA style and building the collation tables; ``citeproc_batch.lua`` reads the same
Markdown a separate run reads and runs the same citeproc and HTML writer, so each document
comes out exactly as a run of its own (checked against separate runs on the benchmark corpus).
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from kop.cite.pandoc import FormattingError, verified_pandoc

LOCALE = "sv-SE"


def style_path() -> Path:
    """The project's copy of the CSL APA 7 style, with its Swedish terms (see the file's header)."""
    return Path(__file__).resolve().parent / "styles" / "apa-sv.csl"


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


def run_batch(tmp: Path, n: int, share: list[int], docs: list[Doc], out: list[str]) -> None:
    """Format the documents ``share`` in one ``pandoc lua`` process; their HTML into ``out``."""
    lines = []
    for i in share:
        doc = docs[i]
        (tmp / f"{i}.json").write_text(doc.json(), encoding="utf-8")
        (tmp / f"{i}.md").write_text(document(doc.clusters_md), encoding="utf-8")
        lines.append("\t".join((str(tmp / f"{i}.md"), str(tmp / f"{i}.json"), str(doc.style), str(tmp / f"{i}.html"))))
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
