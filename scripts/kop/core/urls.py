"""Addresses of documents on the site: which overviews have one, and what it is.

Site-relative addresses have no leading slash and end in ``/`` for pages (directory URLs).
"""

from __future__ import annotations

from collections.abc import Iterable

from kop.core.model import Overview
from kop.core.slugs import slugify


def overview_url(ov: Overview) -> str:
    """Site-relative URL of an overview page (directory URLs)."""
    return f"oversikter/{ov.slug}/"


def area_slug(area: str) -> str:
    return slugify(area)


def is_withdrawn(ov: Overview) -> bool:
    return isinstance(ov.meta.get("withdrawn"), dict)


def on_site(overviews: Iterable[Overview]) -> list[Overview]:
    """Overviews that have an address (published or withdrawn; drafts never do)."""
    return [ov for ov in overviews if ov.meta.get("status") != "utkast" and isinstance(ov.meta.get("id"), str)]


def permalink(oid: str) -> str:
    """Site-relative permanent address of an overview."""
    return f"k/{oid}/"


def absolute(site_url: str, path: str) -> str:
    """``site_url`` + site-relative path; just ``/path`` when the site has no ``site_url``."""
    return (site_url.rstrip("/") + "/" if site_url else "/") + path.lstrip("/")
