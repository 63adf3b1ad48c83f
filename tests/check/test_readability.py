"""LIX (KOP165): the readability of ``summary`` and the plain-language summary, through ``kop check``."""

from __future__ import annotations

from pathlib import Path

import pytest

from kop.check.readability import DEFAULT_LIX_MAX, lix, lix_limit
from kop.cli.main import main
from tests.conftest import FIXTURES

VALID = (FIXTURES / "valid" / "testoversikt.md").read_text(encoding="utf-8")
SUMMARY_LINE = "summary: En kort sammanfattning för testerna. Den är lätt att läsa."
# One long sentence of long words: 20 words, 1 sentence, 14 words over six letters -> 20 + 70 = 90.
HARD = ("Samverkansprocesser mellan myndigheter förutsätter långsiktiga organisatoriska förutsättningar "
        "och gemensamma målformuleringar för verksamhetsutveckling inom socialtjänstens "
        "ansvarsområden och angränsande huvudmannaskap i kommunerna")


def _kop_check(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--format", "text", "check", "--root", str(root), *extra])
    return code, capsys.readouterr().err


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), 1) if needle in line)


def test_lix_by_hand() -> None:
    assert lix("Jag är en katt. Du är en hund.") == pytest.approx(4.0)  # 8 words, 2 sentences, no long word
    # 4 words, 1 sentence (no final stop), 2 long words (Samverkan, myndigheter): 4 + 50
    assert lix("Samverkan mellan två myndigheter") == pytest.approx(54.0)
    assert lix(HARD) == pytest.approx(20 + 100 * 14 / 20)
    # a decimal point or an abbreviation's inner stops do not end a sentence; a colon followed by space does
    assert lix("Det tog 1.5 år: sedan gick det bra.") == pytest.approx(8 / 2)
    assert lix("   ") is None


def test_limit_from_mkdocs_settings() -> None:
    assert lix_limit({}) == DEFAULT_LIX_MAX == 45
    assert lix_limit({"lix_max": 50}) == 50
    assert lix_limit({"lix_max": "femtio"}) == DEFAULT_LIX_MAX  # not a number: the default
    assert lix_limit({"lix_max": True}) == DEFAULT_LIX_MAX


def test_hard_summary_is_a_warning_with_its_value(make_project, capsys) -> None:
    text = VALID.replace(SUMMARY_LINE, f"summary: {HARD}.")
    root = make_project({"testoversikt.md": text}, with_site_config=False)
    code, err = _kop_check(root, capsys)
    line = _line_of(text, "summary: Samverkansprocesser")
    assert code == 0  # a warning does not fail the check ...
    assert (f"overviews/testoversikt.md:{line}:1: varning: Texten i 'summary' har läsbarhetsindex (LIX) 90; "
            "gränsen är 45. [KOP165]") in err
    hint = err.split("[KOP165]", 1)[1].split("\n")[1]
    assert "kortare meningar" in hint and "kortare ord" in hint
    code, _ = _kop_check(root, capsys, "--strict")
    assert code == 1  # ... unless warnings count as errors


def test_each_plain_language_part_is_measured_at_its_line(make_project, capsys) -> None:
    block = ("plain_language:\n  why: Kommunen ville veta hur det går.\n"
             f"  what_was_found: {HARD}.\nlicense: CC-BY-4.0")
    text = VALID.replace("license: CC-BY-4.0", block)
    root = make_project({"testoversikt.md": text}, with_site_config=False)
    code, err = _kop_check(root, capsys)
    line = _line_of(text, "what_was_found:")
    assert code == 0
    assert (f"overviews/testoversikt.md:{line}:3: varning: Texten i 'plain_language.what_was_found' har "
            "läsbarhetsindex (LIX) 90; gränsen är 45. [KOP165]") in err
    assert err.count("[KOP165]") == 1  # the easy part and the easy summary pass


def test_threshold_is_read_from_mkdocs_yml(make_project, capsys) -> None:
    text = VALID.replace(SUMMARY_LINE, "summary: Samverkan mellan två myndigheter kräver långsiktighet.")
    # 6 words, 1 sentence, 3 long words: LIX 6 + 50 = 56
    root = make_project({"testoversikt.md": text}, with_site_config=False)
    assert "[KOP165]" in _kop_check(root, capsys)[1]
    (root / "mkdocs.yml").write_text("site_name: Test\nextra:\n  kop:\n    lix_max: 60\n", encoding="utf-8")
    assert "[KOP165]" not in _kop_check(root, capsys)[1]
    (root / "mkdocs.yml").write_text("site_name: Test\nextra:\n  kop:\n    lix_max: 30\n", encoding="utf-8")
    code, err = _kop_check(root, capsys)
    assert "har läsbarhetsindex (LIX) 56; gränsen är 30. [KOP165]" in err and code == 0


def test_placeholder_text_is_not_measured(make_project, capsys) -> None:
    text = VALID.replace(SUMMARY_LINE, f"summary: 'ERSÄTT: {HARD}.'").replace("status: publicerad", "status: utkast")
    root = make_project({"testoversikt.md": text}, with_site_config=False)
    assert "[KOP165]" not in _kop_check(root, capsys)[1]
