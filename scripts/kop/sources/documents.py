"""Source documents: which files are overviews or seminars, and loading one into its model.

Overviews and seminars are both Markdown with YAML front matter, so one loader serves
both; the kind of document is the model class passed in. Citations are not scanned
here: that is the cite layer's job, which sits above this one.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from kop.core import safefs
from kop.core.model import Diagnostic, SourceDocument
from kop.core.project import Project
from kop.sources.files import read_source, refusal_diagnostic
from kop.sources.frontmatter import read_text, split_front_matter

TEMPLATE_PREFIX = "_"
D = TypeVar("D", bound=SourceDocument)


def source_files(folder: Path) -> list[Path]:
    """``folder/*.md`` except templates (``_*.md``) and README, sorted.

    Links and special files are listed too, so that reading them (:func:`read_text`) reports
    them instead of skipping them silently; nothing here opens a file.
    """
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.md")
                  if not p.name.startswith(TEMPLATE_PREFIX) and p.name.lower() != "readme.md")


def overview_files(project: Project) -> list[Path]:
    """The overview sources: ``overviews/*.md`` except templates and README."""
    return source_files(project.overviews_dir)


def load_document(path: Path, display: str, kind: type[D]) -> tuple[D, list[Diagnostic]]:
    """Read one file into ``kind`` (front matter, body, positions); an unreadable file gives empty meta."""
    src = read_text(path, display)
    if src.diagnostics:
        return kind(path, path.stem, {}, "", 1), list(src.diagnostics)
    fm = split_front_matter(src)
    return kind(path, path.stem, fm.meta, fm.body, fm.body_line, fm.positions), list(fm.diagnostics)


def tree_problems(folder: Path, project: Project) -> list[Diagnostic]:
    """A message for every entry under ``folder`` that is not a regular file inside the repository."""
    _, refused = safefs.walk_files(folder, project.root)
    return [refusal_diagnostic(project.display(path), refusal) for path, refusal in refused]


def read_tree(folder: Path, project: Project) -> tuple[dict[str, bytes], list[Diagnostic]]:
    """Every regular file under ``folder`` (by path relative to it) and a message for everything refused."""
    good, refused = safefs.walk_files(folder, project.root)
    files: dict[str, bytes] = {}
    diags = [refusal_diagnostic(project.display(path), refusal) for path, refusal in refused]
    for path in good:
        data, problem = read_source(path, project.display(path), project.root)
        if data is None:
            diags.extend([problem] if problem else [])
        else:
            files[path.relative_to(folder).as_posix()] = data
    return files, diags
