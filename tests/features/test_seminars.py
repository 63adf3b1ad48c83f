"""Seminars: validation at path:line:column, the pages, and the iCalendar files (parsed with icalendar)."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from icalendar import Calendar

from kop.core.project import load_project
from kop.core.report import format_text
from kop.features.seminars.feature import seminars_of
from kop.site.checking import check
from tests.conftest import FIXTURES, REPO
from tests.linksite import (
    link_site_fixture,  # noqa: F401  (session fixture)
    overview_texts,
)

INVALID = FIXTURES / "seminars" / "invalid"
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def seminar_messages(make_project, name: str) -> list[str]:
    root = make_project(overview_texts())
    (root / "seminars").mkdir()
    shutil.copy(INVALID / name, root / "seminars" / name)
    result = check(load_project(root))
    return [format_text(d).split("\n")[0] for d in result.diagnostics if d.path.startswith("seminars/")]


@pytest.mark.parametrize(("name", "expected"), [
    ("anmalan-efter-seminariet.md", [
        "seminars/anmalan-efter-seminariet.md:11:3: fel: Sista anmälningsdag (2027-03-11) är efter seminariet "
        "(2027-03-10). [KOP501]"]),
    ("okant-id.md", [
        "seminars/okant-id.md:12:5: fel: Översikten 'kop-2024-011' finns inte. Menade du 'kop-2024-001'? [KOP502]"]),
    ("slut-fore-start.md", [
        "seminars/slut-fore-start.md:5:1: fel: Seminariet slutar (12:00) innan det börjar (13:00). [KOP503]"]),
    ("tid-utan-citattecken.md", [
        "seminars/tid-utan-citattecken.md:4:1: fel: Tiden i 'start' måste stå inom citattecken. [KOP504]"]),
    ("ingen-plats.md", [
        "seminars/ingen-plats.md:1:1: fel: Det obligatoriska fältet 'description' saknas. [KOP110]",
        "seminars/ingen-plats.md:1:1: fel: Seminariet har varken plats ('place') eller digital länk ('online'). "
        "[KOP507]",
        "seminars/ingen-plats.md:8:1: fel: Okänt fält 'descripton'. Menade du 'description'? [KOP111]"]),
])
def test_each_seminar_rule_points_at_the_exact_line(make_project, name, expected):
    assert sorted(seminar_messages(make_project, name)) == sorted(expected)


def test_unquoted_time_hint_shows_the_time_it_meant(make_project):
    root = make_project(overview_texts())
    (root / "seminars").mkdir()
    shutil.copy(INVALID / "tid-utan-citattecken.md", root / "seminars" / "x.md")
    diag = next(d for d in check(load_project(root)).diagnostics if d.code == "KOP504")
    assert 'start: "11:30"' in diag.hint


def test_seminar_referring_to_a_draft_is_an_error(make_project):
    root = make_project(overview_texts())
    (root / "seminars").mkdir()
    text = (INVALID / "okant-id.md").read_text(encoding="utf-8").replace("kop-2024-011", "kop-2024-005")
    (root / "seminars" / "utkast.md").write_text(text, encoding="utf-8")
    codes = [d.code for d in check(load_project(root)).diagnostics if d.path.startswith("seminars/")]
    assert codes == ["KOP506"]


def test_the_demonstration_seminar_is_valid_and_marked_as_an_example():
    result = check(load_project(REPO))
    (sem,) = [s for s in seminars_of(result) if s.slug == "samverkan-i-valfarden-exempel"]
    assert not [d for d in result.diagnostics if d.path.startswith("seminars/")]
    assert sem.meta["example"] is True
    assert sem.meta["series"] == "Det socialt hållbara välfärdssamhället"
    assert "exempel" in sem.meta["description"]
    assert sem.day > datetime(2026, 11, 23).date()
    assert sem.overview_ids == ["kop-2024-001", "kop-2024-002", "kop-2024-003"]


@pytest.mark.slow
def test_index_splits_upcoming_and_past_by_build_date(link_site):
    page = BeautifulSoup((link_site / "site" / "seminarier" / "index.html").read_text(encoding="utf-8"),
                         "html.parser")
    lists = page.select(".kop-seminars ul.kop-seminar-list")
    upcoming, past = ([a.get_text() for a in ul.select("a")] for ul in lists)
    assert upcoming == ["Testseminarium om samverkan"]
    assert past == ["Ett tidigare testseminarium"]


@pytest.mark.slow
def test_seminar_page_and_overview_page_link_each_other(link_site):
    site = link_site / "site"
    page = BeautifulSoup((site / "seminarier" / "kommande-seminarium" / "index.html").read_text(encoding="utf-8"),
                         "html.parser")
    text = page.select_one(".kop-seminar").get_text(" ", strip=True)
    assert "fredag 24 september 2027, kl. 11:30–13:00 (mingel från kl. 11:00)" in text
    assert "Testlokalen, Testgatan 1, Borås" in text
    assert "Senast fredag 17 september 2027" in text
    folder = site / "seminarier" / "kommande-seminarium"
    for link in page.select(".kop-seminar a[href]"):
        href = link["href"]
        if href.startswith(("http", "mailto:")):
            continue
        target = (folder / href).resolve()
        assert (target / "index.html").is_file() or target.is_file(), href
    overview = BeautifulSoup((site / "oversikter" / "testoversikt" / "index.html").read_text(encoding="utf-8"),
                             "html.parser")
    section = overview.select_one(".kop-overview-seminars")
    assert [a.get_text() for a in section.select("a")] == ["Testseminarium om samverkan",
                                                             "Ett tidigare testseminarium"]
    assert "Kommande" in section.get_text() and "Tidigare" in section.get_text()


def _lines_ok(data: bytes) -> None:
    """RFC 5545 3.1: CRLF line ends, lines at most 75 octets."""
    assert data.endswith(b"\r\n")
    for line in data.split(b"\r\n")[:-1]:
        assert len(line) <= 75, line


@pytest.mark.slow
def test_seminar_ics_parses_with_the_right_time_zone_and_stable_uid(link_site):
    site = link_site / "site"
    data = (site / "seminarier" / "kommande-seminarium" / "seminarium.ics").read_bytes()
    _lines_ok(data)
    cal = Calendar.from_ical(data)
    assert cal["VERSION"] == "2.0" and str(cal["PRODID"])
    (tz,) = cal.walk("VTIMEZONE")
    assert str(tz["TZID"]) == "Europe/Stockholm"
    (event,) = cal.walk("VEVENT")
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start == datetime(2027, 9, 24, 11, 30, tzinfo=STOCKHOLM)
    assert start.utcoffset().total_seconds() == 2 * 3600  # summer time in September
    assert end == datetime(2027, 9, 24, 13, 0, tzinfo=STOCKHOLM)
    assert event["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert str(event["UID"]) == "seminarium-kommande-seminarium@kop.example.org"
    # DTSTAMP is the build time (SOURCE_DATE_EPOCH in the tests), LAST-MODIFIED is 'updated', SEQUENCE 'version'
    assert event.decoded("DTSTAMP") == datetime(2025, 11, 23, tzinfo=UTC)
    assert event.decoded("LAST-MODIFIED") == datetime(2026, 11, 1, tzinfo=UTC)
    assert event.decoded("SEQUENCE") == 2
    assert str(event["STATUS"]) == "CONFIRMED"
    text = str(event["DESCRIPTION"])
    assert "Medverkande: Anna Andersson (forskare, Testhögskolan), Bertil Berg" in text
    assert "Delta digitalt: https://example.org/mote" in text
    assert "Anmälan: Senast fredag 17 september 2027 via https://example.org/anmalan" in text
    assert "Kontakt: Cecilia Carlsson, cecilia@example.org, 031-12 34 56" in text
    assert str(event["SUMMARY"]) == "Testseminarium om samverkan"
    assert str(event["LOCATION"]) == "Testlokalen, Testgatan 1, Borås"
    assert "https://kop.example.org/k/kop-2024-001/" in str(event["DESCRIPTION"])
    assert str(event["URL"]) == "https://kop.example.org/seminarier/kommande-seminarium/"


@pytest.mark.slow
def test_calendar_feed_has_every_seminar_with_the_same_uids(link_site):
    site = link_site / "site"
    data = (site / "seminarier" / "kalender.ics").read_bytes()
    _lines_ok(data)
    cal = Calendar.from_ical(data)
    events = cal.walk("VEVENT")
    assert [str(e["UID"]) for e in events] == ["seminarium-tidigare-seminarium@kop.example.org",
                                               "seminarium-kommande-seminarium@kop.example.org"]
    winter = events[0].decoded("DTSTART")
    assert winter == datetime(2025, 1, 15, 9, 0, tzinfo=STOCKHOLM)
    assert winter.utcoffset().total_seconds() == 3600  # standard time in January
    # no 'updated' or 'version': DTSTAMP is still the build time, no LAST-MODIFIED, SEQUENCE 0
    assert events[0].decoded("DTSTAMP") == datetime(2025, 11, 23, tzinfo=UTC)
    assert "LAST-MODIFIED" not in events[0] and events[0].decoded("SEQUENCE") == 0
    (tz,) = cal.walk("VTIMEZONE")
    assert str(tz["TZID"]) == "Europe/Stockholm"


def test_seminar_pages_need_no_seminars_folder(make_project, tmp_path: Path):
    """A content tree without seminars/ still gets an (empty) Seminarier page for the nav."""
    from kop.site.generate import feature_files

    root = make_project(overview_texts())
    result = check(load_project(root))
    files = feature_files(result)
    assert "Inga seminarier är inplanerade just nu." in files["seminarier/index.md"]
    assert Calendar.from_ical(files["seminarier/kalender.ics"]).walk("VEVENT") == []


def test_bad_file_name_and_late_gathering(make_project):
    root = make_project(overview_texts())
    (root / "seminars").mkdir()
    text = (INVALID / "slut-fore-start.md").read_text(encoding="utf-8").replace('start: "13:00"', 'start: "10:00"')
    text = text.replace('end: "12:00"', 'end: "12:00"\ngathering: "10:30"')
    (root / "seminars" / "Mitt Seminarium.md").write_text(text, encoding="utf-8")
    diags = [d for d in check(load_project(root)).diagnostics if d.path.startswith("seminars/")]
    assert [(d.code, d.line) for d in diags] == [("KOP505", 1), ("KOP508", 6)]
    assert "Döp om filen till 'slutar-innan-det-borjar.md'" in diags[0].hint


def test_seminar_body_gets_the_same_active_content_rule_as_overviews(make_project):
    root = make_project(overview_texts())
    (root / "seminars").mkdir()
    text = (INVALID / "okant-id.md").read_text(encoding="utf-8").replace("  - kop-2024-011\n", "")
    text += "\nVälkomna!\n\n<img src=x onerror=alert(1)>\n"
    (root / "seminars" / "skript.md").write_text(text, encoding="utf-8")
    messages = [format_text(d).split("\n")[0] for d in check(load_project(root)).diagnostics
                if d.path.startswith("seminars/")]
    assert messages == ["seminars/skript.md:17:12: fel: Attributet 'onerror' är en händelsehanterare och är inte "
                        "tillåtet (det kör skript). [KOP402]"]


VALID_SEMINAR = FIXTURES / "seminars" / "kommande-seminarium.md"


def _one_seminar(make_project, text: str):
    root = make_project(overview_texts())
    (root / "seminars").mkdir()
    (root / "seminars" / "s.md").write_text(text, encoding="utf-8")
    result = check(load_project(root))
    return seminars_of(result)[0], [d for d in result.diagnostics if d.path.startswith("seminars/")]


def test_a_time_with_a_dot_is_accepted_and_normalised(make_project):
    text = VALID_SEMINAR.read_text(encoding="utf-8").replace('start: "11:30"', 'start: "11.30"')
    text = text.replace('end: "13:00"', 'end: "13.15"').replace('gathering: "11:00"', 'gathering: "9:45"')
    sem, diags = _one_seminar(make_project, text)
    assert diags == []
    assert (sem.meta["start"], sem.meta["end"], sem.meta["gathering"]) == ("11:30", "13:15", "09:45")
    assert sem.ends == datetime(2027, 9, 24, 13, 15, tzinfo=STOCKHOLM)


def test_an_unquoted_time_with_a_dot_is_explained(make_project):
    text = VALID_SEMINAR.read_text(encoding="utf-8").replace('end: "13:00"', "end: 13.15")
    _, diags = _one_seminar(make_project, text)
    assert [format_text(d) for d in diags] == [
        "seminars/s.md:6:1: fel: Tiden i 'end' måste stå inom citattecken. [KOP504]\n"
        "    → Skriv till exempel end: \"13:15\". Utan citattecken läser YAML 11:30 som ett tal."]


@pytest.mark.parametrize(("old", "new", "code"), [
    ("version: 2", "version: -1", "KOP115"),
    ("version: 2", "version: två", "KOP112"),
    ("  email: cecilia@example.org", "  email: cecilia", "KOP114"),
    ("  - name: Bertil Berg", "  - role: utan namn", "KOP110"),
])
def test_new_fields_are_validated_by_the_schema(make_project, old, new, code):
    text = VALID_SEMINAR.read_text(encoding="utf-8")
    assert old in text
    _, diags = _one_seminar(make_project, text.replace(old, new))
    assert [d.code for d in diags] == [code] and diags[0].line > 1, [format_text(d) for d in diags]


def test_seminar_page_has_speakers_contact_and_clock_markers(make_project):
    from kop.features.seminars.model import index_page, seminar_page

    sem, diags = _one_seminar(make_project, VALID_SEMINAR.read_text(encoding="utf-8"))
    assert diags == []
    page = BeautifulSoup(seminar_page(sem, {}), "html.parser")
    facts = {dt.get_text(): dt.find_next_sibling("dd") for dt in page.select("dt")}
    assert facts["Medverkande"].get_text() == "Anna Andersson (forskare, Testhögskolan) och Bertil Berg"
    assert facts["Kontakt"].get_text() == "Cecilia Carlsson, cecilia@example.org, 031-12 34 56"
    assert facts["Kontakt"].select_one("a[href='mailto:cecilia@example.org']")
    assert facts["Kontakt"].select_one("a[href='tel:031-123456']")
    # registration closes when the deadline day is over; the page states it without JavaScript
    assert facts["Anmälan"]["data-kop-closes"] == "2027-09-18T00:00:00+02:00"
    assert facts["Anmälan"].select_one(".kop-registration-open").get_text().startswith("Senast fredag 17 september")
    assert facts["Anmälan"].select_one(".kop-registration-closed").has_attr("hidden")
    past = page.select_one(".kop-seminar-past")
    assert past.has_attr("hidden") and past["data-kop-ended"] == "2027-09-24T13:00:00+02:00"
    index = BeautifulSoup(index_page([sem], datetime(2030, 1, 1, tzinfo=UTC)), "html.parser")
    (item,) = index.select("[data-kop-part='past'] li")
    assert item["data-kop-start"] == "2027-09-24T11:30:00+02:00" and item["data-kop-end"].startswith("2027-09-24T13")
    assert index.select_one("[data-kop-part='upcoming'] ul").has_attr("hidden")
    assert not index.select_one("[data-kop-part='upcoming'] .kop-seminar-empty").has_attr("hidden")


@pytest.mark.slow
def test_the_clock_script_is_published_and_loaded_on_the_seminar_pages(link_site):
    site = link_site / "site"
    assert "data-kop-seminar-split" in (site / "assets" / "kop" / "seminarier.js").read_text(encoding="utf-8")
    page = BeautifulSoup((site / "seminarier" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.select_one("script[src$='assets/kop/seminarier.js']") is not None
    assert page.select_one("[data-kop-seminar-split] [data-kop-part='upcoming'] li[data-kop-end]") is not None


def test_the_field_reference_names_every_field_of_the_schema():
    from kop.features.seminars.feature import seminar_field_reference
    from kop.features.seminars.model import schema

    def paths(node: dict, prefix: str = "") -> list[str]:
        out = []
        for name, sub in node.get("properties", {}).items():
            out.append(prefix + name)
            out += paths(sub, prefix + name + ".")
            if isinstance(sub.get("items"), dict):
                out += paths(sub["items"], prefix + name + "[].")
        return out

    text = seminar_field_reference()
    every = paths(schema())
    assert {"speakers[].name", "speakers[].role", "contact.email", "contact.phone", "version"} <= set(every)
    for path in every:
        assert f"- `{path}` – **" in text, path
    assert "(heltal, valfritt)" in text and "Standard: `0`." in text
    assert "Tillåtna värden: `planerat`, `inställt`." in text


def test_a_rescheduled_or_cancelled_seminar_updates_in_calendars(make_project):
    """Same UID, SEQUENCE from 'version', STATUS:CANCELLED, DTSTAMP the build time given."""
    from kop.features.seminars.ics import seminar_ics

    stamp = datetime(2027, 9, 1, 8, 30, tzinfo=UTC)
    text = VALID_SEMINAR.read_text(encoding="utf-8")
    first, _ = _one_seminar(make_project, text.replace("version: 2\n", ""))
    (before,) = Calendar.from_ical(seminar_ics(first, {}, "https://kop.example.org/", stamp)).walk("VEVENT")
    assert before.decoded("SEQUENCE") == 0 and before.decoded("DTSTAMP") == stamp
    moved = text.replace('start: "11:30"', 'start: "12:30"').replace("version: 2", "version: 3")
    moved = moved.replace("updated:", 'status: inställt\nupdated:')
    shutil.rmtree(first.path.parents[1])
    later, _ = _one_seminar(make_project, moved)
    (after,) = Calendar.from_ical(seminar_ics(later, {}, "https://kop.example.org/", stamp)).walk("VEVENT")
    assert str(after["UID"]) == str(before["UID"])
    assert after.decoded("SEQUENCE") == 3 and str(after["STATUS"]) == "CANCELLED"
    assert str(after["SUMMARY"]).startswith("INSTÄLLT: ")
    assert after.decoded("DTSTART") == datetime(2027, 9, 24, 12, 30, tzinfo=STOCKHOLM)
