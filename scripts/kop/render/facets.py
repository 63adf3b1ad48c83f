"""The filter values of an overview (area, method, certainty, year, status).

The search index, the search page and the catalogue's filters all use the same values,
in the form the index and the URL carry. ``certainty`` holds only KÖP's own assessments
(``findings[*].certainty.level``): a grade a source reports itself (``source_grade``) is
never a filter value, because it is not on KÖP's scale.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kop.render.marks import certainty_values


def certainty_of(finding: Any) -> str:
    """A finding's certainty level ('' when it has none, e.g. only a source's grade)."""
    certainty = finding.get("certainty") if isinstance(finding, Mapping) else None
    level = certainty.get("level") if isinstance(certainty, Mapping) else None
    return str(level) if level else ""


def facet_values(meta: dict[str, Any]) -> dict[str, list[str]]:
    """The filter values of one overview, in the form the index and the URL use."""
    present = {level for f in meta.get("findings") or [] if (level := certainty_of(f))}
    scale = certainty_values()
    levels = [s for s in scale if s in present] + sorted(present - set(scale))  # highest first
    published = str(meta.get("published") or "")
    return {
        "area": [str(a) for a in meta.get("area") or []],
        "method": [str(meta["method"])] if meta.get("method") else [],
        "certainty": levels,
        "year": [published[:4]] if published[:4].isdigit() else [],
        "status": [str(meta["status"])] if meta.get("status") else [],
    }
