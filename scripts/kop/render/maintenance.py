"""When to update: the overviews that need a maintainer's attention, for `kop status` and a page.

Living overviews age: a literature search older than the site's threshold, a draft nobody has
touched for months, an overview waiting in review. Maintainers need that list with the people
to ask (the authors). Pure functions: plain values in, rows, text and escaped HTML out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from kop.core.html import esc

DRAFT_AFTER_DAYS = 180  # default for extra.kop.draft_stale_days

KIND_LABELS = {
    "search": "Gammal litteratursökning",
    "draft": "Utkast som inte har ändrats",
    "review": "Under granskning",
}


@dataclass(frozen=True)
class Attention:
    """One overview that needs attention, and why."""

    kind: str  # "search", "draft" or "review"
    overview_id: str
    title: str
    path: str
    detail: str
    owners: tuple[str, ...]
    since: str = ""  # ISO date the reason is measured from


def _iso(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _owners(meta: Mapping[str, Any]) -> tuple[str, ...]:
    authors = meta.get("authors")
    if not isinstance(authors, list):
        return ()
    return tuple(str(a["name"]) for a in authors if isinstance(a, Mapping) and isinstance(a.get("name"), str))


def needs_attention(documents: Iterable[tuple[str, Mapping[str, Any]]], *, today: date,
                    last_changed: Mapping[str, str], stale_after_years: float,
                    draft_after_days: int = DRAFT_AFTER_DAYS) -> list[Attention]:
    """Every overview (``(path, meta)``) that needs attention, oldest reason first within each kind."""
    rows: list[Attention] = []
    for path, meta in documents:
        if meta.get("withdrawn"):
            continue
        status = meta.get("status")
        common = {"overview_id": str(meta.get("id", "")), "title": str(meta.get("title", path)), "path": path,
                  "owners": _owners(meta)}
        search = meta.get("search") if isinstance(meta.get("search"), Mapping) else {}
        searched = _iso(search.get("date")) if search else None
        if status in {"publicerad", "under-uppdatering"} and searched:
            years = (today - searched).days / 365.25
            if years > stale_after_years:
                rows.append(Attention("search", detail=f"Sökningen gjordes {searched.isoformat()}, för "
                                      f"{years:.1f} år sedan (gränsen är {stale_after_years:g} år).",
                                      since=searched.isoformat(), **common))
        if status == "utkast":
            changed = _iso(last_changed.get(path, ""))
            if changed and (today - changed).days > draft_after_days:
                rows.append(Attention("draft", detail=f"Senast ändrat {changed.isoformat()}, för "
                                      f"{(today - changed).days} dagar sedan.", since=changed.isoformat(), **common))
        if status == "granskning":
            changed = last_changed.get(path, "")
            detail = f"Senast ändrad {changed}." if changed else "Inte incheckad ännu."
            rows.append(Attention("review", detail=detail, since=changed, **common))
    order = list(KIND_LABELS)
    return sorted(rows, key=lambda r: (order.index(r.kind), r.since or "9999", r.path))


def attention_text(rows: list[Attention]) -> str:
    """Plain text for `kop status` (Swedish: maintainers read it)."""
    if not rows:
        return "Inga översikter behöver åtgärdas just nu."
    lines: list[str] = []
    for kind, label in KIND_LABELS.items():
        group = [r for r in rows if r.kind == kind]
        if not group:
            continue
        lines.append(f"{label} ({len(group)}):")
        for r in group:
            owners = ", ".join(r.owners) or "inga författare angivna"
            lines.append(f"  {r.path}: {r.title} [{r.overview_id}]")
            lines.append(f"    {r.detail} Fråga: {owners}.")
    return "\n".join(lines)


PAGE_ROWS = 50  # per kind on the page (the page budget: 3,000 elements); `kop status` lists every one


def attention_html(rows: list[Attention]) -> str:
    """The maintainer page's tables, one per kind, the oldest first and at most ``PAGE_ROWS`` each."""
    if not rows:
        return "<p>Inga översikter behöver åtgärdas just nu.</p>"
    parts: list[str] = []
    for kind, label in KIND_LABELS.items():
        group = [r for r in rows if r.kind == kind]
        if not group:
            continue
        body = "".join(
            f"<tr><td>{esc(r.title)}<br><small>{esc(r.path)}</small></td><td>{esc(r.detail)}</td>"
            f"<td>{esc(', '.join(r.owners))}</td></tr>"
            for r in group[:PAGE_ROWS]
        )
        more = (f"<p>… och {len(group) - PAGE_ROWS} till. <code>make status</code> visar hela listan.</p>"
                if len(group) > PAGE_ROWS else "")
        parts.append(
            f"<h2>{esc(label)} ({len(group)})</h2><table><thead><tr><th scope=\"col\">Översikt</th>"
            f"<th scope=\"col\">Varför</th><th scope=\"col\">Författare</th></tr></thead><tbody>{body}</tbody></table>"
            + more
        )
    return "".join(parts)
