"""``check_one_file``: the per-file checks of ``kop check``, shared with ``kop ny``."""

from __future__ import annotations

from kop.check.one_file import check_one_file
from kop.core.project import load_project
from kop.site.checking import check
from tests.conftest import FIXTURES

VALID = FIXTURES / "valid" / "testoversikt.md"


def _codes(diags) -> list[str]:
    return sorted(d.code for d in diags)


def test_a_valid_file_has_no_problem(make_project):
    root = make_project({"testoversikt.md": VALID})
    project = load_project(root)
    assert [d for d in check_one_file(project, root / "overviews" / "testoversikt.md")
            if d.severity == "error"] == []


def test_text_not_yet_written_gets_the_safety_and_key_checks(make_project):
    """What ``kop ny`` relied on before: its own check skipped active content (KOP4xx)."""
    root = make_project({})
    project = load_project(root)
    text = VALID.read_text(encoding="utf-8") + "\n<script>alert(1)</script>\n\nSe [@finnsinte2020].\n"
    target = root / "overviews" / "ny.md"
    diags = check_one_file(project, target, text)
    assert not target.exists()
    codes = _codes(diags)
    assert "KOP401" in codes  # active content
    assert "KOP301" in codes  # unknown citation key
    assert all(d.path == "overviews/ny.md" for d in diags)


def test_same_per_file_problems_as_kop_check(make_project):
    text = VALID.read_text(encoding="utf-8") + "\n<iframe src=x></iframe> [@finnsinte2020]\n"
    root = make_project({"ny.md": text})
    project = load_project(root)
    full = [d for d in check(project).diagnostics if d.path == "overviews/ny.md"]
    one = check_one_file(project, root / "overviews" / "ny.md")
    assert _codes(one) == _codes(full) == ["KOP301", "KOP401"]  # one file alone: no rule across files fires
