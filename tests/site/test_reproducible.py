"""Two builds of the same content with the same SOURCE_DATE_EPOCH are byte-identical, file by file."""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def build(root: Path, epoch: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO / "scripts"), "KOP_TODAY": "2026-11-23", "SOURCE_DATE_EPOCH": epoch,
           "PYTHONHASHSEED": "random"}
    proc = subprocess.run([sys.executable, "-m", "kop", "build", "--root", str(root)], env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory) -> tuple[Path, Path]:
    """The shipped content built twice in two separate copies (different paths, fresh caches)."""
    roots = []
    for name in ("a", "b"):
        root = tmp_path_factory.mktemp(f"repro-{name}") / "project"
        root.mkdir()
        for item in ("overviews", "docs"):
            shutil.copytree(REPO / item, root / item)
        for item in ("references.bib", "mkdocs.yml"):
            shutil.copy(REPO / item, root / item)
        build(root, "1763856000")
        roots.append(root)
    return roots[0], roots[1]


def test_every_file_is_byte_identical(two_builds):
    a, b = (files(root / "site") for root in two_builds)
    assert a.keys() == b.keys()
    differing = sorted(name for name in a if a[name] != b[name])
    assert not differing, differing
    assert len(a) > 20
    # the search index is included: kop.site.pagefind_stable canonicalises Pagefind's hash-map order
    assert any(name.startswith("pagefind/filter/") for name in a)


def test_sitemap_dates_and_gzip_header_follow_source_date_epoch(two_builds):
    site = two_builds[0] / "site"
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<lastmod>2025-11-23</lastmod>" in sitemap  # 1763856000 = 2025-11-23T00:00:00Z
    raw = (site / "sitemap.xml.gz").read_bytes()
    assert int.from_bytes(raw[4:8], "little") == 1763856000  # gzip MTIME field
    assert gzip.decompress(raw).decode("utf-8") == sitemap


def test_a_different_epoch_changes_only_dated_files(two_builds, tmp_path):
    root = tmp_path / "project"
    shutil.copytree(two_builds[0], root, ignore=shutil.ignore_patterns("site", "build", ".cache", ".site-*"))
    build(root, "1763942400")  # one day later
    a, c = files(two_builds[0] / "site"), files(root / "site")
    changed = sorted(name for name in a if a[name] != c.get(name))
    assert "sitemap.xml" in changed and "sitemap.xml.gz" in changed
    digest = {name: hashlib.sha256(data).hexdigest() for name, data in a.items()}
    assert digest["sitemap.xml"] != hashlib.sha256(c["sitemap.xml"]).hexdigest()
