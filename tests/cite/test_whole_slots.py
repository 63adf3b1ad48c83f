"""Each caller of format_all keeps its whole result in slots of its own: no caller pushes out another's."""

from __future__ import annotations

from pathlib import Path

import pytest

from kop.bib.load import load_bibliography
from kop.cite import apa
from kop.cite.apa import WHOLE_SLOTS, format_all
from kop.cite.scan import scan_citations
from tests.cite.test_formatting import BODY, HERE


@pytest.fixture
def refs():
    found, diags = load_bibliography(HERE / "fixtures" / "formatting" / "cases.bib")
    assert [d for d in diags if d.severity == "error"] == []
    return found


def test_six_callers_all_read_their_whole_result_on_the_next_build(refs, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    cits = scan_citations(BODY)
    keys = sorted(refs)
    calls = [("site", refs, cits)] + [(f"self-{i}", {k: refs[k] for k in keys[i:i + 3]}, []) for i in range(5)]
    first = [format_all(r, c, tmp_path, slot=slot) for slot, r, c in calls]  # a cold build: every caller formats
    runs: list[int] = []
    real = apa._run_docs
    monkeypatch.setattr(apa, "_run_docs", lambda docs: runs.append(len(docs)) or real(docs))
    read: list[bool] = []
    real_read = apa._read_whole
    monkeypatch.setattr(apa, "_read_whole", lambda path: read.append(real_read(path) is not None) or real_read(path))
    again = [format_all(r, c, tmp_path, slot=slot) for slot, r, c in calls]  # the warm build
    assert read == [True] * len(calls) and runs == []  # used to be: the site's result pushed out, formatted again
    assert [(a.entries, a.clusters) for a in again] == [(f.entries, f.clusters) for f in first]


def test_one_caller_keeps_at_most_its_slots(refs, tmp_path: Path) -> None:
    keys = sorted(refs)
    for n in range(WHOLE_SLOTS + 2):  # states of one caller: older ones go
        format_all({k: refs[k] for k in keys[: n + 2]}, [], tmp_path, slot="site")
    format_all({k: refs[k] for k in keys[:2]}, [], tmp_path, slot="other")
    names = [p.name for p in tmp_path.glob("citeall-*")]
    assert len(names) == WHOLE_SLOTS + 1  # the site's four, and the other caller's one
    assert len({name.split("-")[1] for name in names}) == 2
