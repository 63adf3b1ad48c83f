"""Print diagnostics for people (Swedish checklist) and for GitHub Actions (annotations)."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TextIO

from kop.core.model import Diagnostic

_LABEL = {"error": "fel", "warning": "varning"}


def format_text(diag: Diagnostic) -> str:
    """``path:line:column: fel: message`` followed by an indented hint line."""
    where = f"{diag.path}:{diag.line}" + (f":{diag.column}" if diag.column else "")
    out = f"{where}: {_LABEL[diag.severity]}: {diag.message} [{diag.code}]"
    if diag.hint:
        out += "\n    → " + diag.hint.replace("\n", "\n      ")
    return out


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def format_github(diag: Diagnostic) -> str:
    """A GitHub Actions workflow command, so the problem shows on the pull request's line."""
    kind = "error" if diag.severity == "error" else "warning"
    props = f"file={_escape_property(diag.path)},line={max(diag.line, 1)}"
    if diag.column:
        props += f",col={diag.column}"
    props += f",title={_escape_property(diag.code)}"
    text = diag.message + (f" {diag.hint}" if diag.hint else "")
    return f"::{kind} {props}::{_escape_data(text)}"


def summary(diags: Sequence[Diagnostic]) -> str:
    errors = sum(1 for d in diags if d.severity == "error")
    warnings = len(diags) - errors
    files = len({d.path for d in diags})
    if not diags:
        return "Inga problem hittades."
    parts = []
    if errors:
        parts.append(f"{errors} fel")
    if warnings:
        parts.append(f"{warnings} {'varning' if warnings == 1 else 'varningar'}")
    return " och ".join(parts) + f" i {files} {'fil' if files == 1 else 'filer'}."


def print_diagnostics(diags: Sequence[Diagnostic], stream: TextIO | None = None, github: bool | None = None) -> None:
    """Print every diagnostic sorted by file and line, then a one-line summary."""
    stream = stream or sys.stderr
    if github is None:
        github = os.environ.get("GITHUB_ACTIONS") == "true"
    ordered = sorted(diags, key=lambda d: (d.path, d.line, d.column, d.code, d.message))
    for diag in ordered:
        print(format_text(diag), file=stream)
        if github:
            print(format_github(diag), file=stream)
    if diags:
        print(summary(diags), file=stream)
