"""Published versions read from a real scratch git repository (no mocks of git)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from kop.render.changes import compare_findings
from kop.sources import history as history_module
from kop.sources.history import read_blobs, read_history

TEMPLATE = """---
id: kop-2030-001
title: Historiktest
status: {status}
version: "{version}"
updated: "{updated}"
{changes}findings:
{findings}---

Text.
"""


def finding(statement: str, level: str) -> str:
    return (f"  - statement: {statement}\n    certainty:\n      level: {level}\n"
            "      assessed_by: Testare\n    references: [a]\n")


def git(root: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "T",
           "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(root), "PATH": "/usr/bin:/bin"}
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True, env=env).stdout


def commit(root: Path, message: str, **fields: str) -> None:
    (root / "overviews").mkdir(exist_ok=True)
    (root / "overviews" / "historik.md").write_text(TEMPLATE.format(**fields), encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def three_versions(root: Path) -> None:
    git(root, "init", "-q", "-b", "main")
    f1 = finding("Samverkan kräver tid.", "låg")
    commit(root, "Utkast", status="utkast", version="0.1", updated="2030-01-01", changes="", findings=f1)
    commit(root, "Version 1", status="publicerad", version="1.0", updated="2030-02-01", changes="", findings=f1)
    commit(root, "Stavfel", status="publicerad", version="1.0", updated="2030-02-01", changes="",
           findings=finding("Samverkan kräver mycket tid.", "låg"))
    commit(root, "Version 2", status="publicerad", version="2.0", updated="2030-03-01",
           changes="changes: Ny studie höjer evidensstyrkan.\n",
           findings=finding("Samverkan kräver mycket tid.", "måttlig"))
    commit(root, "Version 3: nytt resultat", status="publicerad", version="3.0", updated="2030-04-01", changes="",
           findings=finding("Samverkan kräver mycket tid.", "måttlig") + finding("Tillit underlättar.", "låg"))


def test_versions_dates_notes_and_final_state(tmp_path: Path) -> None:
    three_versions(tmp_path)
    history = read_history(tmp_path)
    assert history.complete and history.diagnostics == []
    versions = history.of("kop-2030-001")
    assert [v.version for v in versions] == ["1.0", "2.0", "3.0"], "the draft is not a published version"
    v1, v2, v3 = versions
    assert v3.date == "2030-04-01"
    assert v1.date == "2030-02-01" and v2.date == "2030-03-01"
    assert v1.change_note == "Version 1", "no changes: field: the commit subject"
    assert v2.change_note == "Ny studie höjer evidensstyrkan."
    # The typo fixed without a new version number is part of version 1 as readers last saw it.
    assert v1.meta["findings"][0]["statement"] == "Samverkan kräver mycket tid."
    assert v1.commit != v1.first_commit


def test_parsed_versions_kept_by_other_code_are_parsed_again(tmp_path: Path, monkeypatch) -> None:
    repo, cache = tmp_path / "repo", tmp_path / "cache"
    repo.mkdir()
    three_versions(repo)
    assert [v.version for v in read_history(repo, cache_dir=cache).of("kop-2030-001")] == ["1.0", "2.0", "3.0"]
    kept = json.loads((cache / "history.json").read_text(encoding="utf-8"))
    for parsed in kept["blobs"].values():  # what a parser with other rules might have kept
        if parsed and isinstance(parsed[0], dict) and parsed[0].get("version") == "1.0":
            parsed[0]["findings"][0]["statement"] = "Tolkat av gammal kod."
    (cache / "history.json").write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
    statement = read_history(repo, cache_dir=cache).of("kop-2030-001")[0].meta["findings"][0]["statement"]
    assert statement == "Tolkat av gammal kod.", "same code: the kept parse is used"
    monkeypatch.setattr(history_module, "code_fingerprint", lambda: "annan kod")
    statement = read_history(repo, cache_dir=cache).of("kop-2030-001")[0].meta["findings"][0]["statement"]
    assert statement == "Samverkan kräver mycket tid.", "new code parses every version again"


def test_structured_changes_between_versions(tmp_path: Path) -> None:
    three_versions(tmp_path)
    v1, v2, v3 = read_history(tmp_path).of("kop-2030-001")
    step2 = compare_findings(v1.meta["findings"], v2.meta["findings"])
    assert [(c.kind, c.old, c.new) for c in step2] == [("certainty", "låg", "måttlig")]
    step3 = compare_findings(v2.meta["findings"], v3.meta["findings"])
    assert [(c.kind, c.statement) for c in step3] == [("added", "Tillit underlättar.")]


def test_shallow_clone_warns_and_gives_no_versions(tmp_path: Path) -> None:
    origin = tmp_path / "origin"
    origin.mkdir()
    three_versions(origin)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{origin}", str(clone)], check=True)
    history = read_history(clone)
    assert not history.complete and history.versions == {}
    assert [(d.code, d.severity) for d in history.diagnostics] == [("KOP620", "warning")]


def test_not_a_repository_warns(tmp_path: Path) -> None:
    (tmp_path / "overviews").mkdir()
    history = read_history(tmp_path)
    assert [(d.code, d.severity) for d in history.diagnostics] == [("KOP621", "warning")]


def test_blobs_missing_and_present(tmp_path: Path) -> None:
    three_versions(tmp_path)
    head = git(tmp_path, "rev-parse", "HEAD").strip()
    blobs = read_blobs(tmp_path, [f"{head}:overviews/historik.md", f"{head}:nope.md", f"{head}:overviews"])
    assert blobs[f"{head}:overviews/historik.md"].startswith(b"---\nid: kop-2030-001")
    assert blobs[f"{head}:nope.md"] is None and blobs[f"{head}:overviews"] is None


def test_reworded_and_removed_findings() -> None:
    old = [{"statement": "Tydliga roller är en framgångsfaktor.", "certainty": {"level": "låg"}, "references": ["a"]},
           {"statement": "Gammalt resultat som försvinner helt.", "strength": "svag", "references": ["b"]}]
    new = [{"statement": "Tydliga roller är en viktig framgångsfaktor.", "certainty": {"level": "låg"},
            "references": ["a", "c"]}]
    kinds = [(c.kind, c.new) for c in compare_findings(old, new)]
    assert kinds == [("reworded", "Tydliga roller är en viktig framgångsfaktor."), ("references", "a, c"),
                     ("removed", "")]


def test_the_current_version_is_not_parsed_again_and_the_older_ones_are_whole(tmp_path: Path) -> None:
    three_versions(tmp_path)
    whole = read_history(tmp_path).of("kop-2030-001")
    light = read_history(tmp_path, current={"kop-2030-001": "3.0"}).of("kop-2030-001")
    assert [(v.version, v.commit, v.first_commit) for v in light] == [
        (v.version, v.commit, v.first_commit) for v in whole]
    assert [v.meta for v in light[:2]] == [v.meta for v in whole[:2]]  # older versions: the whole front matter
    assert "findings" not in light[2].meta and light[2].meta["version"] == "3.0"  # the working tree has it


def test_a_deeply_nested_old_version_is_refused_not_crashed_on(tmp_path: Path) -> None:
    """libyaml's composer recurses without a guard: an old commit nested 60,000 deep must not kill the build."""
    import sys

    git(tmp_path, "init", "-q", "-b", "main")
    deep = "extra: " + "[" * 60_000 + "]" * 60_000 + "\n"
    commit(tmp_path, "Version 1", status="publicerad", version="1.0", updated="2030-02-01", changes=deep,
           findings=finding("Samverkan kräver tid.", "låg"))
    commit(tmp_path, "Version 2", status="publicerad", version="2.0", updated="2030-03-01", changes="",
           findings=finding("Samverkan kräver tid.", "måttlig"))
    script = ("import sys; from pathlib import Path; from kop.sources.history import read_history\n"
              "h = read_history(Path(sys.argv[1]))\n"
              "print([v.version for v in h.of('kop-2030-001')])\n")
    proc = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True,
                          env={"PYTHONPATH": str(Path(__file__).parents[2] / "scripts"), "PATH": "/usr/bin:/bin"},
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "['2.0']"  # the nested version is not read; the next one is
