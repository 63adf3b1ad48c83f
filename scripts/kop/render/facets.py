"""The filter values of an overview (area, method, evidence, year, status).

The search index, the search page and the catalogue's filters all use the same values,
in the form the index and the URL carry.
"""

from __future__ import annotations

from typing import Any

from kop.schema.load import vocabularies


def facet_values(meta: dict[str, Any]) -> dict[str, list[str]]:
    """The filter values of one overview, in the form the index and the URL use."""
    present = {str(f["strength"]) for f in meta.get("findings") or [] if isinstance(f, dict) and f.get("strength")}
    scale = [item["value"] for item in vocabularies()["evidence"]]
    strengths = [s for s in scale if s in present] + sorted(present - set(scale))  # strongest first
    published = str(meta.get("published") or "")
    return {
        "area": [str(a) for a in meta.get("area") or []],
        "method": [str(meta["method"])] if meta.get("method") else [],
        "strength": strengths,
        "year": [published[:4]] if published[:4].isdigit() else [],
        "status": [str(meta["status"])] if meta.get("status") else [],
    }
