"""The set of reference keys an overview cites or lists, wherever it does so.

An overview names references in five places: citations in its body, the references
behind each finding in its front matter, the source of a finding's source grade, the
table of included studies, and the article it summarises. Checking for unused references
and listing a page's bibliography both need exactly this set, so it is computed here once.
"""

from __future__ import annotations

from typing import Any

from kop.core.model import Overview

__all__ = ["cited_keys"]


def _key(value: Any) -> str | None:
    return value.lstrip("@") if isinstance(value, str) and value.strip("@") else None


def cited_keys(ov: Overview) -> set[str]:
    """Keys (without '@') cited in the body, in ``findings[*].references``, as
    ``findings[*].source_grade.source``, in ``included_studies[*].key`` and as ``article``.

    Front matter is taken as it comes (this also runs on files that fail validation):
    lists that are not lists, items that are not mappings and keys that are not strings
    are ignored, not errors.
    """
    cited = {item.key for cit in ov.citations for item in cit.items}
    findings = ov.meta.get("findings")
    for finding in findings if isinstance(findings, list) else []:
        if not isinstance(finding, dict):
            continue
        if isinstance(finding.get("references"), list):
            cited.update(str(k).lstrip("@") for k in finding["references"])
        grade = finding.get("source_grade")
        source = _key(grade.get("source")) if isinstance(grade, dict) else None
        if source:
            cited.add(source)
    studies = ov.meta.get("included_studies")
    for study in studies if isinstance(studies, list) else []:
        key = _key(study.get("key")) if isinstance(study, dict) else None
        if key:
            cited.add(key)
    article = ov.meta.get("article")
    if isinstance(article, str):
        cited.add(article.lstrip("@"))
    return cited
