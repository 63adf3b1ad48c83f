"""Only regular files inside the repository are read (issue 17, item 1).

Each line of ``tests/fixtures/hostile/files/cases.txt`` becomes a real link, FIFO or socket in
one scratch project; the real CLI must refuse every one in a single run (exit 1, the message,
the repository-relative path, never the absolute path or a traceback), never block, and never
publish what a link points at.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from kop.core import safefs
from kop.core.project import Project
from kop.sources.documents import read_tree
from kop.sources.frontmatter import read_text

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
CASES = TESTS / "fixtures" / "hostile" / "files" / "cases.txt"
SEMINAR = TESTS / "fixtures" / "seminars" / "kommande-seminarium.md"
VALID = TESTS / "fixtures" / "valid" / "testoversikt.md"
SECRET = b"secret-from-the-build-machine\n"


def cases() -> list[tuple[str, str, str, str]]:
    rows = []
    for line in CASES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, path, target, expected = line.split()
            rows.append((kind, path, target, expected))
    return rows


def kop(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "scripts"), "KOP_TODAY": "2026-11-23", "KOP_NO_CACHE": "1"}
    return subprocess.run([sys.executable, "-m", "kop", *args], env=env, capture_output=True, text=True,
                          timeout=timeout)


def materialise(root: Path, outside: Path) -> list[socket.socket]:
    """Create every case of cases.txt under ``root``; return the sockets to close afterwards."""
    sockets = []
    for kind, rel, target, _ in cases():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        target = target.replace("@outside.md", outside.name)
        if kind in ("link", "dirlink"):
            os.symlink(target, path)
        elif kind == "fifo":
            os.mkfifo(path)
        elif kind == "socket":
            sock = socket.socket(socket.AF_UNIX)
            sock.bind(str(path))
            sockets.append(sock)
    return sockets


@pytest.fixture
def hostile_project(make_project, tmp_path: Path):
    root = make_project({"testoversikt.md": VALID})
    outside = tmp_path / "outside.md"
    outside.write_bytes(VALID.read_bytes().replace(b"title:", b"title: STOLEN", 1) + SECRET)
    (root / "seminars").mkdir()
    (root / "seminars" / SEMINAR.name).write_bytes(SEMINAR.read_bytes())
    sockets = materialise(root, outside)
    yield root
    for sock in sockets:
        sock.close()


def test_check_refuses_every_hostile_file_in_one_run(hostile_project: Path) -> None:
    run = kop("check", "--root", str(hostile_project), timeout=60)  # a FIFO must not block
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    assert str(hostile_project) not in run.stderr and "/etc/" not in run.stderr
    for _kind, rel, _, expected in cases():
        lines = [line for line in run.stderr.splitlines() if line.startswith(f"{rel}:")]
        if expected == "ok":
            assert not lines, lines
        else:
            assert any(f"[{expected}]" in line and "fel:" in line for line in lines), (rel, run.stderr)


def test_build_refuses_and_publishes_nothing_from_outside(hostile_project: Path) -> None:
    (hostile_project / "site").mkdir()
    (hostile_project / "site" / "old.html").write_text("old", encoding="utf-8")
    run = kop("build", "--root", str(hostile_project), timeout=300)
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    assert "docs/passwd.png:" in run.stderr and "[KOP150]" in run.stderr
    assert sorted(p.name for p in (hostile_project / "site").iterdir()) == ["old.html"]
    assert not (hostile_project / "build" / "docs" / "passwd.png").exists()


@pytest.mark.parametrize("kind", ["link", "fifo", "broken"])
def test_references_bib_must_be_a_regular_file(make_project, kind: str) -> None:
    root = make_project({"testoversikt.md": VALID})
    bib = root / "references.bib"
    bib.unlink()
    if kind == "link":
        os.symlink("/etc/passwd", bib)
    elif kind == "fifo":
        os.mkfifo(bib)
    else:
        os.symlink("gone.bib", bib)
    run = kop("check", "--root", str(root), timeout=60)
    assert "Traceback" not in run.stderr
    assert run.returncode == 1
    if kind != "broken":  # a broken link is a missing file, which the check reports in its own way
        code = {"link": "KOP150", "fifo": "KOP151"}[kind]
        assert any(line.startswith("references.bib:") and code in line for line in run.stderr.splitlines()), \
            run.stderr


def test_links_inside_the_repository_to_regular_files_are_read(tmp_path: Path) -> None:
    (tmp_path / "docs" / "img").mkdir(parents=True)
    (tmp_path / "docs" / "img" / "real.png").write_bytes(b"png")
    os.symlink("img/real.png", tmp_path / "docs" / "alias.png")
    os.symlink("/etc/passwd", tmp_path / "docs" / "passwd.png")
    files, diags = read_tree(tmp_path / "docs", Project(tmp_path))
    assert files == {"alias.png": b"png", "img/real.png": b"png"}
    assert [(d.path, d.code) for d in diags] == [("docs/passwd.png", "KOP150")]


def test_read_text_never_opens_a_fifo(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "a.md")  # opening it for reading without O_NONBLOCK would block forever
    src = read_text(tmp_path / "a.md", "a.md")
    assert [d.code for d in src.diagnostics] == ["KOP151"]
    assert "FIFO" in src.diagnostics[0].message


def test_read_regular_refuses_a_file_swapped_for_a_fifo_after_the_check(tmp_path: Path, monkeypatch) -> None:
    """The race: classify() saw a regular file, then the path became a FIFO; fstat after open catches it."""
    os.mkfifo(tmp_path / "a.md")
    real = safefs.classify

    def saw_regular(path: Path, root: Path):
        return real(path, root)[0], None

    monkeypatch.setattr(safefs, "classify", saw_regular)
    with pytest.raises(safefs.UnsafeFile):
        safefs.read_regular(tmp_path / "a.md", tmp_path)


def test_display_names_the_link_not_its_target(tmp_path: Path) -> None:
    (tmp_path / "overviews").mkdir()
    os.symlink("/etc/hostname", tmp_path / "overviews" / "a.md")
    assert Project(tmp_path.resolve()).display(tmp_path / "overviews" / "a.md") == "overviews/a.md"
