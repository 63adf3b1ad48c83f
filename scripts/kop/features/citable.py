"""Make each overview citable: its own APA 7 reference, BibTeX and RIS, and the "Citera" box.

The APA reference to the overview itself is formatted by the same Pandoc/CSL path as
every other reference, in ONE extra batch per build for all overviews (cached by
content hash like the main run). It is a separate batch on purpose: in the main run
every reference takes part in year-suffix disambiguation (``nocite: @*``), and an
overview by the same author in the same year as a cited work would otherwise turn
that work's "2024" into "2024a" on pages that never cite the overview.

The citation points at the permanent address ``/k/<id>/``, which never changes even if
the overview's file is renamed.

A demonstration example (``example: true``) is marked in every form, so a copied reference
never passes for a real overview: the APA reference's bracketed description and BibTeX's
``type`` say "Demonstrationsexempel", and BibTeX ``note``, RIS ``N1`` and the CSL ``note`` say
"Demonstrationsexempel, inte en riktig kunskapsöversikt".
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kop.cite.apa import format_all
from kop.core.html import esc
from kop.core.model import Overview, Reference
from kop.core.results import CheckResult
from kop.core.urls import absolute, is_withdrawn, on_site, overview_url, permalink
from kop.features.base import BaseFeature, BuildContext, Files
from kop.render.headmeta import EXAMPLE_GENRE, EXAMPLE_NOTE
from kop.render.marks import EXAMPLE_SENTENCE, is_example
from kop.render.overview import PageParts

GENRE = "Kunskapsöversikt"


def genre(ov: Overview) -> str:
    """The kind of work: "Kunskapsöversikt", or "Demonstrationsexempel" for an example."""
    return EXAMPLE_GENRE if is_example(ov.meta) else GENRE


def publisher(settings: dict[str, Any], site_name: str) -> str:
    return str(settings.get("publisher") or site_name)


def split_name(name: str) -> dict[str, str]:
    """A CSL name from an author string.

    ``Efternamn, Förnamn`` is explicit; otherwise the last word is the family name
    ("Förnamn Efternamn", as the schema asks). A single word, or a placeholder that
    ends in one letter ("Exempelforskare A"), is kept whole as a literal name.
    """
    name = " ".join(str(name).split())
    if "," in name:
        family, given = (part.strip() for part in name.split(",", 1))
        return {"family": family, "given": given} if given else {"literal": family}
    words = name.split(" ")
    if len(words) < 2 or len(words[-1]) == 1:
        return {"literal": name}
    return {"family": words[-1], "given": " ".join(words[:-1])}


def _date_parts(value: Any) -> list[int] | None:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    return [int(p) for p in value.split("-")]


def version_date(ov: Overview) -> str:
    """The date of the current version: ``updated`` if set, else ``published``."""
    return str(ov.meta.get("updated") or ov.meta.get("published") or "")


def csl_item(ov: Overview, url: str, pub: str) -> dict[str, Any]:
    """The overview as a CSL-JSON ``report``: Author (Year). *Title* (Version x) [Kunskapsöversikt]. Publisher. URL.

    For an example the bracketed description reads "[Demonstrationsexempel, inte en riktig
    kunskapsöversikt]" (APA puts ``genre`` there) and ``note`` says the same.
    """
    meta = ov.meta
    item: dict[str, Any] = {
        "id": str(meta.get("id")),
        "type": "report",
        "title": str(meta.get("title", ov.slug)),
        "author": [split_name(a.get("name", "")) for a in meta.get("authors") or [] if isinstance(a, dict)],
        "publisher": pub,
        "genre": EXAMPLE_NOTE if is_example(meta) else GENRE,
        "URL": url,
        "language": "sv",
    }
    if is_example(meta):
        item["note"] = EXAMPLE_NOTE
    parts = _date_parts(version_date(ov))
    if parts:
        item["issued"] = {"date-parts": [parts]}
    if meta.get("version"):
        item["version"] = str(meta["version"])
    return item


def self_references(overviews: Iterable[Overview], site_url: str, pub: str, cache_dir: Path | None) -> dict[str, str]:
    """APA 7 HTML for each overview's own reference: {id: html}; one Pandoc run (or cache hit) per batch."""
    items = [(str(ov.meta.get("id")), ov, absolute(site_url, permalink(str(ov.meta.get("id"))))) for ov in overviews]
    return format_references(items, pub, cache_dir)


def format_references(items: Iterable[tuple[str, Overview, str]], pub: str, cache_dir: Path | None,
                      slot: str = "self") -> dict[str, str]:
    """APA 7 HTML for each ``(key, overview, url)``: the overview (or one of its versions) cited at ``url``.

    Each reference stands alone in its box, so APA's 2024a/2024b must never appear: works with the
    same authors and year go into different batches (usually there is just one batch).
    """
    batches: list[dict[str, Reference]] = []
    used: list[set[tuple[str, str]]] = []
    for ref_key, ov, url in items:
        item = csl_item(ov, url, pub)
        item["id"] = ref_key
        key = (json.dumps(item.get("author"), sort_keys=True, ensure_ascii=False), version_date(ov)[:4])
        index = next((i for i, seen in enumerate(used) if key not in seen), len(batches))
        if index == len(batches):
            batches.append({})
            used.append(set())
        batches[index][ref_key] = Reference(ref_key, "report", 0, {}, item)
        used[index].add(key)
    out: dict[str, str] = {}
    for i, batch in enumerate(batches):  # each batch keeps its result in a slot of its own
        out.update(format_all(batch, [], cache_dir, slot=f"{slot}-{i}").entries)
    return out


# --- BibTeX and RIS ---------------------------------------------------------------------------------------------

_BIBTEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "#": r"\#",
                   "$": r"\$", "_": r"\_", "^": r"\^{}", "~": r"\~{}"}


def bibtex_escape(value: Any) -> str:
    """Escape text for a braced BibTeX field (UTF-8 stays as is; biber and Zotero read it)."""
    text = " ".join(str(value).split())
    return "".join(_BIBTEX_SPECIAL.get(ch, ch) for ch in text)


def _bib_name(name: str) -> str:
    parts = split_name(name)
    if "literal" in parts:
        return "{" + bibtex_escape(parts["literal"]) + "}"
    return f"{bibtex_escape(parts['family'])}, {bibtex_escape(parts['given'])}"


def bibtex(ov: Overview, url: str, pub: str) -> str:
    """A ``@techreport`` entry (BibTeX and biblatex fields) keyed by the overview's id."""
    meta = ov.meta
    fields: list[tuple[str, str]] = [
        ("author", " and ".join(_bib_name(a.get("name", "")) for a in meta.get("authors") or [])),
        ("title", "{" + bibtex_escape(meta.get("title", ov.slug)) + "}"),
        ("institution", bibtex_escape(pub)),
        ("type", genre(ov)),
        ("number", bibtex_escape(meta.get("id"))),
    ]
    day = version_date(ov)
    if day:
        fields += [("year", day[:4]), ("date", day)]
    notes = [EXAMPLE_NOTE] if is_example(meta) else []
    if meta.get("version"):
        fields.append(("version", bibtex_escape(meta["version"])))
        notes.append(f"Version {meta['version']}" + (f", {day}" if day else ""))
    if notes:
        fields.append(("note", bibtex_escape(". ".join(notes))))
    fields += [("url", url.replace("{", "%7B").replace("}", "%7D")), ("langid", "swedish"), ("language", "swedish")]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@techreport{{{meta.get('id')},\n{body}\n}}\n"


def _ris_value(value: Any) -> str:
    return " ".join(str(value).split())


def ris(ov: Overview, url: str, pub: str) -> str:
    """An RIS record (type RPRT) with CRLF line endings, as the RIS specification asks."""
    meta = ov.meta
    lines = ["TY  - RPRT"]
    for author in meta.get("authors") or []:
        parts = split_name(author.get("name", ""))
        lines.append("AU  - " + _ris_value(parts.get("literal") or f"{parts['family']}, {parts['given']}"))
    lines.append("TI  - " + _ris_value(meta.get("title", ov.slug)))
    day = version_date(ov)
    if day:
        lines += [f"PY  - {day[:4]}", f"DA  - {day.replace('-', '/')}"]
    if meta.get("version"):
        lines.append(f"ET  - Version {_ris_value(meta['version'])}")
    lines += [f"PB  - {_ris_value(pub)}", f"M3  - {genre(ov)}", f"SN  - {_ris_value(meta.get('id'))}",
              f"UR  - {_ris_value(url)}", "LA  - sv"]
    if is_example(meta):
        lines.append(f"N1  - {EXAMPLE_NOTE}")
    if meta.get("summary"):
        lines.append("AB  - " + _ris_value(meta["summary"]))
    lines += [f"KW  - {_ris_value(k)}" for k in meta.get("keywords") or []]
    lines.append("ER  - ")
    return "\r\n".join(lines) + "\r\n"


# --- the box on the page ----------------------------------------------------------------------------------------


def cite_box(ov: Overview, apa_html: str, url: str, bibtex_text: str) -> str:
    """The "Citera" section: APA reference, copy buttons (JS only), BibTeX and RIS downloads.

    Without JavaScript everything is plain, selectable text and ordinary download links;
    ``cite.js`` only reveals and wires the copy buttons.
    """
    meta = ov.meta
    day = version_date(ov)
    facts = []
    if meta.get("version"):
        facts.append(f"version {esc(meta['version'])}")
    if day:
        facts.append(f'<time datetime="{esc(day)}">{esc(day)}</time>')
    when = f" Referensen gäller {', '.join(facts)}." if facts else ""
    example = (f'<p class="kop-cite-example"><strong>Exempel.</strong> {esc(EXAMPLE_SENTENCE)} Referensen och '
               "filerna nedan är märkta som exempel.</p>") if is_example(meta) else ""
    return "\n".join(line for line in [
        '<section class="kop-cite-box">',
        '<h2 id="citera">Citera</h2>',
        example,
        f"<p>Referens enligt APA 7.{when} Den permanenta länken fungerar även om översikten får ny adress.</p>",
        f'<div class="kop-cite-ref" id="kop-cite-apa">{apa_html}</div>',
        '<p class="kop-cite-actions">'
        '<button type="button" class="md-button kop-copy" data-kop-copy="kop-cite-apa" hidden>Kopiera referensen'
        "</button> "
        '<a class="md-button" href="citera.bib">BibTeX (.bib)</a> '
        '<a class="md-button" href="citera.ris">RIS (.ris)</a></p>',
        '<details class="kop-cite-bibtex"><summary>Visa BibTeX</summary>',
        f'<pre id="kop-cite-bibtex"><code>{esc(bibtex_text)}</code></pre>',
        '<button type="button" class="md-button kop-copy" data-kop-copy="kop-cite-bibtex" hidden>Kopiera BibTeX'
        "</button></details>",
        f'<p class="kop-permalink">Permanent länk: <a href="../../{esc(permalink(str(meta.get("id"))))}">'
        f"<code>{esc(url)}</code></a></p>",
        '<p class="kop-copy-status" role="status" aria-live="polite"></p>',
        "</section>",
    ] if line)


class CitableFeature(BaseFeature):
    """The overview as a citable work: its APA 7 reference, BibTeX and RIS, and the Citera box."""

    name = "citable"

    def __init__(self) -> None:
        self.apa: dict[str, str] = {}  # overview id -> APA 7 HTML of the overview itself

    def addresses(self, result: CheckResult) -> set[str]:
        live = [ov for ov in on_site(result.overviews) if not is_withdrawn(ov)]
        return {f"{overview_url(ov)}{name}" for ov in live for name in ("citera.bib", "citera.ris")}

    def prepare(self, ctx: BuildContext) -> None:
        live = [ov for ov in ctx.by_id.values() if not is_withdrawn(ov)]
        self.apa = self_references(live, ctx.site_url, ctx.publisher, ctx.result.project.cache_dir)

    def files(self, ctx: BuildContext) -> Files:
        out: Files = {}
        for ov in on_site(ctx.result.overviews):
            if is_withdrawn(ov):
                continue
            url = absolute(ctx.site_url, permalink(str(ov.meta.get("id"))))
            out[f"{overview_url(ov)}citera.bib"] = bibtex(ov, url, ctx.publisher)
            out[f"{overview_url(ov)}citera.ris"] = ris(ov, url, ctx.publisher)
        return out

    def page_parts(self, ov: Overview, ctx: BuildContext) -> PageParts:
        apa = self.apa.get(str(ov.meta.get("id")))
        if not apa:
            return PageParts()
        url = absolute(ctx.site_url, permalink(str(ov.meta.get("id"))))
        return PageParts(sections=[cite_box(ov, apa, url, bibtex(ov, url, ctx.publisher))])
