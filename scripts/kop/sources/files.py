"""Refused and unreadable source files as diagnostics (KOP150–152, KOP960).

:mod:`kop.core.safefs` decides what may be read; this module says it to the author, naming
the repository-relative path (``display``), never the absolute path on the build machine.
"""

from __future__ import annotations

from pathlib import Path

from kop.core import safefs
from kop.core.catalogue import message
from kop.core.model import Diagnostic

LINK_OUTSIDE = message("KOP150")
NOT_REGULAR = message("KOP151")
BROKEN_LINK = message("KOP152")
READ_FAILED = message("KOP960")


def refusal_diagnostic(display: str, refusal: safefs.Refusal) -> Diagnostic:
    """The message for a path :mod:`kop.core.safefs` refuses to read."""
    if refusal.reason == safefs.OUTSIDE:
        return LINK_OUTSIDE.at(display, 1, 1, file=display)
    if refusal.reason == safefs.BROKEN:
        return BROKEN_LINK.at(display, 1, 1, file=display)
    return NOT_REGULAR.at(display, 1, 1, file=display, kind=refusal.kind)


def read_error_diagnostic(display: str, exc: OSError) -> Diagnostic:
    """The message for a file the operating system would not let us read."""
    reason, advice = safefs.os_problem(exc)
    return READ_FAILED.at(display, 1, 1, file=display, reason=reason, advice=advice)


def root_for(path: Path, display: str) -> Path:
    """The repository root implied by ``path`` and its repository-relative ``display``.

    ``overviews/a.md`` shown for ``/repo/overviews/a.md`` gives ``/repo``; when the two do not
    line up (a scratch copy checked under another name), the file's own folder is the bound.
    """
    shown = Path(display).parts
    parts = Path(path).parts
    if shown and not Path(display).is_absolute() and len(parts) > len(shown) and parts[-len(shown):] == shown:
        return Path(*parts[: -len(shown)])
    return Path(path).parent


def read_source(path: Path, display: str, root: Path | None = None) -> tuple[bytes | None, Diagnostic | None]:
    """The bytes of a source file, or the diagnostic saying why it is not read."""
    try:
        return safefs.read_regular(path, root if root is not None else root_for(path, display)), None
    except safefs.UnsafeFile as exc:
        return None, refusal_diagnostic(display, exc.refusal)
    except OSError as exc:
        return None, read_error_diagnostic(display, exc)
