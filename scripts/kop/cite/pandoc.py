"""The one Pandoc the project formats with: the pinned binary from pypandoc-binary, checked.

A ``pandoc`` on PATH is never used: another version can format references differently,
and the build must be reproducible. The binary is taken by absolute path from the
pypandoc package directory (pypandoc's own lookup prefers PATH in some versions), and
its ``--version`` must report :data:`PANDOC_VERSION` before it formats anything.

``KOP_PANDOC`` overrides the path (for tests and for platforms without the wheel); the
version check applies to it as well.
"""

from __future__ import annotations

import os
import subprocess
from functools import lru_cache
from pathlib import Path

from kop.core.catalogue import message
from kop.core.messages import Message
from kop.core.model import Diagnostic

PANDOC_VERSION = "3.9"  # the Pandoc inside pypandoc-binary==1.17 (requirements.lock)
ENV_VAR = "KOP_PANDOC"


class FormattingError(RuntimeError):
    """Pandoc could not format the references; carries the Swedish message shown to the user."""

    def __init__(self, code: str, **fields: object) -> None:
        self.template: Message = message(code)
        self.fields = fields
        super().__init__(self.template.text.format(**fields))

    def at(self, path: str, line: int, column: int = 0) -> Diagnostic:
        return self.template.at(path, line, column, **self.fields)


def pandoc_path() -> str:
    """Absolute path of the Pandoc binary to run (``KOP_PANDOC`` or the bundled one)."""
    override = os.environ.get(ENV_VAR, "").strip()
    if override:
        return str(Path(override).expanduser().absolute())
    import pypandoc

    name = "pandoc.exe" if os.name == "nt" else "pandoc"
    return str(Path(pypandoc.__file__).resolve().parent / "files" / name)


def verified_pandoc() -> str:
    """The Pandoc path, after checking (once per path and process) that it is the pinned version."""
    return _check_version(pandoc_path())


@lru_cache(maxsize=8)  # a failure raises, so it is not cached and is checked again next time
def _check_version(path: str) -> str:
    try:
        proc = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=120, check=False,
                              encoding="utf-8", errors="replace")
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise FormattingError("KOP906", problem=_describe(exc, path)) from exc
    lines = proc.stdout.splitlines()
    found = lines[0].strip() if lines else ""
    if proc.returncode != 0 or found != f"pandoc {PANDOC_VERSION}":
        raise FormattingError("KOP905", found=found[:80] or "ingen versionsuppgift", expected=PANDOC_VERSION,
                              program=path)
    return path


def _describe(exc: BaseException, path: str) -> str:
    if isinstance(exc, subprocess.TimeoutExpired):
        return f"{path} svarade inte."
    if isinstance(exc, FileNotFoundError):
        return f"{path} finns inte."
    if isinstance(exc, PermissionError):
        return f"{path} får inte köras (saknar behörighet)."
    return f"{path}: {exc.strerror or exc}" if isinstance(exc, OSError) else str(exc)


def run_pandoc(args: list[str], text: str, env: dict[str, str] | None = None) -> str:
    """Run the verified Pandoc with ``args`` on ``text``; its standard output, or FormattingError."""
    path = verified_pandoc()
    try:
        proc = subprocess.run([path, *args], input=text, capture_output=True, text=True, timeout=600,
                              check=False, encoding="utf-8", env=env)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise FormattingError("KOP906", problem=_describe(exc, path)) from exc
    if proc.returncode != 0:
        raise FormattingError("KOP907", problem=proc.stderr.strip()[:500] or f"slutkod {proc.returncode}")
    return proc.stdout
