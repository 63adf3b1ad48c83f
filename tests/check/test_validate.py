"""Every validation rule: one fixture with one mistake, the exact message and position.

Fixtures live in tests/fixtures/invalid/ and are made from the valid fixture by
tests/fixtures/make_invalid.py (run it after changing the valid fixture).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kop.check.fields import next_free_id, orcid_checksum_ok
from kop.core.project import load_project
from kop.site.checking import check

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

# fixture name -> list of (code, line, column, exact message)
EXPECTED: dict[str, list[tuple[str, int, int, str]]] = {
    "kop101-latin1": [("KOP101", 3, 12, "Filen är inte sparad som UTF-8 (ogiltig byte på rad 3).")],
    "kop103-no-front-matter": [("KOP103", 1, 1, "Filen börjar inte med front matter (en rad med bara ---).")],
    "kop104-unclosed-front-matter": [
        ("KOP104", 4, 1, "Front matter avslutas aldrig: raden '---' efter fälten saknas.")
    ],
    "kop105-tab": [("KOP105", 11, 1, "Fel i YAML-syntaxen: tabbtecken används som indrag.")],
    "kop105-unclosed-quote": [
        ("KOP105", 23, 12, "Fel i YAML-syntaxen: ett citattecken öppnas här men stängs aldrig på samma rad.")
    ],
    "kop106-duplicate-key": [("KOP106", 26, 1, "Fältet 'status' förekommer två gånger (första gången på rad 22).")],
    "kop108-python-tag": [
        ("KOP108", 47, 10, "YAML-funktionen taggen '!!python/object/apply:os.system' är inte tillåten i front matter.")
    ],
    "kop110-missing-question": [("KOP110", 1, 1, "Det obligatoriska fältet 'question' saknas.")],
    "kop111-unknown-field": [("KOP111", 26, 1, "Okänt fält 'titel'. Menade du 'title'?")],
    "kop112-area-not-list": [("KOP112", 18, 1, "Fältet 'area' ska vara en lista, men är en text.")],
    "kop113-bad-area": [
        ("KOP113", 19, 5, "'samverkan och organisation' är inte ett tillåtet värde för 'area[1]'. "
                          "Menade du 'samverkan och organisering'?")
    ],
    "kop113-bad-role": [
        ("KOP113", 17, 5, "'praktikern' är inte ett tillåtet värde för 'authors[2].role'. Menade du 'praktiker'?")
    ],
    "kop114-bad-id": [("KOP114", 2, 1, "Fältet 'id' har fel format: 'kop-24-1'.")],
    "kop115-empty-findings": [("KOP115", 42, 1, "Fältet 'findings' måste ha minst 1 del.")],
    "kop116-impossible-date": [("KOP116", 23, 1, "Datumet '2024-02-30' i 'published' finns inte.")],
    "kop120-Bad_Slug": [("KOP120", 1, 1, "Filnamnet 'kop120-Bad_Slug.md' är inte ett giltigt kortnamn (slug).")],
    "kop122-future-date": [("KOP122", 24, 1, "Datumet 2999-01-01 i 'updated' ligger i framtiden.")],
    "kop123-updated-before-published": [
        ("KOP123", 24, 1, "'updated' (2024-01-01) är tidigare än 'published' (2024-03-15).")
    ],
    "kop124-unknown-related": [
        ("KOP124", 49, 5, "Den relaterade översikten 'kop-2024-999' finns inte. Menade du 'kop-2024-001'?")
    ],
    "kop125-unknown-article": [
        ("KOP125", 48, 1, "Artikeln 'danermark1999samverka' finns inte i references.bib. "
                          "Menade du 'danermark1999samverkan'?")
    ],
    "kop126-orcid-checksum": [("KOP126", 14, 5, "ORCID '0000-0002-1825-0098' har fel kontrollsiffra.")],
    "kop127-summary-too-long": [("KOP127", 9, 1, "Sammanfattningen har 201 ord; högst 200 är tillåtet.")],
    "kop128-prisma": [
        ("KOP128", 34, 1, "PRISMA-siffrorna går inte ihop: identifierade (100) minus dubbletter (10) är 90, "
                          "men granskade är 91."),
        ("KOP128", 34, 1, "PRISMA-siffrorna går inte ihop: granskade (91) minus exkluderade (60) är 31, "
                          "men bedömda i fulltext är 30."),
    ],
    "kop129-unknown-finding-reference": [
        ("KOP129", 46, 9, "Slutsatsen hänvisar till 'danermark1999', som inte finns i references.bib. "
                          "Menade du 'danermark1999samverkan'?")
    ],
    "kop130-missing-published": [("KOP130", 22, 1, "Fältet 'published' saknas, men status är 'publicerad'.")],
    "kop131-self-related": [("KOP131", 49, 5, "Översikten anger sig själv (kop-2024-001) som relaterad.")],
    "kop132-period-reversed": [("KOP132", 31, 3, "Sökperioden börjar (2010) efter att den slutar (1995).")],
    "kop160-strength": [("KOP160", 44, 5, "Fältet 'strength' finns inte längre.")],
    "kop161-no-certainty": [("KOP161", 43, 5, "Slutsatsen har varken 'certainty' eller 'source_grade'.")],
    "kop162-unknown-grade-source": [
        ("KOP162", 46, 7, "Källan till graderingen, 'danermark1999samverka', finns inte i references.bib. "
                          "Menade du 'danermark1999samverkan'?")
    ],
    "kop163-unknown-included-study": [
        ("KOP163", 48, 5, "Den inkluderade studien 'ahgren2011decad' finns inte i references.bib. "
                          "Menade du 'ahgren2011decade'?")
    ],
    "kop164-duplicate-included-study": [
        ("KOP164", 49, 5, "Studien 'ahgren2011decade' står två gånger i 'included_studies' (första gången på rad 48).")
    ],
    "kop301-unknown-citation": [],  # filled from the citation module's own message below
}


def errors_for(make_project, name: str):
    path = FIXTURES / "invalid" / f"{name}.md"
    root = make_project({path.name: path}, with_site_config=False)
    result = check(load_project(root))
    return [d for d in result.diagnostics if d.severity == "error"], root


def test_valid_fixture_has_no_problems(make_project):
    root = make_project({"testoversikt.md": FIXTURES / "valid" / "testoversikt.md"}, with_site_config=False)
    result = check(load_project(root))
    assert result.diagnostics == []
    assert result.ok


@pytest.mark.parametrize("name", sorted(k for k in EXPECTED if EXPECTED[k]))
def test_each_rule_reports_exact_message_and_position(make_project, name):
    errors, _ = errors_for(make_project, name)
    got = [(d.code, d.line, d.column, d.message) for d in errors]
    assert got == EXPECTED[name]
    for diag in errors:
        assert diag.path == f"overviews/{name}.md"
        assert diag.hint, "every message says how to fix it"


def test_unknown_citation_key_has_line_column_and_suggestion(make_project):
    errors, _ = errors_for(make_project, "kop301-unknown-citation")
    assert [(d.code, d.line, d.column) for d in errors] == [("KOP301", 52, 56)]
    assert "danermark1999samverkn" in errors[0].message
    assert "Menade du 'danermark1999samverkan'?" in errors[0].message + errors[0].hint


def test_every_invalid_fixture_is_covered():
    names = {p.stem for p in (FIXTURES / "invalid").glob("*.md")}
    assert names == set(EXPECTED)


def test_all_problems_in_one_run(make_project):
    files = {f"{name}.md": FIXTURES / "invalid" / f"{name}.md"
             for name in ("kop113-bad-area", "kop126-orcid-checksum", "kop114-bad-id")}
    root = make_project(files, with_site_config=False)
    codes = sorted(d.code for d in check(load_project(root)).diagnostics if d.severity == "error")
    # the three files share an id, so the duplicate-id rule fires too
    assert codes == ["KOP113", "KOP114", "KOP121", "KOP126"]


def test_duplicate_id_names_the_other_file_and_next_free_id(make_project):
    valid = FIXTURES / "valid" / "testoversikt.md"
    root = make_project({"a-oversikt.md": valid, "b-oversikt.md": valid}, with_site_config=False)
    (diag,) = [d for d in check(load_project(root)).diagnostics if d.code == "KOP121"]
    assert diag.path == "overviews/b-oversikt.md"
    assert (diag.line, diag.column) == (2, 1)
    assert diag.message == "Id 'kop-2024-001' används redan av overviews/a-oversikt.md."
    assert "kop-2026-001" in diag.hint


def test_validation_never_modifies_sources(make_project):
    root = make_project({"kop113-bad-area.md": FIXTURES / "invalid" / "kop113-bad-area.md"}, with_site_config=False)
    def sources() -> dict[Path, bytes]:
        # .cache/ (git-ignored, content-hash keyed) may be written; sources never
        return {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and ".cache" not in p.parts}

    before = sources()
    check(load_project(root))
    assert sources() == before
    assert len(before) == 2


def test_orcid_checksum():
    assert orcid_checksum_ok("0000-0002-1825-0097")
    assert orcid_checksum_ok("0000-0002-1694-233X")
    assert not orcid_checksum_ok("0000-0002-1825-0098")


def test_next_free_id():
    assert next_free_id(2024, ["kop-2024-001", "kop-2024-007", "kop-2023-010"]) == "kop-2024-008"
    assert next_free_id(2025, ["kop-2024-001"]) == "kop-2025-001"
