"""One Atom feed per area, linked from the area page, so a practitioner can follow one field."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kop.core.urls import area_slug
from kop.schema.load import vocabularies
from tests.linksite import link_site_fixture  # noqa: F401  (the session's built site)

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.slow
def test_each_area_has_a_feed_with_only_its_overviews(link_site: Path) -> None:
    site = link_site / "site"
    counts = {}
    for item in vocabularies()["areas"]:
        path = site / "omraden" / area_slug(item["value"]) / "feed.xml"
        feed = ET.parse(path).getroot()
        assert item["value"] in feed.find(f"{ATOM}title").text
        entries = feed.findall(f"{ATOM}entry")
        for entry in entries:
            terms = [c.get("term") for c in entry.findall(f"{ATOM}category")]
            assert item["value"] in terms, "an area's feed lists only overviews in that area"
        counts[item["value"]] = len(entries)
    assert counts["samverkan och organisering"] >= 1
    assert 0 in counts.values(), "an area with no overviews still has its (empty) feed"


@pytest.mark.slow
def test_area_page_links_its_feed(link_site: Path) -> None:
    page = (link_site / "site" / "omraden" / "samverkan-och-organisering" / "index.html").read_text(encoding="utf-8")
    assert 'href="feed.xml" type="application/atom+xml"' in page
