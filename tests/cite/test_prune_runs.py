"""Kept Pandoc runs that no build has read for a month are deleted; the ones in use stay."""

from __future__ import annotations

import os
import time
from pathlib import Path

from kop.bib.load import load_bibliography
from kop.cite.apa import format_all
from kop.cite.runs import prune_runs
from kop.cite.scan import scan_citations
from tests.cite.test_formatting import BODY, HERE

OLD = time.time() - 40 * 86400


def _runs(cache: Path) -> set[str]:
    return {p.name for p in cache.iterdir() if p.name.startswith(("citeproc-", "citepage-"))}


def test_old_unused_runs_go_and_used_ones_are_kept_fresh(tmp_path: Path) -> None:
    refs, _ = load_bibliography(HERE / "fixtures" / "formatting" / "cases.bib")
    cits = scan_citations(BODY)
    first = format_all(refs, cits, tmp_path, pages={"a": cits[:3]})
    used = _runs(tmp_path)
    assert used
    for name in used:
        os.utime(tmp_path / name, (OLD, OLD))
    (tmp_path / "citeproc-gone.pickle").write_bytes(b"x")
    os.utime(tmp_path / "citeproc-gone.pickle", (OLD, OLD))
    (tmp_path / "citepage-legacy.json").write_text("{}", encoding="utf-8")  # the earlier format: never read
    (tmp_path / "citeproc-recent.pickle").write_bytes(b"x")  # unused, but only a day old
    (tmp_path / "citeorder-keep.json").write_text("{}", encoding="utf-8")  # not a run: left alone
    for whole in tmp_path.glob("citeall-*"):
        whole.unlink()  # so the runs are read again
    again = format_all(refs, cits, tmp_path, pages={"a": cits[:3]}, prune=True)
    assert again.entries == first.entries and again.clusters == first.clusters
    left = _runs(tmp_path)
    assert used <= left  # read again, so touched and kept
    assert all((tmp_path / name).stat().st_mtime > OLD + 86400 for name in used)
    assert "citeproc-gone.pickle" not in left and "citepage-legacy.json" not in left
    assert "citeproc-recent.pickle" in left and (tmp_path / "citeorder-keep.json").exists()


def test_without_prune_or_cache_nothing_is_deleted(tmp_path: Path) -> None:
    (tmp_path / "citeproc-gone.pickle").write_bytes(b"x")
    os.utime(tmp_path / "citeproc-gone.pickle", (OLD, OLD))
    refs, _ = load_bibliography(HERE / "fixtures" / "formatting" / "cases.bib")
    format_all(refs, scan_citations(BODY), tmp_path)
    assert (tmp_path / "citeproc-gone.pickle").exists()
    assert prune_runs(None) == 0
    assert prune_runs(tmp_path) == 1 and not (tmp_path / "citeproc-gone.pickle").exists()


def test_pdfs_no_build_used_for_a_month_go(tmp_path: Path) -> None:
    from kop.core.fsutil import prune_untouched, touch

    (tmp_path / "old.pdf").write_bytes(b"%PDF")
    (tmp_path / "used.pdf").write_bytes(b"%PDF")
    (tmp_path / "body-old.typ").write_text("x", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    for name in ("old.pdf", "used.pdf", "body-old.typ", "notes.txt"):
        os.utime(tmp_path / name, (OLD, OLD))
    touch(tmp_path / "used.pdf")
    assert prune_untouched(tmp_path, lambda name: name.endswith((".pdf", ".typ"))) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "used.pdf"]
