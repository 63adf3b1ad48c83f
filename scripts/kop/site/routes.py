"""Every address the site will publish, predicted without building.

The core pages are listed here; every feature says which addresses it adds
(:meth:`kop.features.base.Feature.addresses`), so a new feature never edits this file.
The address registry (``published-urls.txt``) checks its promises against this set, and
a test compares it with the files a real build writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kop.core.results import CheckResult
from kop.core.urls import area_slug
from kop.features.base import Feature
from kop.features.enabled import instantiate
from kop.schema.load import PUBLISHED_SCHEMA_NAME, vocabularies

# Pages kop.site.generate always writes, as directory addresses.
CORE_PAGES = ("", "oversikter/", "omraden/", "referenser/", "evidenskarta/", "evidensstyrka/", "bidra/faltreferens/",
              "bidra/felmeddelanden/", f"schema/{PUBLISHED_SCHEMA_NAME}")


def docs_addresses(docs_dir: Path) -> set[str]:
    """Addresses of the contributor's own pages and files in ``docs/`` (directory URLs)."""
    out: set[str] = set()
    if not docs_dir.is_dir():
        return out
    for path in docs_dir.rglob("*"):
        if not path.is_file():
            continue
        rel = path.relative_to(docs_dir).as_posix()
        if rel.endswith(".md"):
            stem = rel[:-3]
            if stem == "index" or stem.endswith("/index") or stem.lower() == "readme":
                out.add(stem[: -len("index")] if stem.endswith("index") else "")
            else:
                out.add(stem + "/")
        else:
            out.add(rel)
    return out


def site_addresses(result: CheckResult, features: Iterable[Feature]) -> set[str]:
    """Every site-relative address (no leading slash) the build will publish."""
    out = set(CORE_PAGES) | docs_addresses(result.project.docs_dir)
    out |= {f"omraden/{area_slug(item['value'])}/" for item in vocabularies()["areas"]}
    for feature in features:
        out |= feature.addresses(result)
    return out


def predicted_addresses(result: CheckResult) -> set[str]:
    """:func:`site_addresses` with every enabled feature (what ``kop registrera`` promises to keep)."""
    return site_addresses(result, instantiate())
