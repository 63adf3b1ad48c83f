"""OS errors during check and build are messages, never tracebacks, and the previous site stays (issue 17, item 6).

Faults are real where a test can make them (``build`` is a file, so ``build/`` cannot be made);
a full disk, a read-only file system and a denied permission are injected by making the one
OS call raise the OSError the kernel would raise (tests run as root, where chmod denies nothing).
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kop.core.project import load_project
from kop.site import build as build_module
from kop.site import generate, publish
from kop.site.build import build
from kop.sources.frontmatter import read_text

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
VALID = TESTS / "fixtures" / "valid" / "testoversikt.md"


def site_hashes(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built_once(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("faults") / "project"
    (root / "overviews").mkdir(parents=True)
    shutil.copy(VALID, root / "overviews" / VALID.name)
    shutil.copy(TESTS / "fixtures" / "project" / "references.bib", root / "references.bib")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "docs", root / "docs")
    result = build(load_project(root))
    assert result.ok, result.diagnostics
    return root


@pytest.fixture
def project(built_once: Path, tmp_path: Path):
    root = tmp_path / "project"
    shutil.copytree(built_once, root, symlinks=True)
    (root / "overviews" / VALID.name).write_text(VALID.read_text(encoding="utf-8") + "\nNy mening.\n",
                                                 encoding="utf-8")  # something new to publish
    return load_project(root)


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith((".site-new-", ".site-old-")))


def assert_failed_cleanly(result, code: str, reason: str) -> None:
    assert not result.ok
    diags = [d for d in result.diagnostics if d.code == code]
    assert diags, result.diagnostics
    assert reason in diags[0].message
    assert "site/ finns kvar" in diags[0].hint
    assert not os.path.isabs(diags[0].path), diags[0].path


def test_full_disk_while_swapping_in_the_site_keeps_the_previous_site(project, monkeypatch) -> None:
    before = site_hashes(project.site_dir)
    real_replace = os.replace

    def full_disk(src, dst, *args, **kwargs):
        if Path(src).parent.name.startswith(".site-new-"):
            raise OSError(errno.ENOSPC, "No space left on device", str(dst))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(publish.os, "replace", full_disk)
    result = build(project)
    assert_failed_cleanly(result, "KOP961", "disken är full")
    assert site_hashes(project.site_dir) == before  # put back, byte for byte
    assert leftovers(project.root) == []


def test_read_only_file_system_while_moving_the_old_site_aside(project, monkeypatch) -> None:
    before = site_hashes(project.site_dir)
    real_replace = os.replace

    def read_only(src, dst, *args, **kwargs):
        if Path(src) == project.site_dir:
            raise OSError(errno.EROFS, "Read-only file system", str(src))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(publish.os, "replace", read_only)
    result = build(project)
    assert_failed_cleanly(result, "KOP961", "skrivskyddat")
    assert [d.path for d in result.diagnostics if d.code == "KOP961"] == ["site"]
    assert site_hashes(project.site_dir) == before
    assert leftovers(project.root) == []


def test_permission_denied_for_the_temporary_site(project, monkeypatch) -> None:
    before = site_hashes(project.site_dir)

    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(project.root))

    monkeypatch.setattr(build_module.tempfile, "mkdtemp", denied)
    result = build(project)
    assert_failed_cleanly(result, "KOP961", "behörighet saknas")
    assert site_hashes(project.site_dir) == before


def test_full_disk_while_writing_the_pages_names_the_page(project, monkeypatch) -> None:
    before = site_hashes(project.site_dir)

    def full_disk(path, data):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(generate, "write_atomic", full_disk)  # inherited by the forked prepare step
    result = build(project)
    assert_failed_cleanly(result, "KOP961", "disken är full")
    assert any(d.path.startswith("build/docs/") for d in result.diagnostics if d.code == "KOP961")
    assert site_hashes(project.site_dir) == before


def test_too_many_open_files_while_reading_a_source_is_a_message(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "a.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")

    def emfile(*args, **kwargs):
        raise OSError(errno.EMFILE, "Too many open files")

    monkeypatch.setattr("kop.core.safefs.os.open", emfile)
    src = read_text(tmp_path / "a.md", "a.md")
    assert [d.code for d in src.diagnostics] == ["KOP960"]
    assert "för många öppna filer" in src.diagnostics[0].message


def test_cli_build_with_an_unusable_build_folder_prints_a_message_not_a_traceback(project) -> None:
    """A real fault: ``build`` is a file, so the build folder cannot be created."""
    before = site_hashes(project.site_dir)
    shutil.rmtree(project.build_dir)
    project.build_dir.write_text("not a folder", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO / "scripts")}
    run = subprocess.run([sys.executable, "-m", "kop", "build", "--root", str(project.root)], env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert "[KOP961]" in run.stderr and "build" in run.stderr
    assert str(project.root) not in run.stderr
    assert site_hashes(project.site_dir) == before
