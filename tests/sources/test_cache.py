"""The check cache (.cache/kop) can never serve a stale result.

Each test warms the cache, changes one input of a cached step (or an input of a step
that must not be cached) and checks that the result is what a run without any cache
gives: recomputed entries for the changed input, fresh cross-file and bibliography-key
checks for unchanged files.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kop.check import fields as validate
from kop.core.project import load_project
from kop.schema import load as schema
from kop.site.checking import check
from kop.sources.cache import ContentCache, code_fingerprint

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
VALID = (FIXTURES / "valid" / "testoversikt.md").read_text(encoding="utf-8")


def _run(root: Path) -> tuple[list[tuple[str, str, int]], ContentCache]:
    cache = ContentCache(root / ".cache" / "kop")
    result = check(load_project(root), cache)
    return sorted((d.code, d.path, d.line) for d in result.diagnostics), cache


def _uncached(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, int]]:
    with monkeypatch.context() as m:
        m.setenv("KOP_NO_CACHE", "1")
        return _run(root)[0]


def test_second_run_hits_and_gives_the_same_result(make_project: Callable[..., Path]) -> None:
    root = make_project({"testoversikt.md": VALID})
    first, cold = _run(root)
    second, warm = _run(root)
    assert cold.misses == 2 and cold.hits == 0  # the bibliography and the overview
    assert warm.hits == 2 and warm.misses == 0
    assert first == second


def test_changed_byte_is_recomputed(make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project({"testoversikt.md": VALID})
    assert _run(root)[0] == []
    path = root / "overviews" / "testoversikt.md"
    path.write_text(VALID.replace("method: systematisk översikt", "method: systematisk översikT"), encoding="utf-8")
    diags, cache = _run(root)
    assert cache.misses == 1 and cache.hits == 1  # only the edited overview
    assert ("KOP113", "overviews/testoversikt.md", 26) in diags
    assert diags == _uncached(root, monkeypatch)


def test_changed_bibliography_byte_is_recomputed(make_project: Callable[..., Path]) -> None:
    root = make_project({"testoversikt.md": VALID})
    _run(root)
    bib = root / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("year = {1999}", "year = {19x9}"), encoding="utf-8")
    diags, cache = _run(root)
    assert cache.misses == 1
    assert any(code.startswith("KOP2") and path == "references.bib" for code, path, _ in diags)


def test_changed_vocabulary_is_recomputed(make_project: Callable[..., Path], tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project({"testoversikt.md": VALID})
    assert _run(root)[0] == []
    vocab = tmp_path / "vocabularies.yml"
    vocab.write_text(schema.VOCABULARY_FILE.read_text(encoding="utf-8").replace(
        "  - value: systematisk översikt\n", "  - value: systematisk litteraturöversikt\n"), encoding="utf-8")

    def clear() -> None:
        for fn in (schema.vocabularies, schema._resolved, validate._validator, code_fingerprint):
            fn.cache_clear()

    try:
        monkeypatch.setattr(schema, "VOCABULARY_FILE", vocab)
        clear()
        diags, cache = _run(root)
        assert cache.misses == 2 and cache.hits == 0  # the fingerprint covers the resolved schema
        assert ("KOP113", "overviews/testoversikt.md", 26) in diags
    finally:
        monkeypatch.undo()
        clear()
    assert _run(root)[0] == []


BAD_FRONT = VALID.replace("method: systematisk översikt", "method: systematisk översikT")  # KOP113 at line 26


def test_corrupt_cache_files_are_recomputed(make_project: Callable[..., Path]) -> None:
    root = make_project({"testoversikt.md": BAD_FRONT})
    expected, _ = _run(root)
    assert ("KOP113", "overviews/testoversikt.md", 26) in expected
    entries = sorted((root / ".cache" / "kop").rglob("*.pickle"))
    assert len(entries) == 4  # the bibliography, what its next load reuses, the overview and its schema check
    for i, entry in enumerate(entries):  # truncated, or garbage
        entry.write_bytes(entry.read_bytes()[:40] if i % 2 else b"\x80\x05garbage")
    diags, cache = _run(root)
    assert cache.misses == 2 and cache.hits == 0
    assert diags == expected


def test_planted_pickle_is_not_executed(make_project: Callable[..., Path], tmp_path: Path) -> None:
    import pickle

    root = make_project({"testoversikt.md": VALID})
    _run(root)
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):  # type: ignore[no-untyped-def]
            return (Path.touch, (marker,))

    for entry in (root / ".cache" / "kop").rglob("*.pickle"):
        key = entry.stem
        entry.write_bytes(pickle.dumps((key, Evil())))
    diags, cache = _run(root)
    assert not marker.exists()
    assert cache.misses == 2 and diags == []


def test_cross_file_rules_run_on_cached_files(make_project: Callable[..., Path],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    other = VALID.replace("id: kop-2024-001", "id: kop-2024-002").replace(
        "license: CC-BY-4.0", "related:\n  - kop-2024-001\nlicense: CC-BY-4.0")
    root = make_project({"testoversikt.md": VALID, "annan.md": other})
    assert _run(root)[0] == []
    # A new file with a duplicate id, sorted first: the duplicate is reported at the cached file.
    (root / "overviews" / "a-kopia.md").write_text(VALID, encoding="utf-8")
    diags, cache = _run(root)
    assert cache.hits == 3 and cache.misses == 1
    assert ("KOP121", "overviews/testoversikt.md", 2) in diags
    assert diags == _uncached(root, monkeypatch)
    # Removing the related overview: the unchanged, cached file must now report its related id.
    (root / "overviews" / "a-kopia.md").unlink()
    (root / "overviews" / "testoversikt.md").unlink()
    diags, cache = _run(root)
    assert cache.misses == 0
    assert [code for code, path, _ in diags if path == "overviews/annan.md"] == ["KOP124"]
    assert diags == _uncached(root, monkeypatch)


def test_bibliography_keys_are_checked_on_cached_overviews(make_project: Callable[..., Path],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project({"testoversikt.md": VALID})
    assert _run(root)[0] == []
    bib = root / "references.bib"
    text = bib.read_text(encoding="utf-8")
    bib.write_text(text[: text.index("@book{danermark1999samverkan")], encoding="utf-8")
    diags, cache = _run(root)
    assert cache.hits == 1  # the overview itself is unchanged
    codes = {code for code, path, _ in diags if path == "overviews/testoversikt.md"}
    assert {"KOP301", "KOP129"} <= codes  # body citation and finding reference both unknown now
    assert diags == _uncached(root, monkeypatch)


def test_stale_entries_are_pruned(make_project: Callable[..., Path]) -> None:
    root = make_project({"testoversikt.md": VALID})
    _run(root)
    path = root / "overviews" / "testoversikt.md"
    path.write_text(VALID.replace("Testöversikt om samverkan", "Testöversikt om samverkan, ny titel"),
                    encoding="utf-8")
    _run(root)
    assert len(list((root / ".cache" / "kop" / "overview").glob("*.pickle"))) == 1


_CHECK = """
import json, sys
from pathlib import Path
from kop.sources import cache
cache.PARALLEL_MIN = int(sys.argv[2])
workers = []
fork_starmap = cache.fork_starmap
def counted(func, arglists, n, **kwargs):
    workers.append(n)
    return fork_starmap(func, arglists, n, **kwargs)
cache.fork_starmap = counted
from kop.core.project import load_project
from kop.site.checking import check
result = check(load_project(Path(sys.argv[1])))
print(json.dumps({"diagnostics": [[d.path, d.line, d.column, d.code, d.message] for d in result.diagnostics],
                  "overviews": [ov.slug for ov in result.overviews], "references": len(result.references),
                  "workers": max(workers)}))
"""


def test_a_cold_check_on_every_core_reports_what_one_process_reports(tmp_path: Path) -> None:
    """The files missing from the cache load in forked workers (a fresh clone): same result, same order."""
    import json
    import os
    import subprocess
    import sys

    from kop.dev.corpus import generate
    from tests.conftest import REPO

    root = tmp_path / "small"
    generate(root, "small", seed=17)
    (root / "overviews" / "trasig.md").write_text("---\ntitle: [\n---\nText [@].\n", encoding="utf-8")

    def run(minimum: int) -> dict:
        env = {**os.environ, "PYTHONPATH": str(REPO / "scripts"), "KOP_NO_CACHE": "1"}
        proc = subprocess.run([sys.executable, "-c", _CHECK, str(root), str(minimum)], capture_output=True,
                              text=True, env=env, timeout=300, check=False)
        assert proc.returncode == 0, proc.stderr[-2000:]
        return json.loads(proc.stdout.strip().splitlines()[-1])

    parallel, alone = run(2), run(10**9)
    assert alone.pop("workers") == 1
    assert parallel.pop("workers") == min(os.cpu_count() or 1, len(os.sched_getaffinity(0)))
    assert parallel == alone
    assert any(d[0] == "overviews/trasig.md" for d in parallel["diagnostics"])  # the broken file is reported


def test_fingerprint_covers_sources_but_not_bytecode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Python writing bytecode (first import, compileall) must not invalidate the cache; a source edit must."""
    from kop.sources import cache

    package = tmp_path / "kop"
    (package / "schema").mkdir(parents=True)
    (package / "check.py").write_text("RULE = 1\n", encoding="utf-8")
    (package / "schema" / "load.py").write_text("X = 1\n", encoding="utf-8")
    (package / "schema" / "overview.schema.json").write_text("{}\n", encoding="utf-8")
    monkeypatch.setattr(cache, "PACKAGE_DIR", package)

    def fingerprint() -> str:
        code_fingerprint.cache_clear()
        return code_fingerprint()

    try:
        before = fingerprint()
        for folder in (package / "__pycache__", package / "schema" / "__pycache__"):
            folder.mkdir()
            (folder / "load.cpython-311.pyc").write_bytes(b"\x00bytecode")
        assert fingerprint() == before
        (package / "schema" / "overview.schema.json").write_text('{"type": "object"}\n', encoding="utf-8")
        after_schema = fingerprint()
        assert after_schema != before
        (package / "check.py").write_text("RULE = 2\n", encoding="utf-8")
        assert fingerprint() not in (before, after_schema)
    finally:
        monkeypatch.undo()
        code_fingerprint.cache_clear()


def test_an_edit_of_the_text_reuses_the_schema_check_and_an_edit_of_the_front_matter_does_not(
        make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """The schema check is kept by the front matter; the answer is always that of a run without a cache."""
    from kop.check import one_file

    bad = BAD_FRONT
    root = make_project({"testoversikt.md": bad})
    path = root / "overviews" / "testoversikt.md"
    assert ("KOP113", "overviews/testoversikt.md", 26) in _run(root)[0]
    checked: list[str] = []
    real = one_file.schema_diagnostics

    def counting(ov: object, display: str) -> list:
        checked.append(display)
        return real(ov, display)

    monkeypatch.setattr(one_file, "schema_diagnostics", counting)
    path.write_text(bad + "\nEn ny mening i texten.\n", encoding="utf-8")
    diags = _run(root)[0]
    assert checked == [] and ("KOP113", "overviews/testoversikt.md", 26) in diags
    assert diags == _uncached(root, monkeypatch)
    checked.clear()  # the run without a cache checked it
    path.write_text(VALID + "\nEn ny mening i texten.\n", encoding="utf-8")  # the front matter is fixed
    diags = _run(root)[0]
    assert checked == ["overviews/testoversikt.md"] and not any(d[0] == "KOP113" for d in diags)
    assert diags == _uncached(root, monkeypatch)
    checked.clear()
    path.write_text(VALID + "\nEn annan mening i texten.\n", encoding="utf-8")  # the fixed answer was kept
    diags = _run(root)[0]
    assert checked == [] and not any(d[0] == "KOP113" for d in diags)
    assert diags == _uncached(root, monkeypatch)


def test_a_clean_front_matter_leaves_no_schema_file(make_project: Callable[..., Path]) -> None:
    """Creating one small file per clean overview cost more than checking it again (1,000 files on large).

    An erroneous front matter keeps its answer, so the jsonschema import its message needs is paid once.
    """
    root = make_project({"testoversikt.md": VALID, "trasig.md": BAD_FRONT})
    diags = _run(root)[0]
    assert ("KOP113", "overviews/trasig.md", 26) in diags
    assert not any(d[1] == "overviews/testoversikt.md" for d in diags)
    assert len(list((root / ".cache" / "kop" / "schema-slot").glob("*.pickle"))) == 1
    assert _run(root)[0] == diags
