"""Files that look like overviews or seminars but sit where nothing reads them (KOP180–182).

Only ``overviews/*.md`` and ``seminars/*.md`` are read. A file one folder too deep (what
following "create overviews/namn.md" from inside ``overviews/`` gives on GitHub:
``overviews/overviews/namn.md``), with Word's or another editor's extension
(``namn.markdown``, ``namn.md.txt``) or in capitals (``namn.MD``) would otherwise be
skipped without a word while the check stays green. Each gets an error naming the path
it should have. Templates and hidden files (``_mall.md``, ``.namn.md``, and folders named
so) are skipped on purpose, as the readers skip them.
"""

from __future__ import annotations

import os
from pathlib import Path

from kop.core.catalogue import message
from kop.core.model import Diagnostic
from kop.core.project import Project

IN_SUBFOLDER = message("KOP180")
WRONG_EXTENSION = message("KOP181")
TARGET_EXISTS = message("KOP182")

SEMINARS_DIRNAME = "seminars"
#: How a Markdown file may end when it is misnamed, longest first (compared in lower case).
_MARKDOWN_ENDINGS = (".markdown.txt", ".md.txt", ".markdown", ".mdown", ".mkdn", ".mkd", ".md")
_MAX_ENTRIES = 20_000  # a hostile tree must not make the check walk for ever
_MAX_DEPTH = 8
_KINDS = {"overviews": "översikter", SEMINARS_DIRNAME: "seminarier"}


def markdown_stem(name: str) -> str | None:
    """``name`` without a Markdown-like ending (``a.md.txt`` → ``a``), or None if it has none."""
    lower = name.lower()
    for ending in _MARKDOWN_ENDINGS:
        if lower.endswith(ending) and len(name) > len(ending):
            return name[: -len(ending)]
    return None


def _skipped(name: str) -> bool:
    """Templates, hidden files and README are never sources, wherever they are."""
    return name.startswith(("_", ".")) or name.lower() in ("readme.md", "readme.markdown", "readme.txt")


def misplaced_files(project: Project) -> list[Diagnostic]:
    """An error for every Markdown-like file under ``overviews/`` or ``seminars/`` that is not read."""
    diagnostics: list[Diagnostic] = []
    for folder in (project.overviews_dir, project.root / SEMINARS_DIRNAME):
        if folder.is_dir() and not folder.is_symlink():
            diagnostics.extend(_in_folder(folder, project))
    return diagnostics


def _in_folder(folder: Path, project: Project) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    seen = 0
    base = folder.name
    kind = _KINDS.get(base, "källfiler")
    for current, dirs, files in os.walk(folder, followlinks=False):
        here = Path(current)
        depth = len(here.relative_to(folder).parts)
        dirs[:] = sorted(d for d in dirs if not _skipped(d)) if depth < _MAX_DEPTH else []
        for name in sorted(files):
            seen += 1
            if seen > _MAX_ENTRIES:
                return diagnostics
            if _skipped(name):
                continue
            stem = markdown_stem(name)
            if stem is None or (depth == 0 and name.endswith(".md")):
                continue
            path = here / name
            shown = project.display(path)
            target_path = folder / f"{stem}.md"
            target = project.display(target_path)
            fields = {"file": shown, "target": target, "folder": base, "kind": kind}
            if target_path.exists() and not _same(path, target_path):
                diagnostics.append(TARGET_EXISTS.at(shown, 1, 1, **fields))
            elif depth > 0:
                diagnostics.append(IN_SUBFOLDER.at(shown, 1, 1, **fields))
            else:
                diagnostics.append(WRONG_EXTENSION.at(shown, 1, 1, ending=name[len(stem):], **fields))
    return diagnostics


def _same(a: Path, b: Path) -> bool:
    """True on a case-insensitive disk (macOS, Windows), where ``a.MD`` and ``a.md`` are one file."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
