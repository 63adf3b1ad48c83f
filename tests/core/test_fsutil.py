"""kop.core.fsutil: pruning a page cache keeps what a later build can still use, and nothing outdated."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from kop.core.fsutil import prune_cache


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

