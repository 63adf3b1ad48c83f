"""Scholarly metadata and link previews, parsed from the built HTML's head."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from kop.render.headmeta import script_json
from tests.linksite import (
    HOSTILE_TITLE,
    link_site_fixture,  # noqa: F401  (session fixture)
)

pytestmark = pytest.mark.slow


def head(site: Path, slug: str) -> BeautifulSoup:
    return BeautifulSoup((site / "oversikter" / slug / "index.html").read_text(encoding="utf-8"), "html.parser").head


def metas(h: BeautifulSoup, attr: str, name: str) -> list[str]:
    return [m["content"] for m in h.find_all("meta", attrs={attr: name})]


def test_examples_have_no_highwire_citation_tags(link_site):
    # the link site's overviews are demonstration examples: scholarly indexers must not list them
    # (a real overview's citation_* tags: tests/features/test_example_mark_exports.py)
    h = head(link_site / "site", "testoversikt")
    assert [m for m in h.find_all("meta") if str(m.get("name", "")).startswith("citation_")] == []
    url = "https://kop.example.org/oversikter/testoversikt/"
    assert [link["href"] for link in h.find_all("link", rel="canonical")] == [url]


def test_schema_org_json_ld(link_site):
    h = head(link_site / "site", "testoversikt")
    (script,) = h.find_all("script", type="application/ld+json")
    data = json.loads(script.string)
    assert data["@type"] == "ScholarlyArticle" and data["@context"] == "https://schema.org"
    assert data["name"] == "Exempel: Testöversikt om samverkan"  # the fixture is a demonstration example
    assert data["@id"] == "https://kop.example.org/k/kop-2024-001/"
    assert data["url"] == "https://kop.example.org/oversikter/testoversikt/"
    assert [a["name"] for a in data["author"]] == ["Testforskare A", "Testpraktiker B"]
    assert data["author"][0]["sameAs"] == "https://orcid.org/0000-0002-1825-0097"
    assert (data["datePublished"], data["dateModified"], data["version"]) == ("2024-03-15", "2024-04-01", "1.0")
    assert data["inLanguage"] == "sv" and data["license"] == "https://creativecommons.org/licenses/by/4.0/"


def test_open_graph_and_twitter_card_with_a_real_preview_image(link_site):
    site = link_site / "site"
    h = head(site, "testoversikt")
    assert metas(h, "property", "og:type") == ["article"]
    assert metas(h, "property", "og:title") == ["Exempel: Testöversikt om samverkan"]
    assert metas(h, "property", "og:site_name") == ["KÖP – kunskapsöversikter för socialtjänsten"]
    assert metas(h, "property", "og:description")[0].startswith("Detta är ett demonstrationsexempel")
    assert metas(h, "name", "twitter:card") == ["summary_large_image"]
    (image,) = metas(h, "property", "og:image")
    assert metas(h, "name", "twitter:image") == [image]
    prefix = "https://kop.example.org/"
    assert image.startswith(prefix)
    png = site / image[len(prefix):]
    with Image.open(png) as img:
        assert img.format == "PNG" and img.size == (1200, 630)
        assert (str(img.width), str(img.height)) == (metas(h, "property", "og:image:width")[0],
                                                     metas(h, "property", "og:image:height")[0])
    assert metas(h, "property", "og:image:alt")[0].startswith("Exempel: Testöversikt om samverkan")


def test_feed_link_on_every_page(link_site):
    site = link_site / "site"
    for page in ("index.html", "oversikter/index.html", "seminarier/index.html"):
        h = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser").head
        link = h.find("link", rel="alternate", type="application/atom+xml")
        assert (site / page).parent.joinpath(link["href"]).resolve() == (site / "feed.xml").resolve()


def test_hostile_title_survives_every_context_as_text(link_site):
    site = link_site / "site"
    raw = (site / "oversikter" / "annan-oversikt" / "index.html").read_text(encoding="utf-8")
    h = BeautifulSoup(raw, "html.parser").head
    assert metas(h, "name", "twitter:title") == ["Exempel: " + HOSTILE_TITLE]
    assert metas(h, "property", "og:title") == ["Exempel: " + HOSTILE_TITLE]
    (script,) = h.find_all("script", type="application/ld+json")
    assert json.loads(script.string)["name"] == "Exempel: " + HOSTILE_TITLE
    assert "</script>alert" not in raw and "<script>alert" not in raw
    scripts = [s for s in h.find_all("script") if s.get("type") == "application/ld+json"]
    assert len(scripts) == 1  # the title did not open or close a script element


def test_script_json_never_contains_markup_characters():
    text = script_json({"a": "</script><!-- & -->"})
    assert not set("<>&") & set(text)
    assert json.loads(text) == {"a": "</script><!-- & -->"}
