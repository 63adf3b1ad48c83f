"""Load ``references.bib``: read the file, parse it into entries and report every problem.

Authors usually export ``references.bib`` from Zotero (often via Better BibTeX), but
some edit it by hand, so the file may contain anything from a stray brace to Latin-1
bytes. The loader therefore never raises: every problem becomes a
:class:`~kop.core.model.Diagnostic` so that one run reports all of them, with the line
(1-based) of the entry or, better, of the offending field.

Parsing is done by bibtexparser 2.x with an *empty* parse stack: its middlewares are
slow on large files (LaTeX decoding costs ~30x the parse itself) and we need control
over ``@string`` resolution anyway (BibTeX semantics, no loops, no blow-up). This
module drives that parse and owns the syntax-level checks (unparsable blocks, stray
text, duplicate keys and fields, size limits); the work on each entry is delegated to
the other bib/ modules: :mod:`kop.bib.strings` evaluates field values,
:mod:`kop.bib.validate` checks their content, :mod:`kop.bib.latex` decodes them and
:mod:`kop.bib.csl` converts them to CSL-JSON.
"""

from __future__ import annotations

import gc
import re
from pathlib import Path
from typing import Any

import bibtexparser
from bibtexparser import model as bibmodel

from kop.bib.csl import csl_item, decode_fields
from kop.bib.encoding import decode_bytes
from kop.bib.quiet import quiet
from kop.bib.strings import BadValue, evaluate
from kop.bib.validate import shorten, validate_entry
from kop.core.catalogue import message
from kop.core.model import Diagnostic, Reference

__all__ = ["UNUSED", "load_bibliography"]

UNPARSABLE = message("KOP201")
DUPLICATE_KEY = message("KOP202")
DUPLICATE_FIELD = message("KOP203")
UNUSED = message("KOP210")  # reported by the check pipeline, which knows the citations
MISSING_KEY = message("KOP211")
BAD_VALUE = message("KOP212")
READ_ERROR = message("KOP213")
INTERNAL_ERROR = message("KOP214")
STRAY_TEXT = message("KOP215")

MAX_BIB_BYTES = 50_000_000  # a Zotero export of 10,000 entries with abstracts is ~20 MB
MAX_ENTRIES = 50_000  # 100,000 short entries took 14 s and 430 MB to check on the 2-core machine
TOO_LARGE = message("KOP216")
TOO_MANY = message("KOP217")
_MAX_KNOWN_FIELD_NAMES = 10_000  # bound on the per-load memo of field names already checked

_ABORT_REASONS = (
    ("Unexpectedly reached end of file", "filen tar slut innan posten är avslutad (saknas en '}'?)"),
    (
        "Unexpected block start",
        "en ny post (@…) börjar innan den här är avslutad (saknas en '}' eller ett '\"'?)",
    ),
    ("Expected comma after entry key", "nyckeln ska följas av ett kommatecken"),
    ("Expected a `=` after entry key", "ett fältnamn ska följas av '='"),
    ("Expected either a `,` or", "kommatecken saknas efter ett fältvärde"),
    ("Expected equals sign", "en @string skrivs som @string{namn = {värde}}"),
)
_BLOCK_HEAD = re.compile(r"@\s*(\w*)\s*[{(]\s*([^,\s{}()\"=]*)")
_FIELD_NAME = re.compile(r"[\w\-:.+]+\Z")
_LOOKS_LIKE_BIBTEX = re.compile(r"^\s*[A-Za-z]+\s*[{(][^,\s{}]*,|\b\w+\s*=\s*[{\"\d]", re.MULTILINE)
_FALLBACK_CHUNKS = re.compile(r"^(?=[ \t]*@)", re.MULTILINE)
_WHITESPACE = re.compile(r"[ \t\r\n]+")


def _describe_block(raw: str) -> tuple[str, str]:
    """Return (Swedish description, entry type) of a block from its raw text."""
    match = _BLOCK_HEAD.search(raw or "")
    if not match:
        return "posten", ""
    block_type, key = match.group(1).lower(), match.group(2)
    if block_type == "string":
        return "@string-definitionen", block_type
    if block_type in ("comment", "preamble"):
        return f"blocket @{block_type}", block_type
    return (f"posten '{key}'" if key else "posten"), block_type


def _abort_reason(error: Exception) -> str:
    reason = getattr(error, "abort_reason", "") or str(error)
    for prefix, swedish in _ABORT_REASONS:
        if reason.startswith(prefix):
            return swedish
    return "syntaxfel"


class _Loader:
    """One load of one file: holds the diagnostics and references found so far."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.diagnostics: list[Diagnostic] = []
        self.references: dict[str, Reference] = {}
        self.strings: dict[str, str] = {}
        self.first_lines: dict[str, int] = {}
        # Field names already checked against _FIELD_NAME. Per load (not per process) so that
        # nothing one file contains outlives its load; bounded because hostile files can hold
        # any number of distinct names (the check is only skipped for remembered ones).
        self.known_field_names: set[str] = set()

    def report(self, diagnostic: Diagnostic) -> None:
        self.diagnostics.append(diagnostic)

    # -- splitting -----------------------------------------------------------------

    def split(self, text: str) -> list[tuple[Any, int]]:
        """Split into (block, line offset) pairs; if bibtexparser crashes, retry per chunk."""
        with quiet("bibtexparser"):
            try:
                library = bibtexparser.parse_string(text, parse_stack=[])
                return [(block, 0) for block in library.blocks]
            except Exception:  # a parser bug must not hide the other entries
                pass
            blocks: list[tuple[Any, int]] = []
            offset = 0
            for chunk in _FALLBACK_CHUNKS.split(text):
                try:
                    library = bibtexparser.parse_string(chunk, parse_stack=[])
                    blocks.extend((block, offset) for block in library.blocks)
                except Exception as error:
                    self.report(INTERNAL_ERROR.at(self.path, offset + 1, 0, what="posten", error=_short(error)))
                offset += chunk.count("\n")
            return blocks

    # -- blocks ----------------------------------------------------------------------

    def run(self, text: str) -> None:
        blocks = self.split(text)
        entries = [i for i, (block, _) in enumerate(blocks) if isinstance(block, bibmodel.Entry)]
        if len(entries) > MAX_ENTRIES:
            block, offset = blocks[entries[MAX_ENTRIES]]
            line = (block.start_line or 0) + offset + 1
            self.report(TOO_MANY.at(self.path, line, 0, count=len(entries), limit=MAX_ENTRIES))
            blocks = blocks[: entries[MAX_ENTRIES]]
        # Pass 1: @string definitions in file order (BibTeX semantics: a string can only use
        # strings defined before it, so definitions cannot loop).
        for block, offset in blocks:
            inner = block.ignore_error_block if isinstance(block, bibmodel.DuplicateBlockKeyBlock) else block
            if isinstance(inner, bibmodel.String):
                self.guarded(self.string, inner, offset)
        # Pass 2: entries, failed blocks and stray text.
        after_failure = False
        for block, offset in blocks:
            if isinstance(block, bibmodel.Entry):
                self.guarded(self.entry, block, offset)
            elif isinstance(block, bibmodel.DuplicateFieldKeyBlock | bibmodel.DuplicateBlockKeyBlock):
                inner = block.ignore_error_block
                if isinstance(inner, bibmodel.DuplicateFieldKeyBlock):
                    inner = inner.ignore_error_block
                if isinstance(inner, bibmodel.Entry):
                    self.guarded(self.entry, inner, offset)
            elif isinstance(block, bibmodel.ParsingFailedBlock):
                self.failed(block, offset)
                after_failure = True
                continue
            elif isinstance(block, bibmodel.ImplicitComment) and not after_failure:
                self.stray(block, offset)
            after_failure = False

    def guarded(self, handler: Any, block: Any, offset: int) -> None:
        """Run a block handler; turn anything unexpected into a diagnostic at the block."""
        try:
            handler(block, offset)
        except Exception as error:  # never a traceback for the author
            line = (block.start_line or 0) + offset + 1
            what, _ = _describe_block(block.raw or "")
            self.report(INTERNAL_ERROR.at(self.path, line, 0, what=what, error=_short(error)))

    def failed(self, block: Any, offset: int) -> None:
        line = (block.start_line or 0) + offset + 1
        description, _ = _describe_block(block.raw or "")
        self.report(UNPARSABLE.at(self.path, line, 0, block=description, reason=_abort_reason(block.error)))

    def stray(self, block: Any, offset: int) -> None:
        comment = block.comment or ""
        if not _LOOKS_LIKE_BIBTEX.search(comment):
            return
        excerpt = _WHITESPACE.sub(" ", comment.strip())
        if len(excerpt) > 40:
            excerpt = excerpt[:39] + "…"
        self.report(STRAY_TEXT.at(self.path, (block.start_line or 0) + offset + 1, 0, excerpt=excerpt))

    def string(self, block: Any, offset: int) -> None:
        line = (block.start_line or 0) + offset + 1
        name = (block.key or "").strip()
        try:
            value = evaluate(str(block.value).strip(), self.strings)
        except BadValue as error:
            where = f"i @string-definitionen '{name}'"
            self.report(BAD_VALUE.at(self.path, line, 0, where=where, reason=str(error)))
            return
        if name:
            self.strings[name.lower()] = value

    def entry(self, block: bibmodel.Entry, offset: int) -> None:
        line = (block.start_line or 0) + offset + 1
        entry_type = (block.entry_type or "").strip().lower()
        key = (block.key or "").strip()
        if not key:
            self.report(MISSING_KEY.at(self.path, line, 0, type=entry_type or "article"))
            return
        if key in self.first_lines:
            self.report(DUPLICATE_KEY.at(self.path, line, 0, key=key, first_line=self.first_lines[key]))
            return
        self.first_lines[key] = line

        raw: dict[str, str] = {}
        field_lines: dict[str, int] = {}
        strings = self.strings
        known_field_names = self.known_field_names
        for field in block.fields:
            # Inlined hot path (runs once per field of a possibly huge file).
            start = field.start_line
            field_line = start + offset + 1 if start is not None else line
            name = (field.key or "").strip().lower()
            if name not in known_field_names and not self.valid_field_name(name, key, field_line):
                continue
            if name in field_lines:
                first_line = field_lines[name]
                self.report(DUPLICATE_FIELD.at(self.path, field_line, 0, field=name, key=key, first_line=first_line))
                continue
            field_lines[name] = field_line
            value = field.value
            try:
                raw[name] = evaluate(value.strip() if isinstance(value, str) else str(value), strings)
            except BadValue as error:
                where = f"i fältet '{name}' i posten '{key}'"
                self.report(BAD_VALUE.at(self.path, field_line, 0, where=where, reason=str(error)))

        validate_entry(self.path, key, entry_type, line, raw, field_lines, self.report)
        text = decode_fields(raw)
        csl = csl_item(key, entry_type, raw, text)
        self.references[key] = Reference(key=key, entry_type=entry_type, line=line, fields=text, csl=csl)

    def valid_field_name(self, name: str, key: str, field_line: int) -> bool:
        """Check a field name not seen before; remember good ones, report bad ones."""
        if _FIELD_NAME.match(name):
            if len(self.known_field_names) < _MAX_KNOWN_FIELD_NAMES:
                self.known_field_names.add(name)
            return True
        shown = _WHITESPACE.sub(" ", name)[:40]
        reason = f"fältnamnet '{shown}' är ogiltigt" if shown else "ett fältnamn saknas före '='"
        self.report(UNPARSABLE.at(self.path, field_line, 0, block=f"posten '{key}'", reason=reason))
        return False


def _short(error: BaseException) -> str:
    """An exception as "Type: message", short enough for a diagnostic."""
    return shorten(f"{type(error).__name__}: {error}", 120)


def _os_error(error: OSError) -> str:
    """Swedish wording for the usual reasons a file cannot be read."""
    if isinstance(error, FileNotFoundError):
        return "filen finns inte"
    if isinstance(error, PermissionError):
        return "behörighet att läsa filen saknas"
    if isinstance(error, IsADirectoryError):
        return "sökvägen är en mapp, inte en fil"
    return error.strerror or _short(error)


def load_bibliography(
    path: Path, text: str | None = None, display: str | None = None
) -> tuple[dict[str, Reference], list[Diagnostic]]:
    """Load, validate and convert a BibTeX file; never raises.

    Returns the references by key (first entry wins for duplicate keys) and every
    problem found as diagnostics with 1-based lines. ``text`` replaces reading the
    file (for tests and editors); the file is otherwise read as bytes so that a
    non-UTF-8 file gets a clear message with the line of its first bad byte.
    """
    shown_path = display or str(path)  # messages name the file as the author sees it (references.bib)
    loader = _Loader(shown_path)
    # Parsing allocates hundreds of thousands of small acyclic objects; the cyclic garbage
    # collector would repeatedly traverse all of them for nothing (~30% of the load time).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        if text is None:
            try:
                data = Path(path).read_bytes()
            except OSError as error:
                loader.report(READ_ERROR.at(shown_path, 0, 0, error=_os_error(error)))
                return {}, loader.diagnostics
            if len(data) > MAX_BIB_BYTES:
                loader.report(TOO_LARGE.at(shown_path, 1, 0, size=len(data), limit=MAX_BIB_BYTES))
                return {}, loader.diagnostics
            source = decode_bytes(data, shown_path, loader.diagnostics)
        elif isinstance(text, bytes | bytearray):
            source = decode_bytes(bytes(text), shown_path, loader.diagnostics)
        else:
            source = str(text)
        if source.startswith("\ufeff"):
            source = source[1:]
        if "\r" in source:
            source = source.replace("\r\n", "\n").replace("\r", "\n")
        loader.run(source)
    except (Exception, RecursionError) as error:  # never a traceback for the author
        loader.report(INTERNAL_ERROR.at(shown_path, 0, 0, what="referensfilen", error=_short(error)))
    finally:
        if gc_was_enabled:
            gc.enable()
    return loader.references, loader.diagnostics
