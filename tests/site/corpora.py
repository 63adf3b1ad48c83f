"""Helpers shared by the site tests that run the real engine: a prepared corpus and a site as bytes."""

from __future__ import annotations

from pathlib import Path

from kop.core.project import load_project
from kop.dev.corpus import generate
from kop.site.build import prepare


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by its path, as bytes (to compare whole sites)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def prepared_corpus(root: Path, seed: int) -> Path:
    """A small generated corpus at ``root`` with its ``build/docs`` written (ready for the engine)."""
    generate(root, "small", seed=seed)
    result, formatted = prepare(load_project(root))
    assert formatted is not None, result.diagnostics
    return root
