"""Seminar pages follow the reader's clock, not the build's (issue 15): seminarier.js in Chromium.

The link site has one seminar on 24 September 2027 (registration until the 17th) and one on
15 January 2025. Playwright's clock sets the reader's date; the built HTML is the same each time.
"""

from __future__ import annotations

import pytest

from tests.linksite import link_site_fixture  # noqa: F401  (session fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _open(chromium_browser, base: str, path: str, when: str | None):  # type: ignore[no-untyped-def]
    context = chromium_browser.new_context()
    page = context.new_page()
    if when:
        page.clock.set_fixed_time(when)
    page.goto(base + path)
    page.wait_for_load_state("load")
    return context, page


def _lists(page) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
    return tuple(page.eval_on_selector_all(  # type: ignore[return-value]
        f".kop-seminars [data-kop-part='{part}'] li a", "els => els.map(e => e.textContent)")
        for part in ("upcoming", "past"))


def test_a_past_seminar_moves_to_the_past_list_and_closes(link_site, serve_dir, chromium_browser):
    base = serve_dir(link_site / "site")
    context, page = _open(chromium_browser, base, "seminarier/", None)  # the test run's own clock: 2026 or later
    _, past = _lists(page)
    context.close()
    assert "Ett tidigare testseminarium" in past
    context, page = _open(chromium_browser, base, "seminarier/", "2028-01-01T12:00:00+01:00")
    assert _lists(page) == ([], ["Testseminarium om samverkan", "Ett tidigare testseminarium"])
    assert page.is_visible("text=Inga seminarier är inplanerade just nu.")
    assert not page.is_visible("text=Inga tidigare seminarier.")
    page.goto(base + "seminarier/kommande-seminarium/")
    assert page.is_visible("text=Seminariet har redan ägt rum.")
    assert page.is_visible("text=Anmälan har stängt.")
    assert not page.is_visible("text=Senast fredag 17 september 2027")
    context.close()


def test_registration_closes_after_the_deadline_day(link_site, serve_dir, chromium_browser):
    base = serve_dir(link_site / "site")
    for when, closed in (("2027-09-17T23:30:00+02:00", False), ("2027-09-18T00:30:00+02:00", True)):
        context, page = _open(chromium_browser, base, "seminarier/kommande-seminarium/", when)
        assert page.is_visible("text=Anmälan har stängt.") is closed, when
        assert page.is_visible("text=Senast fredag 17 september 2027") is not closed, when
        assert not page.is_visible("text=Seminariet har redan ägt rum.")
        context.close()
    context, page = _open(chromium_browser, base, "seminarier/", "2027-09-18T00:30:00+02:00")
    assert _lists(page) == (["Testseminarium om samverkan"], ["Ett tidigare testseminarium"])
    context.close()
