"""The Typst source of one overview's PDF: its body made ready for Pandoc, and the whole document.

Pure functions, data in, text out. The body is Markdown written for the site engine
(Python-Markdown); :func:`body_markdown` makes Pandoc read it the way the site does:
citation clusters become placeholders that ``pdf_convert.lua`` swaps for the very APA
text the page shows (:func:`kop.render.typst.from_html` of :class:`kop.cite.apa.Formatted`),
admonitions (``!!! note "Titel"``, ``??? …``) become note boxes, and what the site prints
as text (a ``:::`` line, an ``{: …}`` attribute list) is not read as Pandoc syntax.

Everything else on the PDF (title, status, people, question, summary, findings, the
reference list) is written here from the front matter as Typst string literals
(:func:`kop.render.typst.literal`), so no contributor text is ever read as Typst markup.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from kop.cite.apa import Formatted, anchor, cluster_signature
from kop.cite.keys import cited_keys
from kop.core.model import Overview
from kop.render.overview import STATUS_LABELS, date_facts, finding_citation, page_keys
from kop.render.typst import from_html, label, literal, text
from kop.schema import load as schema

HERE = Path(__file__).resolve().parent
TEMPLATE_FILE = HERE / "pdf_template.typ"
CONVERTER_FILE = HERE / "pdf_convert.lua"
# Everything whose change can change a PDF besides the overview, its references and the versions
# of Pandoc and Typst: a cached PDF is keyed by these files too, so a code change is never stale.
CODE_FILES = (Path(__file__).resolve(), HERE / "typst.py", HERE / "overview.py", TEMPLATE_FILE, CONVERTER_FILE,
              Path(schema.__file__).resolve().parent / "vocabularies.yml")

# Pandoc's Markdown without what Python-Markdown (the site) does not read, and never raw Typst/TeX.
READER = "markdown" + "".join(f"-{ext}" for ext in (
    "citations", "raw_attribute", "raw_tex", "tex_math_dollars", "tex_math_single_backslash", "smart",
    "yaml_metadata_block", "pandoc_title_block", "inline_notes", "bracketed_spans", "subscript", "superscript",
    "strikeout", "line_blocks", "example_lists", "grid_tables", "multiline_tables", "simple_tables",
    "implicit_figures", "auto_identifiers", "implicit_header_references", "task_lists", "emoji",
))
EXAMPLE_MARK = "Demonstrationsexempel – inte en riktig kunskapsöversikt"
OUTDATED_SENTENCE = "Översikten är inte längre aktuell. Kontrollera om det finns nyare kunskap innan du använder den."
EXAMPLE_SENTENCE = "Detta är ett demonstrationsexempel, inte en riktig kunskapsöversikt."
ROLE_LABELS = {"forskare": "forskare", "praktiker": "praktiker"}
# The design's levels (issue 13), used only if the vocabulary does not carry a level.
CERTAINTY_FALLBACK = {"hög": ("Hög", "⊕⊕⊕⊕"), "måttlig": ("Måttlig", "⊕⊕⊕◯"), "låg": ("Låg", "⊕⊕◯◯"),
                      "mycket låg": ("Mycket låg", "⊕◯◯◯")}
PLAIN_LANGUAGE = (("why", "Varför frågan ställdes"), ("what_was_done", "Vad vi gjorde"),
                  ("what_was_found", "Vad vi fann"), ("practice", "Vad det betyder för praktiken"),
                  ("how_certain", "Hur säkra resultaten är"))
CERTAINTY_NOTE = "Evidensstyrka är KÖP:s egen bedömning: hög, måttlig, låg eller mycket låg."
PLACEHOLDER = "KOPCITE{}X"  # read back by pdf_convert.lua


@lru_cache(maxsize=1)
def template() -> str:
    return TEMPLATE_FILE.read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def converter() -> str:
    return CONVERTER_FILE.read_text(encoding="utf-8")


def formatted_needs(ov: Overview) -> tuple[list[str], list[str]]:
    """The cluster signatures and reference keys whose formatting a page of ``ov`` reads.

    They depend only on the overview's own text, so a cache can keep them with its entry and
    evaluate them against a later build's formatting (:func:`reads_of`) without scanning the
    body again. They must name each lookup the document makes: the body's clusters
    (:func:`body_markdown`), the clusters of findings, source grades and included studies
    (:func:`_cluster`), and the entries of the page's reference list (:func:`_references`).
    """
    signatures = [cluster_signature(cit) for cit in ov.citations]
    for finding in _maps(ov.meta.get("findings")):
        signatures.append(_signature(_items(finding.get("references"))))
        grade = finding.get("source_grade")
        if isinstance(grade, Mapping) and grade.get("source"):
            signatures.append(_signature([grade["source"]]))
    signatures += [_signature([s["key"]]) for s in _maps(ov.meta.get("included_studies"))
                   if isinstance(s.get("key"), str)]
    return signatures, sorted(cited_keys(ov))


def reads_of(needs: tuple[list[str], list[str]], formatted: Formatted) -> list[str]:
    """Every formatted string behind ``needs`` (:func:`formatted_needs`), in the page's order."""
    signatures, keys = needs
    out = [formatted.clusters.get(signature, "\x00") for signature in signatures]
    index = _order_index(formatted.order)
    ordered = sorted((key for key in set(keys) if key in index), key=index.__getitem__)  # page_keys()' order
    return out + ordered + [formatted.entries.get(k, "\x00") for k in ordered]


def formatted_reads(ov: Overview, formatted: Formatted) -> list[str]:
    """Every formatted string the PDF of ``ov`` can show: with the front matter and the body, its cache key."""
    return reads_of(formatted_needs(ov), formatted)


_ORDER: list[tuple[list[str], dict[str, int]]] = []  # the last order seen and its index (one per build)


def _order_index(order: list[str]) -> dict[str, int]:
    """Position of each key in APA order; built once per formatting, not once per page."""
    if not _ORDER or _ORDER[0][0] is not order:
        _ORDER[:] = [(order, {key: i for i, key in enumerate(order)})]
    return _ORDER[0][1]


def _signature(keys: Sequence[Any]) -> str:
    return cluster_signature(finding_citation([str(k) for k in keys]))


# ---------------------------------------------------------------- the body, for Pandoc


def body_markdown(ov: Overview, formatted: Formatted, labels: set[str]) -> tuple[str, list[str]]:
    """The body for Pandoc, with citation placeholders, and the citations' Typst in placeholder order."""
    body = ov.body if isinstance(ov.body, str) else ""
    cites: list[str] = []
    pieces: list[str] = []
    done = 0
    for cit in sorted(ov.citations, key=lambda c: (c.start, c.end)):
        rendered = formatted.clusters.get(cluster_signature(cit))
        if rendered is None or cit.start < done:
            continue  # left as written, as on the page
        pieces += (body[done:cit.start], PLACEHOLDER.format(len(cites)))
        cites.append(from_html(rendered, labels))
        done = cit.end
    pieces.append(body[done:])
    return "\n".join(_site_blocks("".join(pieces).split("\n"))), cites


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ADMONITION = re.compile(r'^(?:!!!|\?\?\?\+?) ?([\w-]+(?: +[\w-]+)*)(?: +"(.*?)")? *$')  # as Python-Markdown
_DIV_FENCE = re.compile(r"^( {0,3})(:{3,})")
_ATTR_LIST = re.compile(r"\s*\{:[^}\n]*\}\s*$")


def _site_blocks(lines: list[str]) -> list[str]:
    """Admonitions as note boxes; ``:::`` lines and ``{: …}`` lists as the site shows them (code untouched)."""
    out: list[str] = []
    fence: str | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        if fence is not None:
            out.append(line)
            stripped = line.strip()
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                fence = None
            i += 1
            continue
        opening = _FENCE.match(line)
        if opening:
            fence = opening.group(1)
            out.append(line)
            i += 1
            continue
        admonition = _ADMONITION.match(line)
        if admonition:
            kind = admonition.group(1).split()[0]
            title = admonition.group(2)
            content: list[str] = []
            i += 1
            while i < len(lines) and (not lines[i].strip() or lines[i].startswith(("    ", "\t"))):
                content.append(lines[i][4:] if lines[i].startswith("    ") else lines[i][1:])
                i += 1
            title_text = kind.capitalize() if title is None else title
            out += ["", "::: kop-admonition"]
            if title_text:
                out += ["**" + _escape_markdown(title_text) + "**", ""]
            out += [*_site_blocks(content), ":::", ""]
            continue
        line = _DIV_FENCE.sub(lambda m: m.group(1) + "\\" + m.group(2), line)
        out.append(_ATTR_LIST.sub("", line))
        i += 1
    return out


def _escape_markdown(value: str) -> str:
    return re.sub(r"([\\`*_{}\[\]()#+\-.!<>|~^$@:\"'&])", r"\\\1", value)


# ---------------------------------------------------------------- the document


def status_words(ov: Overview) -> str:
    status = str(ov.meta.get("status", ""))
    label_of = getattr(schema, "status_label", None)  # the vocabulary's label (issue 13), if present
    words = label_of(status) if callable(label_of) else status
    return words if words and words != status else STATUS_LABELS.get(status, status)


def certainty_words(level: str) -> tuple[str, str]:
    """(label, symbol) of a certainty level, from the vocabulary when it has them."""
    levels = getattr(schema, "certainty_levels", None)
    if callable(levels):
        try:
            for item in levels():
                if item.get("value") == level and item.get("label"):
                    return str(item["label"]), str(item.get("symbol", ""))
        except (KeyError, TypeError):
            pass
    return CERTAINTY_FALLBACK.get(level, (level, ""))


def _date(value: Any) -> str:
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        return "none"
    return f"datetime(year: {day.year}, month: {day.month}, day: {day.day})"


def _strings(values: Sequence[Any]) -> str:
    return "(" + "".join(f"{literal(v)}, " for v in values) + ")"


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _maps(value: Any) -> list[Mapping[str, Any]]:
    return [item for item in _items(value) if isinstance(item, Mapping)]


def _fact(name: str, value: str) -> str:
    return f"#kop-fact({literal(name)})[{value}]\n" if value else ""


def _people(meta: Mapping[str, Any]) -> str:
    people = []
    for author in _maps(meta.get("authors")):
        bits = ", ".join(str(author[k]) for k in ("affiliation",) if author.get(k))
        role = ROLE_LABELS.get(str(author.get("role", "")), str(author.get("role", "")))
        line = str(author.get("name", "")) + (f", {bits}" if bits else "") + (f" ({role})" if role else "")
        if author.get("orcid"):
            line += f", ORCID {author['orcid']}"
        people.append(text(line))
    return " \\\n".join(people)


def _origin(meta: Mapping[str, Any]) -> str:
    out = []
    for org in _maps(meta.get("question_from")):
        unit = f" ({org['unit']})" if org.get("unit") else ""
        out.append(text(f"{org.get('organisation', '')}{unit} – {org.get('role', '')}"))
    return " \\\n".join(out)


def _dates(meta: Mapping[str, Any]) -> str:
    dates = [f"{label} {value}" for label, value, _ in date_facts(meta)]
    return text((", ".join(dates) or "–").capitalize())


def _cluster_html(keys: Sequence[Any], formatted: Formatted) -> str:
    return formatted.clusters.get(_signature(keys), "")


def _cluster(keys: Sequence[Any], formatted: Formatted, labels: set[str]) -> str:
    return from_html(_cluster_html(keys, formatted), labels)


def _grade_cell(finding: Mapping[str, Any], formatted: Formatted, labels: set[str]) -> str:
    parts = []
    certainty = finding.get("certainty")
    if isinstance(certainty, Mapping) and certainty.get("level"):
        words, symbol = certainty_words(str(certainty["level"]))
        parts.append(f"#strong[{text(f'Evidensstyrka: {words}')}]" + (f" {text(symbol)}" if symbol else ""))
        if certainty.get("assessed_by"):
            parts.append(text(f"Bedömd av: {certainty['assessed_by']}"))
        if certainty.get("motivation"):
            parts.append(f"#emph[{text(certainty['motivation'])}]")
    grade = finding.get("source_grade")
    if isinstance(grade, Mapping) and grade.get("grade"):
        line = "#strong[" + text(f"Enligt källan: {grade['grade']}") + "]"
        if grade.get("source"):
            line += " " + _cluster([grade["source"]], formatted, labels)
        parts.append(line)
        if grade.get("scale"):
            parts.append("#emph[" + text(f"Skala: {grade['scale']}") + "]")
    return " \\\n".join(parts) or "–"


def _basis_cell(finding: Mapping[str, Any]) -> str:
    bits = []
    if isinstance(finding.get("studies"), int):
        bits.append(f"{finding['studies']} studier" if finding["studies"] != 1 else "1 studie")
    if isinstance(finding.get("participants"), int):
        bits.append(f"{finding['participants']:,} deltagare".replace(",", "\u00a0"))
    designs = [str(d) for d in _items(finding.get("designs")) if d]
    if designs:
        bits.append(", ".join(designs))
    return " \\\n".join(text(b) for b in bits) or "–"


def _findings(meta: Mapping[str, Any], formatted: Formatted, labels: set[str], legend: str) -> str:
    findings = _maps(meta.get("findings"))
    if not findings:
        return ""
    basis = any(_basis_cell(f) != "–" for f in findings)  # the column only when a finding has a number
    rows = []
    for finding in findings:
        statement = text(finding.get("statement"))
        if finding.get("category"):
            statement = f"#text(size: 8.5pt, weight: \"bold\")[{text(finding['category'])}] \\\n" + statement
        cells = (statement, *([_basis_cell(finding)] if basis else []), _grade_cell(finding, formatted, labels),
                 _cluster(_items(finding.get("references")), formatted, labels) or "–")
        rows.append("  " + "".join(f"[{cell}], " for cell in cells))
    columns, head = (("(2.2fr, 1fr, 1.9fr, 1.3fr)", "[*Slutsats*], [*Underlag*], ") if basis
                     else ("(2.6fr, 2fr, 1.3fr)", "[*Slutsats*], "))
    where = f" {text('Förklaringen finns på')} #link({literal(legend)})[{text(legend)}]" if legend else ""
    return (
        "== Resultat i korthet\n"
        f"#table(columns: {columns}, align: left + top,\n"
        f"  table.header({head}[*Evidensstyrka eller gradering*], [*Stöd*]),\n"
        + "\n".join(rows) + "\n)\n"
        f"#par(justify: false, text(size: 9pt)[{text(CERTAINTY_NOTE)}"
        f"{where}{text('. En gradering enligt källan är källans egen, med källans skala, inte KÖP:s bedömning.')}])\n"
    )


def _plain_language(meta: Mapping[str, Any]) -> str:
    plain = meta.get("plain_language")
    if isinstance(plain, Mapping) and any(plain.get(k) for k, _ in PLAIN_LANGUAGE):
        return "".join(_fact(name, text(plain.get(k))) for k, name in PLAIN_LANGUAGE if plain.get(k))
    return _fact("Sammanfattning", text(meta.get("summary")))


def _studies(meta: Mapping[str, Any], formatted: Formatted, labels: set[str]) -> str:
    studies = [s for s in _maps(meta.get("included_studies")) if isinstance(s.get("key"), str)]
    if not studies:
        return ""
    rows = []
    for study in studies:
        cells = [_cluster([study["key"]], formatted, labels) or text(study["key"])]
        cells += [text(study.get(k)) or "–" for k in ("design", "country", "setting", "quality", "note")]
        rows.append("  " + "".join(f"[{cell}], " for cell in cells))
    return ("== Inkluderade studier\n"
            "#table(columns: (1.3fr, 1fr, 0.9fr, 1.2fr, 1fr, 1.2fr), align: left + top,\n"
            "  table.header([*Studie*], [*Design*], [*Land*], [*Sammanhang*], [*Kvalitet*], [*Kommentar*]),\n"
            + "\n".join(rows) + "\n)\n")


def _closing_sections(meta: Mapping[str, Any]) -> str:
    out = []
    gaps = [g for g in _items(meta.get("knowledge_gaps")) if isinstance(g, str) and g.strip()]
    if gaps:
        out.append("== Kunskapsluckor\n" + "".join(f"- {text(g)}\n" for g in gaps))
    if isinstance(meta.get("funding"), str) and meta["funding"].strip():
        out.append("== Finansiering\n" + text(meta["funding"]) + "\n")
    if isinstance(meta.get("conflicts_of_interest"), str) and meta["conflicts_of_interest"].strip():
        out.append("== Jäv och intressekonflikter\n" + text(meta["conflicts_of_interest"]) + "\n")
    reviewers = _maps(meta.get("review"))
    if reviewers:
        lines = []
        for r in reviewers:
            bits = [str(r[k]) for k in ("affiliation", "role", "date") if r.get(k)]
            lines.append(f"- {text(str(r.get('name', '')) + (', ' + ', '.join(bits) if bits else ''))}\n")
        out.append("== Granskning\n" + "".join(lines))
    return "\n".join(out)


def _references(keys: list[str], formatted: Formatted, labels: set[str]) -> str:
    if not keys:
        return ""
    entries = "".join(f"#kop-ref[{from_html(formatted.entries.get(k, k), labels)}]"
                      + (f" {label(anchor(k))}" if anchor(k) in labels else "") + "\n" for k in keys)
    return "== Referenser\n" + entries


def qr_svg(url: str) -> str:
    """The QR code of the permanent address as SVG text (segno, offline, error level M)."""
    import io

    import segno

    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="svg", scale=1, border=4, dark="#000", light="#fff",
                                                  xmldecl=False, svgns=True, encoding="utf-8")
    return out.getvalue().decode("utf-8")


def document_parts(ov: Overview, formatted: Formatted) -> tuple[list[str], set[str]]:
    """The page's reference keys, in bibliography order, and the labels the PDF defines for them.

    No labels: a citation in the PDF does not link to its reference-list entry. Links to labels
    make Typst lay the document out again (a third of its time, and a fifth of the file), and
    on paper the list is found by the author and year anyway.
    """
    return page_keys(ov, formatted.order), set()


def overview_document(ov: Overview, formatted: Formatted, body_typst: str, *, address: str, legend: str,
                      site_name: str) -> str:
    """The whole Typst source of the overview's PDF (the template, then this overview).

    ``formatted`` is the overview's own (:meth:`Formatted.for_page`); ``body_typst`` is its
    body from Pandoc; ``address`` its absolute permanent address; ``legend`` the absolute
    address of the certainty legend page (empty without a site address).
    """
    meta = ov.meta
    keys, labels = document_parts(ov, formatted)
    title = str(meta.get("title", ov.slug))
    example = bool(meta.get("example"))
    authors = [str(a.get("name")) for a in _maps(meta.get("authors")) if a.get("name")]
    keywords = [str(k) for k in _items(meta.get("keywords")) if isinstance(k, str | int | float)]
    kicker = f"{meta.get('id', '')} · {status_words(ov)}"
    qr = (f"#figure(image(bytes({literal(qr_svg(address))}), format: \"svg\", width: 3.2cm, "
          f"alt: {literal('QR-kod till ' + address)}), caption: none)\n") if address.startswith("http") else ""
    parts = [
        template(),
        f"#show: kop-setup.with(title: {literal(title)}, authors: {_strings(authors)}, "
        f"keywords: {_strings(keywords)}, date: {_date(meta.get('updated') or meta.get('published'))}, "
        f"example: {'true' if example else 'false'}, mark: {literal(EXAMPLE_MARK)}, "
        f"id: {literal(meta.get('id', ''))})\n",
        "#grid(columns: (1fr, auto), column-gutter: 14pt, align: (left + top, right + top),\n"
        "[#set par(justify: false)\n",
        f"#text(fill: kop-ink, size: 10pt, weight: \"bold\")[{text(kicker)}]\n",
        f"= {text(title)}\n",
        f"#text(size: 9.5pt)[{text('Permanent adress:')} #link({literal(address)})[{text(address)}]]\n\n"
        if address.startswith("http") else f"#text(size: 9.5pt)[{text('Permanent adress: ' + address)}]\n\n",
        f"#text(size: 9.5pt)[{text(site_name)}]\n" if site_name else "",
        "],\n[" + qr + "])\n",
    ]
    if example:
        parts.append(f"#kop-warning({literal('Exempel')})[{text(EXAMPLE_SENTENCE)}]\n")
    if str(meta.get("status", "")) == "inaktuell":
        parts.append(f"#kop-warning({literal('Inaktuell')})[{text(OUTDATED_SENTENCE)}]\n")
    parts += [
        _fact("Frågeställning", text(meta.get("question"))),
        _plain_language(meta),
        _findings(meta, formatted, labels, legend),
        _fact("Författare", _people(meta)),
        _fact("Frågan kommer från", _origin(meta)),
        _fact("Område", text(", ".join(str(a) for a in _items(meta.get("area"))))),
        _fact("Metod", text(meta.get("method"))),
        _fact("Datum", _dates(meta)),
        "\n" + body_typst.strip() + "\n\n",
        _studies(meta, formatted, labels),
        _closing_sections(meta),
        _references(keys, formatted, labels),
    ]
    return "".join(p if p.endswith("\n") or not p else p + "\n" for p in parts)
