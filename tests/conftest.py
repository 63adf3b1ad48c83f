"""Shared fixtures: throw-away project trees built from small fixture files.

Tests never touch the repository's own content; each builds a project in ``tmp_path``
(the real mkdocs.yml and docs/ copied in) and runs the real pipeline on it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Validation compares dates with "today"; pin it so fixtures never expire.
os.environ.setdefault("KOP_TODAY", "2026-11-23")
os.environ.setdefault("SOURCE_DATE_EPOCH", "1763856000")


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Path]:
    """Create a project tree; ``overviews`` maps file names to text (or to a fixture Path)."""

    def factory(
        overviews: dict[str, str | Path] | None = None,
        bib: str | Path | None = FIXTURES / "project" / "references.bib",
        with_site_config: bool = True,
    ) -> Path:
        root = tmp_path / "project"
        (root / "overviews").mkdir(parents=True)
        for name, content in (overviews or {}).items():
            target = root / "overviews" / name
            if isinstance(content, Path):
                target.write_bytes(content.read_bytes())
            else:
                target.write_text(content, encoding="utf-8")
        if bib is not None:
            (root / "references.bib").write_bytes(bib.read_bytes() if isinstance(bib, Path) else bib.encode("utf-8"))
        if with_site_config:
            shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
            if (REPO / "docs").is_dir():
                shutil.copytree(REPO / "docs", root / "docs")
        return root

    return factory
