"""The small marks every page shares: status in words, the example mark and the two kinds of grade.

Only KÖP's own assessment (``certainty``) is ever called *evidensstyrka*; a grade a cited
source reports itself (``source_grade``) is always said to be *enligt källan*, with the
source's citation and its scale. Both badges link to the legend page
(:mod:`kop.render.legend`), which explains each level from the same vocabulary. Everything
is said in words; symbols and colour only repeat them (symbols are ``aria-hidden``).
Pure functions; every contributed value goes through :func:`esc`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kop.core.html import esc
from kop.core.model import Overview
from kop.core.slugs import slugify
from kop.schema.load import certainty_label, certainty_levels, status_label

__all__ = ["certainty_label", "certainty_levels", "status_label"]  # re-exported for the renderers

LEGEND_DIR = "evidensstyrka/"  # the legend page's address (kop.render.legend writes it)
SOURCE_GRADE_ANCHOR = "enligt-kallan"
EXAMPLE_TEXT = "Exempel"
EXAMPLE_SENTENCE = "Detta är ett demonstrationsexempel, inte en riktig kunskapsöversikt."
OUTDATED = ("inaktuell", "under-uppdatering")  # statuses whose findings the evidence map marks as outdated


def certainty_values() -> list[str]:
    return [item["value"] for item in certainty_levels()]


def level_info(value: str) -> dict[str, str]:
    """One level's vocabulary entry (an unknown value is shown as itself, without a symbol)."""
    for item in certainty_levels():
        if item["value"] == value:
            return item
    return {"value": value, "label": value, "symbol": "", "description": "", "anchor": slugify(value)}


def level_anchor(value: str) -> str:
    """The legend page's anchor for a level (the vocabulary's ``anchor``: hog, mattlig, lag, mycket-lag)."""
    return level_info(value).get("anchor") or slugify(value)


def is_example(meta: Mapping[str, Any]) -> bool:
    return meta.get("example") is True


def is_outdated(meta: Mapping[str, Any]) -> bool:
    return str(meta.get("status", "")) in OUTDATED


def overview_status(ov: Overview) -> tuple[str, str]:
    """(css key, words) of an overview's status; a withdrawn overview is ``tillbakadragen``."""
    withdrawn = isinstance(ov.meta.get("withdrawn"), dict)
    status = "tillbakadragen" if withdrawn else str(ov.meta.get("status", ""))
    return status, status_label(str(ov.meta.get("status", "")), withdrawn)


def status_badge(ov: Overview) -> str:
    key, words = overview_status(ov)
    return f'<span class="kop-status kop-status--{esc(key)}">{esc(words)}</span>'


def example_badge(meta: Mapping[str, Any]) -> str:
    """``Exempel`` for a demonstration overview, with the sentence as its tooltip; else nothing."""
    if not is_example(meta):
        return ""
    return f'<span class="kop-example-mark" title="{esc(EXAMPLE_SENTENCE)}">{EXAMPLE_TEXT}</span>'


def marks(ov: Overview) -> str:
    """Status and example mark, as listings put them after an overview's title."""
    example = example_badge(ov.meta)
    return f'<span class="kop-marks">{status_badge(ov)}{" " + example if example else ""}</span>'


def certainty_badge(level: str, base: str) -> str:
    """``Evidensstyrka: Måttlig`` with its symbol (``aria-hidden``), a link to the level on the legend page.

    ``base`` is the relative path from the page to the site root (``../../`` on an overview).
    """
    info = level_info(level)
    symbol = (f'<span class="kop-certainty__symbol" aria-hidden="true">{esc(info["symbol"])}</span> '
              if info.get("symbol") else "")
    return (f'<a class="kop-certainty kop-certainty--{esc(level_anchor(level))}" '
            f'href="{base}{LEGEND_DIR}#{esc(level_anchor(level))}">{symbol}'
            f"Evidensstyrka: {esc(certainty_label(level))}</a>")


def source_grade_badge(grade: Any, base: str) -> str:
    """``Enligt källan: Stark``, a link to the legend's explanation of grades taken from sources."""
    return (f'<a class="kop-source-grade" href="{base}{LEGEND_DIR}#{SOURCE_GRADE_ANCHOR}">'
            f"Enligt källan: {esc(grade)}</a>")


def certainty_tag(level: str, prefix: str = "") -> str:
    """A level as listings and headings show it: words with the symbol repeated (``aria-hidden``), no link."""
    symbol = level_info(level).get("symbol", "")
    symbol_html = f'<span class="kop-certainty__symbol" aria-hidden="true">{esc(symbol)}</span> ' if symbol else ""
    return (f'<span class="kop-certainty kop-certainty--{esc(level_anchor(level))}">{symbol_html}'
            f"{esc(prefix)}{esc(certainty_label(level))}</span>")
