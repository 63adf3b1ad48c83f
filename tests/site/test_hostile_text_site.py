"""Hostile but allowed text in every field reaches the machine-readable outputs intact.

Markup characters, CDATA ends, template braces, iCalendar separators, a would-be ``END:VEVENT``
line, bidirectional overrides, zero-width joiners, emoji and characters outside the BMP are text an
author may write: the built ``feed.xml`` (``xml.etree``), ``overviews.json`` (``json``) and every
``.ics`` (``icalendar``) must parse with real parsers and give the text back unchanged.
Control characters are refused by the check (KOP141), so they never get this far.
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from icalendar import Calendar

from kop.core.project import load_project
from kop.site.build import build

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
VALID = FIXTURES / "valid" / "testoversikt.md"
SEMINAR = FIXTURES / "seminars" / "kommande-seminarium.md"

TITLE = "<b>&amp;</b> ]]> \"citat\" 'apostrof' {{ 7*7 }} \u202eömvänd\u202c 👩\u200d👩\u200d👧 \U0001d11e"
SUMMARY = "Rad ett <script>alert(1)</script> & ]]>\u00a0slut; med \\ bakstreck."
SEMINAR_TITLE = "Seminarium; med, komma\\ och \"citat\" <i>x</i> 🙂"
SEMINAR_DESCRIPTION = "Första raden\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:falsk; " + "lång " * 40


def _yaml(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import REPO

    root = tmp_path_factory.mktemp("hostile-text") / "project"
    (root / "overviews").mkdir(parents=True)
    (root / "seminars").mkdir()
    text = VALID.read_text(encoding="utf-8")
    text = text.replace("title: Testöversikt om samverkan", f"title: {_yaml(TITLE)}")
    text = text.replace("summary: En kort sammanfattning för testerna. Den är lätt att läsa.",
                        f"summary: {_yaml(SUMMARY)}")
    (root / "overviews" / "testoversikt.md").write_text(text, encoding="utf-8")
    seminar = SEMINAR.read_text(encoding="utf-8")
    seminar = seminar.replace("title: Testseminarium om samverkan", f"title: {_yaml(SEMINAR_TITLE)}")
    seminar = seminar.replace("description: Ett seminarium för testernas skull, där två översikter diskuteras.",
                              f"description: {_yaml(SEMINAR_DESCRIPTION)}")
    seminar = seminar.replace("  - kop-2024-002\n", "")
    (root / "seminars" / "kommande-seminarium.md").write_text(seminar, encoding="utf-8")
    shutil.copy(FIXTURES / "project" / "references.bib", root / "references.bib")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "docs", root / "docs")
    result = build(load_project(root))
    errors = [d for d in result.diagnostics if d.severity == "error"]
    assert not errors, errors
    return root / "site"


def test_feed_is_valid_xml_with_the_text_unchanged(site: Path):
    feed = ET.parse(site / "feed.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.text for e in feed.findall("a:entry/a:title", ns)]
    assert "Exempel: " + TITLE in titles  # the fixture overview is a demonstration example
    summaries = " ".join(e.text or "" for e in feed.findall("a:entry/a:summary", ns))
    assert " ".join(SUMMARY.split()) in summaries


def test_catalogue_json_parses_with_the_text_unchanged(site: Path):
    data = json.loads((site / "overviews.json").read_text(encoding="utf-8"))
    entry = next(o for o in data["overviews"] if o.get("title") == TITLE)
    assert entry["summary"] == SUMMARY


def test_every_calendar_file_parses_with_one_event_per_seminar(site: Path):
    files = sorted(site.rglob("*.ics"))
    assert len(files) >= 2  # the calendar feed and the seminar's own file
    for path in files:
        calendar = Calendar.from_ical(path.read_bytes())
        events = calendar.walk("VEVENT")
        assert len(events) == 1, path  # the would-be END:VEVENT in the description opened nothing
        event = events[0]
        assert str(event["summary"]) == SEMINAR_TITLE
        assert "END:VEVENT BEGIN:VEVENT SUMMARY:falsk;" in str(event["description"])
        for line in path.read_bytes().split(b"\r\n"):
            assert len(line) <= 75, line  # folded as RFC 5545 says
