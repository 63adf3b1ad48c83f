"""kop.core.fsutil: pruning a page cache keeps what a later build can still use, and nothing outdated."""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path

from kop.core.fsutil import FILE_MODE, prune_cache, write_atomic


def entry(folder: Path, key: str, owner: str, age_days: float = 0) -> None:
    folder.mkdir(exist_ok=True)
    (folder / f"{key}.json").write_text(json.dumps({"owner": owner}), encoding="utf-8")
    (folder / f"{key}.html").write_text("<p>sida</p>", encoding="utf-8")
    then = time.time() - age_days * 86400
    os.utime(folder / f"{key}.json", (then, then))


def test_outdated_entries_go_and_absent_owners_wait(tmp_path: Path) -> None:
    entry(tmp_path, "nu", "a")  # a's key in this build
    entry(tmp_path, "forut", "a")  # a's earlier key: outdated
    entry(tmp_path, "annan", "b")  # b is not in this build (a build without history): kept a while
    entry(tmp_path, "gammal", "c", age_days=40)  # c not in this build and unused for 40 days
    (tmp_path / "trasig.json").write_text("{inte json", encoding="utf-8")
    prune_cache(tmp_path, {"a": "nu"}, (".html",))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["annan.html", "annan.json", "nu.html", "nu.json"]


def test_a_missing_folder_is_no_error(tmp_path: Path) -> None:
    prune_cache(tmp_path / "finns-inte", {"a": "nu"}, (".html",))



def test_write_atomic_never_writes_through_a_hard_link_or_a_symlink(tmp_path: Path) -> None:
    original = tmp_path / "gammal.txt"
    original.write_text("gammal", encoding="utf-8")
    linked = tmp_path / "länk.txt"
    os.link(original, linked)
    write_atomic(linked, "ny")
    assert linked.read_text(encoding="utf-8") == "ny"
    assert original.read_text(encoding="utf-8") == "gammal"  # the link's other name keeps its bytes
    assert stat.S_IMODE(linked.stat().st_mode) == FILE_MODE  # as open() would make it, not mkstemp's 0600
    target = tmp_path / "utanfor.txt"
    target.write_text("orörd", encoding="utf-8")
    page = tmp_path / "sida.html"
    page.symlink_to(target)
    write_atomic(page, "<p>ny</p>")
    assert not page.is_symlink() and page.read_text(encoding="utf-8") == "<p>ny</p>"
    assert target.read_text(encoding="utf-8") == "orörd"
