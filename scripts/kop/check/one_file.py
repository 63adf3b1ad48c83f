"""The checks that depend on one overview file alone, shared by ``kop check`` and ``kop ny``.

``kop check`` runs :func:`local_checks` per file (cached by content hash) and then the
checks against the bibliography; :func:`check_one_file` runs exactly the same for one
file, also for text that is not written yet (``kop ny`` checks before it writes).
"""

from __future__ import annotations

import pickle
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from kop.check import limits, safety
from kop.check.control import control_diagnostics
from kop.check.fields import rule_diagnostics, schema_diagnostics
from kop.check.placeholders import placeholder_diagnostics
from kop.check.readability import DEFAULT_LIX_MAX, lix_limit, measure, readability_diagnostics
from kop.cite.checks import check_keys, malformed_citations
from kop.cite.scan import scan
from kop.core.model import Diagnostic, Overview
from kop.core.project import Project, today
from kop.sources.cache import ContentCache
from kop.sources.documents import load_document

SCHEMA_SLOT = "schema-slot"


def load_overview(path: Path, display: str) -> tuple[Overview, list[Diagnostic]]:
    """Read one overview file and scan its citations."""
    ov, diags = load_document(path, display, Overview)  # an unreadable file has an empty body: nothing to scan
    ov.citations, scanner, problems = scan(ov.body, ov.body_line)  # one scan for citations and KOP302
    diags.extend(malformed_citations(ov.body, ov.body_line, display, (scanner, problems)))
    return ov, diags


def local_checks(path: Path, display: str, slots: ContentCache | None = None) -> tuple[Overview, list[Diagnostic]]:
    """The checks that depend on this one file alone (cacheable by its content hash).

    ``slots`` keeps each file's schema check by its front matter (:func:`schema_checked`).
    """
    ov, diags = load_overview(path, display)
    if ov.meta:
        diags.extend(schema_checked(ov, display, slots))
        diags.extend(placeholder_diagnostics(ov, display))
        diags.extend(control_diagnostics(ov, display))  # control characters after YAML escapes (KOP141)
    diags.extend(safety.check_overview(ov, display))  # active content (KOP4xx)
    diags.extend(limits.check_overview(ov, display))  # bounded work: citations, brackets (KOP420–422)
    measure(ov)  # readability's measurement is the file's own: cached with it (the limit is applied later)
    return ov, diags


def schema_slot(slots: ContentCache, display: str) -> str:
    """The name of a file's schema slot (one per file, so the cache holds one generation)."""
    return slots.key(SCHEMA_SLOT, display)


def _is_slot(value: Any) -> bool:
    return (isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str)
            and isinstance(value[1], list) and all(isinstance(d, Diagnostic) for d in value[1]))


def schema_checked(ov: Overview, display: str, slots: ContentCache | None) -> list[Diagnostic]:
    """:func:`~kop.check.fields.schema_diagnostics`, reused while the file's front matter is unchanged.

    Why: the commonest edit changes an overview's text, not its front matter, and checking
    the front matter again gives the same answer (and, for a front matter with an error,
    imports jsonschema: 0.17-0.4 s on the benchmark machine). The schema check reads only
    the parsed front matter and where each key is written, so those (and the file's name in
    messages, and the code's fingerprint, which covers the schema and its vocabularies) are
    the key; the body's lines come after the front matter and cannot move it. Only an
    answer with a message is written (or one replacing an earlier answer): a clean front
    matter is checked again in about 0.3 ms, less than creating its file costs.
    """
    if slots is None:
        return schema_diagnostics(ov, display)
    try:
        front = pickle.dumps((ov.meta, ov.positions), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # never expected (the front matter is plain data); then it is simply checked
        return schema_diagnostics(ov, display)
    slot = schema_slot(slots, display)
    key = slots.key("schema", display, front)
    found, value = slots.get(SCHEMA_SLOT, slot, _is_slot, count=False)
    if found and value[0] == key:
        return list(value[1])
    diags = schema_diagnostics(ov, display)
    if diags or found:  # a clean front matter is checked again faster than a file is created for it
        slots.put(SCHEMA_SLOT, slot, (key, diags))
    return diags


def key_checks(ov: Overview, display: str, keys: set[str], day: date | None = None,
               lix_max: float = DEFAULT_LIX_MAX) -> list[Diagnostic]:
    """The checks of one overview against the bibliography's keys, today's date and the site's settings.

    Readability (KOP165) is here, not in :func:`local_checks`, because its limit comes from
    mkdocs.yml, which the per-file cache's key does not cover.
    """
    out: list[Diagnostic] = []
    if ov.meta:
        out.extend(rule_diagnostics(ov, display, day or today(), keys))
        out.extend(readability_diagnostics(ov, display, lix_max))
    out.extend(check_keys(ov.citations, keys, display))
    return out


def check_one_file(project: Project, path: Path, text: str | None = None, *,
                   keys: set[str] | None = None) -> list[Diagnostic]:
    """Every check ``kop check`` makes of one overview file, without the checks across files.

    ``text``: check this content as if it were at ``path`` (the file need not exist yet).
    ``keys``: the bibliography's keys; read from ``references.bib`` when not given.
    """
    if keys is None:
        from kop.bib.load import load_bibliography, unreadable_keys

        refs, bib_diags = load_bibliography(project.bib_path) if project.bib_path.is_file() else ({}, [])
        keys = set(refs) | unreadable_keys(bib_diags)
    display = project.display(path)
    if text is None:
        ov, diags = local_checks(path, display)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            scratch = Path(tmp) / path.name
            scratch.write_text(text, encoding="utf-8")
            ov, diags = local_checks(scratch, display)
    return diags + key_checks(ov, display, keys, lix_max=lix_limit(project.settings))
