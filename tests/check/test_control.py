"""Control characters written as YAML escapes are refused in every front-matter string (KOP141)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kop.check.one_file import local_checks
from kop.core.project import load_project
from kop.site.checking import check

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
VALID = FIXTURES / "valid" / "testoversikt.md"
SEMINAR = FIXTURES / "seminars" / "kommande-seminarium.md"


def control_diags(tmp_path: Path, old: str, new: str) -> list[tuple[int, int, str, str]]:
    text = VALID.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "testoversikt.md"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    _, diags = local_checks(path, "overviews/testoversikt.md")
    return [(d.line, d.column, d.code, d.message) for d in diags if d.code == "KOP141"]


@pytest.mark.parametrize(("escape", "codepoint"), [
    ("\\x01", "U+0001"), ("\\x00", "U+0000"), ("\\e", "U+001B"), ("\\r", "U+000D"), ("\\x7f", "U+007F"),
    ("\\x85", "U+0085"), ("\\N", "U+0085"), ("\\L", "U+2028"), ("\\u2029", "U+2029"), ("\\x9f", "U+009F"),
])
def test_a_yaml_escape_in_the_title_is_refused_at_the_field(tmp_path, escape, codepoint):
    found = control_diags(tmp_path, "title: Testöversikt om samverkan", f'title: "a{escape}b"')
    assert [(line, code) for line, _, code, _ in found] == [(3, "KOP141")]
    assert codepoint in found[0][3] and "'title'" in found[0][3]


def test_nested_strings_and_keys_are_checked_with_their_own_positions(tmp_path):
    text = VALID.read_text(encoding="utf-8")
    lines = text.splitlines()
    author = next(i for i, line in enumerate(lines) if line == "  - name: Testforskare A") + 1
    found = control_diags(tmp_path, "  - name: Testforskare A", '  - name: "Test\\x02forskare A"')
    assert [(line, col, code) for line, col, code, _ in found] == [(author, 5, "KOP141")]
    assert "'authors[1].name'" in found[0][3]


@pytest.mark.parametrize("escape", ["\\t", "\\n", "\\u00e5", "\\u00a0", "\\U0001F642"])
def test_tab_newline_and_ordinary_characters_pass(tmp_path, escape):
    assert control_diags(tmp_path, "title: Testöversikt om samverkan", f'title: "a{escape}b"') == []


def test_seminar_fields_are_checked_too(make_project):
    root = make_project({"testoversikt.md": VALID})
    (root / "seminars").mkdir()
    text = SEMINAR.read_text(encoding="utf-8")
    text = text.replace("title: Testseminarium om samverkan", 'title: "Test\\x01seminarium"')
    text = text.replace("  url: https://example.org/mote", '  url: "https://example.org/mo\\u2028te"')
    (root / "seminars" / "kommande-seminarium.md").write_text(text, encoding="utf-8")
    shutil.rmtree(root / "docs", ignore_errors=True)
    result = check(load_project(root))
    found = sorted((d.path, d.line, d.code) for d in result.diagnostics if d.code == "KOP141")
    shown = "seminars/kommande-seminarium.md"
    assert found == [(shown, 2, "KOP141"), (shown, 14, "KOP141")]
