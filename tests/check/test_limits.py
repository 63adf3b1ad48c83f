"""Bounded work (issue 17, item 4): the limits of kop.check.limits, and the worst allowed input builds.

The limits are chosen so that the worst input that passes ``kop check`` builds within a minute on
the 2-core build machine (measured, see docs/bidra/granser.md). The slow test builds exactly that
input (tests/check/worst_case.py) and checks the result, never the time.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kop.bib.load import load_bibliography
from kop.check import limits
from kop.check.one_file import local_checks

from .worst_case import VALID, bibliography, entry, write_worst_allowed

REPO = Path(__file__).resolve().parents[2]


def codes_for(tmp_path: Path, body: str) -> list[tuple[str, int, int]]:
    path = tmp_path / "overviews" / "a.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(VALID.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + body + "\n", encoding="utf-8")
    _, diags = local_checks(path, "overviews/a.md")
    return [(d.code, d.line, d.column) for d in diags if d.code.startswith("KOP42")]


def body_line(tmp_path: Path) -> int:
    return VALID.read_text(encoding="utf-8").rstrip("\n").count("\n") + 3


def test_unclosed_brackets_up_to_the_limit_pass_and_one_more_is_reported_at_the_first(tmp_path: Path) -> None:
    assert codes_for(tmp_path, "Text [a " * limits.MAX_UNCLOSED_BRACKETS) == []
    found = codes_for(tmp_path, "Text [a " * (limits.MAX_UNCLOSED_BRACKETS + 1))
    assert found == [("KOP421", body_line(tmp_path), 6)]


def test_the_limit_is_per_paragraph_and_escaped_and_code_brackets_do_not_count(tmp_path: Path) -> None:
    half = "[a " * (limits.MAX_UNCLOSED_BRACKETS // 2 + 5)
    assert codes_for(tmp_path, half + "\n\n" + half) == []
    assert codes_for(tmp_path, "\\[a " * 100 + " `" + "[" * 100 + "` och [länk](https://example.org)") == []


def test_brackets_open_at_the_same_time_are_limited(tmp_path: Path) -> None:
    depth = limits.MAX_BRACKET_DEPTH
    assert codes_for(tmp_path, "[" * depth + "x" + "]" * depth) == []
    found = codes_for(tmp_path, "[" * (depth + 1) + "x" + "]" * (depth + 1))
    assert found == [("KOP422", body_line(tmp_path), depth + 1)]


def test_citations_per_overview_are_limited(tmp_path: Path) -> None:
    already = 2  # the fixture's own body cites twice
    ok = " ".join("[@danermark1999samverkan]" for _ in range(limits.MAX_CITATIONS - already))
    assert codes_for(tmp_path, ok) == []
    found = codes_for(tmp_path, ok + " [@ahgren2011decade]")
    assert [code for code, _, _ in found] == ["KOP420"]


def test_works_in_the_bibliography_and_per_first_author_are_limited(tmp_path: Path) -> None:
    bib = tmp_path / "references.bib"
    bib.write_text("".join(entry(i, group=limits.MAX_SAME_FIRST_AUTHOR) for i in range(limits.MAX_SAME_FIRST_AUTHOR)),
                   encoding="utf-8")
    refs, _ = load_bibliography(bib)
    assert limits.check_bibliography(refs, "references.bib") == []
    bib.write_text(bib.read_text(encoding="utf-8") + entry(0).replace("{w0,", "{extra,"), encoding="utf-8")
    refs, _ = load_bibliography(bib)
    (diag,) = limits.check_bibliography(refs, "references.bib")
    assert diag.code == "KOP424" and "'Författarea'" in diag.message and diag.line > 1


def test_too_many_works_point_at_the_first_entry_over_the_limit(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(limits, "MAX_REFERENCES", 30)
    bib = tmp_path / "references.bib"
    bib.write_text(bibliography(40), encoding="utf-8")
    refs, _ = load_bibliography(bib)
    (diag,) = limits.check_bibliography(refs, "references.bib")
    assert diag.code == "KOP423" and "42 poster" in diag.message
    assert diag.line == sorted(ref.line for ref in refs.values())[30]


@pytest.mark.slow
def test_the_worst_allowed_input_passes_the_check_and_builds_correctly(tmp_path: Path) -> None:
    """Every limit reached at once (see worst_case.write_worst_allowed); measured, not timed, here."""
    root = write_worst_allowed(tmp_path / "worst")
    env = {**os.environ, "PYTHONPATH": str(REPO / "scripts"), "KOP_TODAY": "2026-11-23"}
    run = subprocess.run([sys.executable, "-m", "kop", "build", "--root", str(root)], env=env, capture_output=True,
                         text=True, timeout=1800)
    assert run.returncode == 0, run.stderr[-3000:]
    assert " fel" not in run.stderr.split("varningar")[0] or "0 fel" in run.stderr
    page = (root / "site" / "oversikter" / "testoversikt" / "index.html").read_text(encoding="utf-8")
    assert page.count('href="#ref-w') >= limits.MAX_CITATIONS - 10  # every citation links to its reference
    cited = limits.MAX_CITATIONS - 2  # distinct works cited by the generated sentences
    assert "Titel nummer 0<" in page and f"Titel nummer {cited - 1}<" in page  # the overview's reference list
    listing = "".join(p.read_text(encoding="utf-8") for p in (root / "site" / "referenser").rglob("*.html"))
    assert f"Titel nummer {cited - 1}<" in listing and f"Titel nummer {cited}<" not in listing  # cited works only
