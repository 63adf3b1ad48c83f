"""A page's own run writes out only the entries whose year suffix may differ; the page reads the same."""

from __future__ import annotations

from pathlib import Path

from kop.cite import apa
from kop.cite.apa import format_all
from kop.cite.batch import FULL_ENTRY, page_item, page_style, style_path
from kop.cite.plans import suffix_candidates
from kop.cite.scan import scan_citations
from tests.cite.test_formatting import _same_author_refs, _sig

TEXT = ("Bara boken [@teststrom2010bok] och [@teststrom2012; @danermark1999samverkan]. "
        "Se @lofstrom2010samverkan [s. 3; @lofstrom2010interorganizational]. [@page2021prisma]")


def _items(refs):
    keys = sorted(refs)
    ids = apa.stable_ids(keys)
    items = {}
    for key in keys:
        item = apa.apa_item(refs[key].csl)
        item["id"] = ids[key]
        items[key] = item
    groups: dict[str, list[str]] = {}
    for key in keys:
        groups.setdefault(apa.group_key(items[key]), []).append(key)
    return items, groups


def test_suffix_candidates_are_same_group_same_year_or_a_group_with_an_undated_work(tmp_path: Path) -> None:
    refs = _same_author_refs(tmp_path)
    items, groups = _items(refs)
    found = suffix_candidates(items, groups)
    assert {"teststrom2010bok", "teststrom2010artikel"} <= found
    assert "teststrom2012" not in found  # its own year in its group
    assert "danermark1999samverkan" not in found  # alone in its group
    undated = {"a": {"author": [{"family": "X"}], "issued": {"date-parts": [[2010]]}},
               "b": {"author": [{"family": "X"}], "status": "forthcoming"},
               "c": {"author": [{"family": "Y"}], "issued": {"date-parts": [[2010]]}},
               "d": {"author": [{"family": "Y"}], "issued": {"date-parts": [[2011]]}}}
    assert suffix_candidates(undated, {"x": ["a", "b"], "y": ["c", "d"]}) == {"a", "b"}


def test_the_page_style_only_changes_what_an_unmarked_entry_says() -> None:
    full, page = style_path().read_text(encoding="utf-8"), page_style().read_text(encoding="utf-8")
    head = full.index("<bibliography")
    assert page[:head] == full[:head]  # the citation layout, the macros and the disambiguation settings
    assert page[page.index("<sort>"):page.index("</sort>")] == full[full.index("<sort>"):full.index("</sort>")]
    assert page.count(f'<if variable="{FULL_ENTRY}">') == full[head:].count('<text macro="bibliography"/>') == 2
    item = {"id": "k1", "call-number": "QA76", "title": "T"}
    assert page_item(item, True)[FULL_ENTRY] == "kop" and FULL_ENTRY not in page_item(item, False)
    assert item["call-number"] == "QA76"  # the work itself is not changed
    assert FULL_ENTRY not in full  # the APA style never reads the mark


def test_a_page_run_keeps_only_the_entries_that_may_differ_and_the_page_reads_as_if_alone(tmp_path: Path) -> None:
    refs = _same_author_refs(tmp_path)
    cits = scan_citations(TEXT)
    site = format_all(refs, cits, None, pages={"p": cits})
    items, groups = _items(refs)
    assert set(site.pages["p"].entries) <= suffix_candidates(items, groups)
    assert "(2010)." in site.pages["p"].entries["teststrom2010bok"]  # alone on the page: no suffix
    page = site.for_page("p")
    cited = {item.key for cit in cits for item in cit.items}
    alone = format_all({k: refs[k] for k in cited}, cits, None)
    assert {k: page.entries[k] for k in cited} == {k: alone.entries[k] for k in cited}
    assert [page.clusters[_sig(c)] for c in cits] == [alone.clusters[_sig(c)] for c in cits]
    assert all(html.strip() != "." for html in page.entries.values())  # no placeholder reaches a page
