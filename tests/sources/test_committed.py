"""KOP183: build/, site/ and .cache/ committed to the repository stop the check, at the folder, before any build."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from kop.cli.main import main
from tests.conftest import REPO

ENV = {"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "T",
       "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin"}


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env={**ENV, "HOME": str(root)})


def shipped_repo(make_project) -> Path:
    root = make_project({}, bib=REPO / "references.bib")
    for source in (REPO / "overviews").glob("*.md"):
        shutil.copy(source, root / "overviews" / source.name)
    shutil.copy(REPO / ".gitignore", root / ".gitignore")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Start")
    return root


def test_a_committed_cache_stops_the_check_and_the_build(make_project, capsys) -> None:
    root = shipped_repo(make_project)
    planted = root / ".cache" / "kop" / "pages" / ("0" * 64 + ".html")
    planted.parent.mkdir(parents=True)
    planted.write_text("<script>alert(1)</script>", encoding="utf-8")
    git(root, "add", "-f", ".cache")
    git(root, "commit", "-q", "-m", "Mellanlager")
    assert main(["--format", "text", "build", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert f".cache/kop/pages/{'0' * 64}.html:1: fel: .cache/ finns i förrådet (1 fil, till exempel " in err
    assert "[KOP183]" in err and "git rm -r --cached .cache" in err and "Traceback" not in err
    assert not (root / "site").exists()
    assert main(["--format", "text", "build", "--root", str(root), "--forhandsvisning"]) == 1  # no preview either
    assert not (root / "site").exists() and "[KOP183]" in capsys.readouterr().err


def test_an_ignored_cache_and_a_copy_without_git_are_fine(make_project, capsys) -> None:
    root = shipped_repo(make_project)
    (root / ".cache" / "kop").mkdir(parents=True, exist_ok=True)
    (root / ".cache" / "kop" / "x.json").write_text("{}", encoding="utf-8")  # ignored, not committed
    assert main(["--format", "text", "check", "--root", str(root)]) == 0
    shutil.rmtree(root / ".git")
    assert main(["--format", "text", "check", "--root", str(root)]) == 0
    assert "KOP183" not in capsys.readouterr().err
