"""Builds that lose nothing: failed, killed and concurrent builds leave ``site/`` whole; sources are never written."""

from __future__ import annotations

import fcntl
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kop.site import lock
from kop.site.lock import clean_stale

REPO = Path(__file__).resolve().parents[2]
VALID = Path(__file__).resolve().parents[1] / "fixtures" / "valid" / "testoversikt.md"

pytestmark = pytest.mark.slow


def tree_hashes(*paths: Path) -> dict[str, str]:
    """sha256 of every file under the given files/directories, keyed by path."""
    out: dict[str, str] = {}
    for top in paths:
        files = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        for f in files:
            out[str(f)] = hashlib.sha256(f.read_bytes()).hexdigest()
    return out


def own(hashes: dict[str, str]) -> dict[str, str]:
    """Without Pagefind's chunks, whose names and bytes differ between two builds of the same content
    (see test_reproducible.py); everything else must match exactly."""
    return {k: v for k, v in hashes.items() if "/site/pagefind/" not in k}


def sources(root: Path) -> dict[str, str]:
    return tree_hashes(root / "overviews", root / "references.bib", root / "docs", root / "mkdocs.yml")


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO / "scripts"), "KOP_TODAY": "2026-11-23",
            "SOURCE_DATE_EPOCH": "1763856000"}


def kop_build(root: Path, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kop", "build", "--root", str(root)], env=kwargs.pop("env", env()),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def build_ok(root: Path) -> str:
    proc = kop_build(root)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    return err


@pytest.fixture
def built(make_project) -> Path:
    root = make_project({"testoversikt.md": VALID})
    build_ok(root)
    assert (root / "site" / "oversikter" / "testoversikt" / "index.html").is_file()
    return root


def test_failed_validation_and_failed_engine_leave_site_and_sources_intact(built):
    before_site = tree_hashes(built / "site")
    overview = built / "overviews" / "testoversikt.md"
    good = overview.read_text(encoding="utf-8")

    overview.write_text(good + "\n<script>alert(1)</script>\n", encoding="utf-8")  # validation fails (KOP401)
    before_sources = sources(built)
    proc = kop_build(built)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 1 and "[KOP401]" in err and "Traceback" not in err
    assert "den tidigare webbplatsen i site/ är orörd" in err
    assert tree_hashes(built / "site") == before_site
    assert sources(built) == before_sources

    overview.write_text(good, encoding="utf-8")
    (built / "docs" / "trasig.md").write_text("# Trasig\n\n[länk](finns-inte.md)\n", encoding="utf-8")
    before_sources = sources(built)
    proc = kop_build(built)  # MkDocs --strict fails on the broken link (KOP901)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 1 and "[KOP901]" in err, err
    assert tree_hashes(built / "site") == before_site
    assert sources(built) == before_sources
    assert not list(built.glob(".site-new-*")) and not list(built.glob(".site-old-*"))


def test_successful_build_never_writes_sources(make_project):
    root = make_project({"testoversikt.md": VALID})
    before = sources(root)
    build_ok(root)
    build_ok(root)
    assert sources(root) == before


def test_build_killed_half_way_leaves_previous_site_and_next_build_cleans_up(built):
    before_site = tree_hashes(built / "site")
    killed = 0
    for attempt in range(5):
        proc = kop_build(built)
        while not list(built.glob(".site-new-*")) and proc.poll() is None:  # until the swap directory appears
            time.sleep(0.005)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=60)
            killed += 1
            assert proc.returncode == -signal.SIGKILL
            assert tree_hashes(built / "site") == before_site, f"site/ changed after kill #{attempt}"
            break
        proc.communicate(timeout=60)
    assert killed, "the build finished before it could be killed"
    assert list(built.glob(".site-new-*")), "a killed build leaves its temporary directory behind"
    err = build_ok(built)
    assert not list(built.glob(".site-new-*")) and not list(built.glob(".site-old-*")), err
    assert own(tree_hashes(built / "site")) == own(before_site)  # same content, same SOURCE_DATE_EPOCH


def test_stale_temporary_directories_are_removed_and_a_lost_site_restored(tmp_path):
    root = tmp_path
    (root / ".site-new-abc" / "site").mkdir(parents=True)
    (root / ".site-new-abc" / "site" / "halv.html").write_text("halvfärdig", encoding="utf-8")
    (root / ".site-old-def" / "site").mkdir(parents=True)
    (root / ".site-old-def" / "site" / "index.html").write_text("förra webbplatsen", encoding="utf-8")
    # killed between the two renames of the swap: site/ is gone, the old one waits in .site-old-*
    removed = clean_stale(root, root / "site")
    assert (root / "site" / "index.html").read_text(encoding="utf-8") == "förra webbplatsen"
    assert sorted(p.name for p in removed) == [".site-new-abc", ".site-old-def"]
    assert not list(root.glob(".site-*"))


def test_two_builds_at_once_do_not_corrupt_each_other(built):
    reference = tree_hashes(built / "site")
    overview = built / "overviews" / "testoversikt.md"
    overview.write_text(overview.read_text(encoding="utf-8").replace("Samverkan tar tid", "Samverkan tar lång tid"),
                        encoding="utf-8")
    procs = [kop_build(built) for _ in range(2)]
    errs = [p.communicate(timeout=300)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errs
    assert not any("Traceback" in e for e in errs)
    page = (built / "site" / "oversikter" / "testoversikt" / "index.html").read_text(encoding="utf-8")
    assert "Samverkan tar lång tid" in page
    after = tree_hashes(built / "site")
    assert own(after).keys() == own(reference).keys()  # complete: no file lost or half-written
    assert any("/site/pagefind/" in k for k in after)
    build_ok(built)
    assert own(tree_hashes(built / "site")) == own(after)  # and identical to a lone build of the same content


def test_second_build_waits_for_the_lock_then_gives_up_clearly(built):
    """No clock is read: a small KOP_LOCK_WAIT must end in KOP950, and a waiting build must do its
    work only after the lock is released (it builds the text written while we still held the lock)."""
    lock_path = built / "build" / ".lock"
    overview = built / "overviews" / "testoversikt.md"
    page = built / "site" / "oversikter" / "testoversikt" / "index.html"
    with open(lock_path, "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        proc = kop_build(built, env={**env(), "KOP_LOCK_WAIT": "1"})
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 1, err
        assert "Ett annat bygge pågår i den här katalogen; väntar tills det är klart" in err
        assert "build/.lock:1: fel: Ett annat bygge pågår fortfarande" in err and "[KOP950]" in err
        assert "Traceback" not in err

        proc = kop_build(built)  # default wait: blocks until we let go
        seen: list[str] = []
        while not any("väntar tills det är klart" in line for line in seen):
            line = proc.stderr.readline()
            assert line, f"the second build ended without waiting for the lock: {''.join(seen)}"
            seen.append(line)
        # The build has found the lock taken. Give it a few polls to misbehave (an opportunity, not a
        # measurement), then change the source: a build that really waits has not read it yet.
        before = tree_hashes(built / "site", built / "build" / "docs")
        time.sleep(3 * lock.POLL_SECONDS)
        overview.write_text(overview.read_text(encoding="utf-8").replace("Samverkan tar tid", "Skrivet under låset"),
                            encoding="utf-8")
        assert proc.poll() is None, f"the second build did not wait for the lock: {''.join(seen)}"
        assert tree_hashes(built / "site", built / "build" / "docs") == before, "the waiting build wrote files"
        assert not list(built.glob(".site-new-*")), "the waiting build started a new site"
        fcntl.flock(held, fcntl.LOCK_UN)
        _, rest = proc.communicate(timeout=300)
    err = "".join(seen) + rest
    assert proc.returncode == 0, err
    assert "Skrivet under låset" in page.read_text(encoding="utf-8"), "the build read its sources before the lock"
