"""`kop status` rows: stale searches, untouched drafts and overviews in review, with their owners."""

from __future__ import annotations

from datetime import date

from kop.render.maintenance import attention_html, attention_text, needs_attention

TODAY = date(2030, 6, 1)


def meta(status: str, **extra: object) -> dict:
    return {"id": "kop-2030-001", "title": "En <översikt>", "status": status,
            "authors": [{"name": "Anna A"}, {"name": "Bo B"}], **extra}


def test_stale_search_old_draft_and_review_listed_with_owners() -> None:
    docs = [
        ("overviews/gammal.md", meta("publicerad", search={"date": "2020-01-01"})),
        ("overviews/farsk.md", meta("publicerad", search={"date": "2029-01-01"})),
        ("overviews/utkast.md", meta("utkast")),
        ("overviews/nytt-utkast.md", meta("utkast")),
        ("overviews/granskas.md", meta("granskning")),
        ("overviews/indragen.md", meta("publicerad", search={"date": "2000-01-01"}, withdrawn={"date": "2021-01-01"})),
    ]
    changed = {"overviews/utkast.md": "2029-01-01", "overviews/nytt-utkast.md": "2030-05-01",
               "overviews/granskas.md": "2030-05-20"}
    rows = needs_attention(docs, today=TODAY, last_changed=changed, stale_after_years=5)
    assert [(r.kind, r.path) for r in rows] == [
        ("search", "overviews/gammal.md"), ("draft", "overviews/utkast.md"), ("review", "overviews/granskas.md")]
    assert rows[0].owners == ("Anna A", "Bo B")
    text = attention_text(rows)
    assert "Gammal litteratursökning (1):" in text and "Fråga: Anna A, Bo B." in text
    assert "&lt;översikt&gt;" in attention_html(rows) and "<översikt>" not in attention_html(rows)


def test_nothing_to_do() -> None:
    assert needs_attention([], today=TODAY, last_changed={}, stale_after_years=5) == []
    assert attention_text([]) == "Inga översikter behöver åtgärdas just nu."


def test_page_shows_at_most_a_page_of_rows_per_kind() -> None:
    from kop.render.maintenance import PAGE_ROWS

    docs = [(f"overviews/o{i:03}.md", meta("granskning")) for i in range(PAGE_ROWS + 7)]
    rows = needs_attention(docs, today=TODAY, last_changed={}, stale_after_years=5)
    html = attention_html(rows)
    assert html.count("<tr><td>") == PAGE_ROWS and "… och 7 till." in html
    assert attention_text(rows).count("overviews/o") == PAGE_ROWS + 7, "kop status lists every one"
