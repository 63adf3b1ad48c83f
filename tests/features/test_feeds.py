"""The Atom feed and the overviews.json catalogue, parsed."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from tests.linksite import (
    HOSTILE_TITLE,
    link_site_fixture,  # noqa: F401  (session fixture)
)

pytestmark = pytest.mark.slow
A = "{http://www.w3.org/2005/Atom}"


def test_atom_feed_lists_new_and_updated_overviews_with_content_dates(link_site):
    site = link_site / "site"
    root = ET.parse(site / "feed.xml").getroot()
    assert root.tag == f"{A}feed"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "sv"
    entries = root.findall(f"{A}entry")
    ids = [e.findtext(f"{A}id") for e in entries]
    # newest update first; the withdrawn overview and the draft are not in the feed
    assert ids == ["https://kop.example.org/k/kop-2024-002/", "https://kop.example.org/k/kop-2024-001/"]
    first = entries[0]
    assert first.findtext(f"{A}title") == "Exempel: " + HOSTILE_TITLE  # the fixture's overviews are examples
    assert first.findtext(f"{A}updated") == "2024-09-02T00:00:00+02:00"  # Stockholm summer time
    assert first.findtext(f"{A}published") == "2024-03-15T00:00:00+01:00"
    assert first.findtext(f"{A}summary").startswith("Detta är ett demonstrationsexempel, inte en riktig "
                                                    "kunskapsöversikt. Uppdaterad till version 1.1.")
    assert [a.findtext(f"{A}name") for a in first.findall(f"{A}author")] == ["Testforskare A", "Testpraktiker B"]
    assert [c.get("term") for c in first.findall(f"{A}category")] == ["samverkan och organisering"]
    # the feed's own date is the newest content date, never the build clock
    assert root.findtext(f"{A}updated") == "2024-09-02T00:00:00+02:00"
    self_link = next(link for link in root.findall(f"{A}link") if link.get("rel") == "self")
    assert self_link.get("href") == "https://kop.example.org/feed.xml"
    for entry in entries:
        href = entry.find(f"{A}link").get("href")
        assert (site / href.removeprefix("https://kop.example.org/") / "index.html").is_file()


def test_catalogue_has_every_published_overview(link_site):
    site = link_site / "site"
    data = json.loads((site / "overviews.json").read_text(encoding="utf-8"))
    assert data["count"] == len(data["overviews"]) == 3
    by_id = {item["id"]: item for item in data["overviews"]}
    assert set(by_id) == {"kop-2024-001", "kop-2024-002", "kop-2024-003"}  # the draft is not published
    first = by_id["kop-2024-001"]
    assert first["title"] == "Testöversikt om samverkan"
    assert first["url"] == "https://kop.example.org/oversikter/testoversikt/"
    assert first["permalink"] == "https://kop.example.org/k/kop-2024-001/"
    assert (first["status"], first["published"], first["updated"], first["version"]) == (
        "publicerad", "2024-03-15", "2024-04-01", "1.0")
    assert first["authors"][0] == {"name": "Testforskare A", "affiliation": "Testlärosätet", "role": "forskare",
                                   "orcid": "0000-0002-1825-0097"}
    # KÖP's own assessment travels as given; the removed field 'strength' never appears
    assert first["findings"][0]["certainty"] == {"level": "måttlig", "assessed_by": "Testforskare A"}
    assert "strength" not in first["findings"][0]
    assert first["seminars"] == ["https://kop.example.org/seminarier/tidigare-seminarium/",
                                 "https://kop.example.org/seminarier/kommande-seminarium/"]
    assert first["cite"]["bibtex"].endswith("/oversikter/testoversikt/citera.bib")
    withdrawn = by_id["kop-2024-003"]
    assert withdrawn["status"] == "tillbakadragen"
    assert withdrawn["withdrawn"]["replaced_by"] == "kop-2024-001"
    assert "findings" not in withdrawn
    assert by_id["kop-2024-002"]["title"] == HOSTILE_TITLE  # JSON carries the text, escaping is the reader's job


def test_feed_and_catalogue_do_not_depend_on_the_build_clock(link_site, monkeypatch):
    from kop.core.project import load_project
    from kop.site.checking import check
    from kop.site.generate import feature_files

    result = check(load_project(link_site))
    outputs = []
    for epoch in ("1700000000", "1900000000"):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        files = feature_files(result)
        # the calendar's DTSTAMP is the build time by design (RFC 5545); nothing else in it may move
        calendar = b"".join(line for line in files["seminarier/kalender.ics"].splitlines(keepends=True)
                            if not line.startswith(b"DTSTAMP:"))
        outputs.append((files["feed.xml"], files["overviews.json"], calendar))
    assert outputs[0] == outputs[1]
    assert outputs[0][0] == (link_site / "site" / "feed.xml").read_text(encoding="utf-8")
