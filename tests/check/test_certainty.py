"""Issue 13's front-matter rules through ``kop check``: certainty and source grades, included studies.

Each test writes a scratch project, runs the real command (``kop.cli.main``) and reads what an
author reads: ``path:line:column: fel: message [code]``, the hint, and the exit code.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kop.cite.keys import cited_keys
from kop.cli.main import main
from kop.core.project import load_project
from kop.site.checking import check
from tests.conftest import FIXTURES

VALID = (FIXTURES / "valid" / "testoversikt.md").read_text(encoding="utf-8")
BIB = (FIXTURES / "project" / "references.bib").read_text(encoding="utf-8")
# A source that only grades a finding, and a study that is only listed: neither is cited in the body.
EXTRA_BIB = """
@misc{testkalla2020,
  author = {Testförfattare, Anna},
  title = {En påhittad källa för testerna},
  year = {2020},
}

@article{teststudie2019,
  author = {Teststudieförfattare, Bo},
  title = {En påhittad studie för testerna},
  journal = {Testtidskriften},
  year = {2019},
}
"""
CERTAINTY_LINE = "    certainty: {level: måttlig, assessed_by: Testforskare A}\n"


def _project(make_project, text: str, bib: str = BIB + EXTRA_BIB) -> Path:
    return make_project({"testoversikt.md": text}, bib=bib, with_site_config=False)


def _kop_check(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--format", "text", "check", "--root", str(root), *extra])
    return code, capsys.readouterr().err


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), 1) if needle in line)


def _with_finding(block: str) -> str:
    assert CERTAINTY_LINE in VALID
    return VALID.replace(CERTAINTY_LINE, block)


def test_old_strength_is_one_clear_error_at_its_line(make_project, capsys) -> None:
    text = _with_finding("    strength: stark\n")
    code, err = _kop_check(_project(make_project, text), capsys)
    line = _line_of(text, "strength: stark")
    assert code == 1
    assert f"overviews/testoversikt.md:{line}:5: fel: Fältet 'strength' finns inte längre. [KOP160]" in err
    hint = err.split("[KOP160]", 1)[1].split("\n")[1]
    assert "'certainty'" in hint and "hög, måttlig, låg eller mycket låg" in hint and "assessed_by" in hint
    assert "'source_grade'" in hint and "grade" in hint and "scale" in hint
    assert "'stark'" in hint  # the old value is named, not silently moved
    assert "KOP111" not in err  # not also "unknown field"
    assert "KOP161" not in err  # nor "has neither": one problem, one message


def test_strength_next_to_certainty_is_still_reported(make_project, capsys) -> None:
    text = _with_finding(CERTAINTY_LINE + "    strength: medel\n")
    code, err = _kop_check(_project(make_project, text), capsys)
    assert code == 1
    assert err.count("[KOP160]") == 1 and "KOP111" not in err


def test_strength_outside_a_finding_is_an_unknown_field(make_project, capsys) -> None:
    text = VALID.replace("license: CC-BY-4.0", "license: CC-BY-4.0\nstrength: stark")
    code, err = _kop_check(_project(make_project, text), capsys)
    assert code == 1
    assert "Okänt fält 'strength'. [KOP111]" in err and "KOP160" not in err


def test_finding_without_certainty_or_source_grade(make_project, capsys) -> None:
    text = _with_finding("")
    code, err = _kop_check(_project(make_project, text), capsys)
    line = _line_of(text, "- statement: Samverkan tar tid")
    assert code == 1
    assert (f"overviews/testoversikt.md:{line}:5: fel: Slutsatsen har varken 'certainty' eller 'source_grade'. "
            "[KOP161]") in err
    assert "KOP119" not in err  # not the schema's generic message as well


SOURCE_GRADE = (
    "    source_grade:\n"
    "      grade: Stark\n"
    "      source: {source}\n"
    "      scale: Källans tregradiga skala, stark, medel och svag.\n"
)


def test_source_grade_alone_is_enough_and_its_source_is_cited(make_project, capsys) -> None:
    text = _with_finding(SOURCE_GRADE.format(source="testkalla2020"))
    text = text.replace("license: CC-BY-4.0", "included_studies:\n  - key: teststudie2019\n    design: enkätstudie\n"
                                              "license: CC-BY-4.0")
    root = _project(make_project, text)
    code, err = _kop_check(root, capsys)
    assert code == 0, err
    assert "KOP210" not in err  # graded-by source and listed study are not "unused references"
    (ov,) = check(load_project(root)).overviews
    assert {"testkalla2020", "teststudie2019"} <= cited_keys(ov)


def test_both_certainty_and_source_grade_are_allowed(make_project, capsys) -> None:
    text = _with_finding(CERTAINTY_LINE + SOURCE_GRADE.format(source="testkalla2020")).replace(
        "license: CC-BY-4.0", "included_studies:\n  - key: teststudie2019\nlicense: CC-BY-4.0")
    code, err = _kop_check(_project(make_project, text), capsys)
    assert code == 0, err


def test_source_grade_source_must_be_in_the_bibliography(make_project, capsys) -> None:
    text = _with_finding(SOURCE_GRADE.format(source="testkala2020"))
    code, err = _kop_check(_project(make_project, text), capsys)
    line = _line_of(text, "source: testkala2020")
    assert code == 1
    assert (f"overviews/testoversikt.md:{line}:7: fel: Källan till graderingen, 'testkala2020', finns inte i "
            "references.bib. Menade du 'testkalla2020'? [KOP162]") in err


def test_source_grade_needs_grade_source_and_scale(make_project, capsys) -> None:
    text = _with_finding("    source_grade:\n      grade: Stark\n")
    code, err = _kop_check(_project(make_project, text), capsys)
    assert code == 1
    assert "Det obligatoriska fältet 'findings[1].source_grade.source' saknas. [KOP110]" in err
    assert "Det obligatoriska fältet 'findings[1].source_grade.scale' saknas. [KOP110]" in err


def test_certainty_level_is_from_the_vocabulary(make_project, capsys) -> None:
    text = _with_finding("    certainty:\n      level: mattlig\n      assessed_by: Testforskare A\n")
    code, err = _kop_check(_project(make_project, text), capsys)
    line = _line_of(text, "level: mattlig")
    assert code == 1
    assert (f"overviews/testoversikt.md:{line}:7: fel: 'mattlig' är inte ett tillåtet värde för "
            "'findings[1].certainty.level'. Menade du 'måttlig'? [KOP113]") in err
    assert "hög, måttlig, låg, mycket låg" in err


def test_certainty_needs_who_assessed_it(make_project, capsys) -> None:
    text = _with_finding("    certainty:\n      level: låg\n")
    code, err = _kop_check(_project(make_project, text), capsys)
    assert code == 1
    assert "Det obligatoriska fältet 'findings[1].certainty.assessed_by' saknas. [KOP110]" in err


def test_studies_and_participants_are_whole_numbers(make_project, capsys) -> None:
    text = _with_finding(CERTAINTY_LINE + "    studies: -1\n    participants: många\n    designs: [enkätstudie]\n")
    code, err = _kop_check(_project(make_project, text), capsys)
    assert code == 1
    assert "Fältet 'findings[1].studies' är för litet (minst 0). [KOP115]" in err
    assert "Fältet 'findings[1].participants' ska vara ett heltal, men är en text. [KOP112]" in err


def test_included_study_must_be_in_the_bibliography(make_project, capsys) -> None:
    text = VALID.replace("license: CC-BY-4.0", "included_studies:\n  - key: teststudie2091\n    country: Sverige\n"
                                               "license: CC-BY-4.0")
    code, err = _kop_check(_project(make_project, text), capsys)
    line = _line_of(text, "- key: teststudie2091")
    assert code == 1
    assert (f"overviews/testoversikt.md:{line}:5: fel: Den inkluderade studien 'teststudie2091' finns inte i "
            "references.bib. Menade du 'teststudie2019'? [KOP163]") in err


def test_included_study_listed_twice(make_project, capsys) -> None:
    text = VALID.replace("license: CC-BY-4.0", "included_studies:\n  - key: teststudie2019\n  - key: ahgren2011decade\n"
                                               "  - key: teststudie2019\nlicense: CC-BY-4.0")
    code, err = _kop_check(_project(make_project, text), capsys)
    first = _line_of(text, "- key: teststudie2019")
    assert code == 1
    assert (f"overviews/testoversikt.md:{first + 2}:5: fel: Studien 'teststudie2019' står två gånger i "
            f"'included_studies' (första gången på rad {first}). [KOP164]") in err
    assert err.count("[KOP164]") == 1


def test_unknown_field_in_an_included_study(make_project, capsys) -> None:
    text = VALID.replace("license: CC-BY-4.0", "included_studies:\n  - key: teststudie2019\n    quallity: Ej bedömd\n"
                                               "license: CC-BY-4.0")
    code, err = _kop_check(_project(make_project, text), capsys)
    assert code == 1
    assert "Okänt fält 'included_studies[1].quallity'. Menade du 'quality'? [KOP111]" in err


NEW_FIELDS = """plain_language:
  why: Kommunen ville veta hur samverkan kan bli bättre.
  what_was_done: Vi läste forskning om samverkan.
  what_was_found: Samverkan tar tid att bygga upp.
  practice: Ge samverkan tid och stöd.
  how_certain: Vi är ganska säkra.
knowledge_gaps:
  - Hur samverkan fungerar i små kommuner.
funding: Testkommunen betalade arbetet.
conflicts_of_interest: Författarna har inga intressekonflikter att redovisa.
review:
  - name: Testgranskare C
    affiliation: Testlärosätet
    date: "2024-03-01"
    role: extern granskare
"""


def test_new_optional_fields_validate(make_project, capsys) -> None:
    text = VALID.replace("license: CC-BY-4.0", NEW_FIELDS + "license: CC-BY-4.0")
    code, err = _kop_check(_project(make_project, text, bib=BIB), capsys)
    assert code == 0, err
    assert "fel:" not in err and "varning:" not in err, err


def test_empty_plain_language_is_an_error(make_project, capsys) -> None:
    text = VALID.replace("license: CC-BY-4.0", "plain_language: {}\nlicense: CC-BY-4.0")
    code, err = _kop_check(_project(make_project, text, bib=BIB), capsys)
    line = _line_of(text, "plain_language: {}")
    assert code == 1
    assert f"overviews/testoversikt.md:{line}:1: fel: Fältet 'plain_language' är tomt. [KOP115]" in err


def test_review_date_may_not_be_in_the_future(make_project, capsys) -> None:
    text = VALID.replace("license: CC-BY-4.0", NEW_FIELDS.replace("2024-03-01", "2999-01-01") + "license: CC-BY-4.0")
    code, err = _kop_check(_project(make_project, text, bib=BIB), capsys)
    line = _line_of(text, "2999-01-01")
    assert code == 1
    assert f"overviews/testoversikt.md:{line}:5: fel: Datumet 2999-01-01 i 'review[1].date' ligger i framtiden." in err


def test_all_new_problems_in_one_run(make_project, capsys) -> None:
    text = _with_finding("    strength: svag\n").replace(
        "license: CC-BY-4.0", "included_studies:\n  - key: finnsinte2020\nlicense: CC-BY-4.0")
    second = _with_finding(SOURCE_GRADE.format(source="finnsinte2021")).replace("kop-2024-001", "kop-2024-002")
    root = make_project({"a.md": text, "b.md": second}, bib=BIB + EXTRA_BIB, with_site_config=False)
    code, err = _kop_check(root, capsys)
    assert code == 1
    assert {c for c in ("KOP160", "KOP162", "KOP163") if f"[{c}]" in err} == {"KOP160", "KOP162", "KOP163"}
