"""What changed in the conclusions between two versions of an overview.

A reader who saw version 1 wants to know whether the *conclusions* moved, not which commas
did: this is a structured comparison of the ``findings`` lists, never a text diff. Findings
are matched first by identical statement, then by close wording (the same finding, reworded),
and each pair reports a changed certainty, a changed source grade or changed references.
Pure functions: data in, values and escaped HTML out.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from kop.core.html import esc

Kind = Literal["added", "removed", "reworded", "certainty", "source_grade", "references"]
SIMILAR = 0.6  # SequenceMatcher ratio above which two statements are the same finding reworded
MAX_FUZZY_PAIRS = 20_000  # bound the fuzzy matching work for huge finding lists

LABELS: dict[str, str] = {
    "added": "Nytt resultat",
    "removed": "Borttaget resultat",
    "reworded": "Omformulerat resultat",
    "certainty": "Ändrad evidensstyrka",
    "source_grade": "Ändrad gradering enligt källan",
    "references": "Ändrade referenser",
}


@dataclass(frozen=True)
class FindingChange:
    """One change to one finding between two versions."""

    kind: Kind
    statement: str  # the finding's statement in the newer version (the older one when removed)
    old: str = ""  # the older value: statement, certainty level, grade or references
    new: str = ""  # the newer value


def _norm(text: Any) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text or "")).split()).casefold()


def certainty_level(finding: Mapping[str, Any]) -> str:
    """The finding's own certainty level, or its legacy ``strength`` from before the two-grade schema."""
    cert = finding.get("certainty")
    if isinstance(cert, Mapping) and isinstance(cert.get("level"), str):
        return cert["level"]
    legacy = finding.get("strength")
    return f"{legacy} (äldre skala)" if isinstance(legacy, str) else ""


def _grade(finding: Mapping[str, Any]) -> str:
    grade = finding.get("source_grade")
    return str(grade.get("grade", "")) if isinstance(grade, Mapping) else ""


def _refs(finding: Mapping[str, Any]) -> tuple[str, ...]:
    refs = finding.get("references")
    return tuple(sorted(str(r) for r in refs)) if isinstance(refs, list) else ()


def _findings(value: Any) -> list[Mapping[str, Any]]:
    return [f for f in value if isinstance(f, Mapping)] if isinstance(value, list) else []


def _pair_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[FindingChange]:
    statement = str(new.get("statement", ""))
    out: list[FindingChange] = []
    if _norm(old.get("statement")) != _norm(new.get("statement")):
        out.append(FindingChange("reworded", statement, str(old.get("statement", "")), statement))
    if certainty_level(old) != certainty_level(new):
        out.append(FindingChange("certainty", statement, certainty_level(old), certainty_level(new)))
    if _grade(old) != _grade(new):
        out.append(FindingChange("source_grade", statement, _grade(old), _grade(new)))
    if _refs(old) != _refs(new):
        out.append(FindingChange("references", statement, ", ".join(_refs(old)), ", ".join(_refs(new))))
    return out


def compare_findings(old_findings: Any, new_findings: Any) -> list[FindingChange]:
    """The changes from ``old_findings`` to ``new_findings``, in the newer version's order."""
    old = _findings(old_findings)
    new = _findings(new_findings)
    pairs: dict[int, int] = {}  # new index -> old index
    free_old = set(range(len(old)))
    by_text: dict[str, list[int]] = {}
    for i, f in enumerate(old):
        by_text.setdefault(_norm(f.get("statement")), []).append(i)
    for j, f in enumerate(new):
        candidates = by_text.get(_norm(f.get("statement")))
        if candidates:
            i = candidates.pop(0)
            pairs[j] = i
            free_old.discard(i)
    unmatched_new = [j for j in range(len(new)) if j not in pairs]
    if unmatched_new and free_old and len(unmatched_new) * len(free_old) <= MAX_FUZZY_PAIRS:
        scored = []
        for j in unmatched_new:
            a = _norm(new[j].get("statement"))
            for i in free_old:
                ratio = difflib.SequenceMatcher(None, _norm(old[i].get("statement")), a).ratio()
                if ratio >= SIMILAR:
                    scored.append((-ratio, j, i))
        for _, j, i in sorted(scored):
            if j not in pairs and i in free_old:
                pairs[j] = i
                free_old.discard(i)
    changes: list[FindingChange] = []
    for j, f in enumerate(new):
        if j in pairs:
            changes.extend(_pair_changes(old[pairs[j]], f))
        else:
            statement = str(f.get("statement", ""))
            changes.append(FindingChange("added", statement, "", certainty_level(f) or _grade(f)))
    for i in sorted(free_old):
        statement = str(old[i].get("statement", ""))
        changes.append(FindingChange("removed", statement, certainty_level(old[i]) or _grade(old[i]), ""))
    return changes


def _describe(change: FindingChange, level_label: Mapping[str, str]) -> str:
    def lab(value: str) -> str:
        return esc(level_label.get(value, value)) if value else "ingen"

    text = f"<q>{esc(change.statement)}</q>"
    if change.kind == "reworded":
        return f"{text} (tidigare: <q>{esc(change.old)}</q>)"
    if change.kind == "certainty":
        return f"{text}: {lab(change.old)} → {lab(change.new)}"
    if change.kind == "source_grade":
        return f"{text}: enligt källan {lab(change.old)} → {lab(change.new)}"
    if change.kind == "references":
        return f"{text}: {esc(change.old) or 'inga'} → {esc(change.new) or 'inga'}"
    return text


def changes_html(steps: Sequence[tuple[str, str, str, list[FindingChange]]],
                 level_label: Mapping[str, str] | None = None) -> str:
    """The "Vad har ändrats" list: ``(version, date, note, changes)`` per step, newest first."""
    labels = level_label or {}
    items: list[str] = []
    for version, day, note, changes in steps:
        rows = "".join(
            f'<li class="kop-change kop-change--{esc(c.kind)}"><strong>{esc(LABELS[c.kind])}:</strong> '
            f"{_describe(c, labels)}</li>"
            for c in changes
        ) or "<li>Inga ändringar i resultaten.</li>"
        note_html = f"<p>{esc(note)}</p>" if note else ""
        items.append(
            f'<li><p><strong>Version {esc(version)}</strong> (<time datetime="{esc(day)}">{esc(day)}</time>)</p>'
            f"{note_html}<ul>{rows}</ul></li>"
        )
    return f'<ol class="kop-changes" reversed>{"".join(items)}</ol>' if items else ""
