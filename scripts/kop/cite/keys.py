"""The set of reference keys an overview cites, wherever it cites them.

An overview cites references in three places: citations in its body, the references
behind each finding in its front matter, and the article it summarises. Checking for
unused references and listing a page's bibliography both need exactly this set, so it is
computed here once.
"""

from __future__ import annotations

from kop.core.model import Overview

__all__ = ["cited_keys"]


def cited_keys(ov: Overview) -> set[str]:
    """Keys cited in the body, in ``findings[*].references`` and as ``article`` (without '@').

    Front matter is taken as it comes (this also runs on files that fail validation):
    ``findings`` that is not a list, findings that are not mappings, references that are
    not a list and an ``article`` that is not a string are ignored, not errors.
    """
    cited = {item.key for cit in ov.citations for item in cit.items}
    findings = ov.meta.get("findings")
    for finding in findings if isinstance(findings, list) else []:
        if isinstance(finding, dict) and isinstance(finding.get("references"), list):
            cited.update(str(k).lstrip("@") for k in finding["references"])
    article = ov.meta.get("article")
    if isinstance(article, str):
        cited.add(article.lstrip("@"))
    return cited
