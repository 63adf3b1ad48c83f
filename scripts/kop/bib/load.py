"""Load ``references.bib``: read the file, parse it into entries and report every problem.

Authors usually export ``references.bib`` from Zotero (often via Better BibTeX), but
some edit it by hand, so the file may contain anything from a stray brace to Latin-1
bytes. The loader therefore never raises: every problem becomes a
:class:`~kop.core.model.Diagnostic` so that one run reports all of them, with the line
(1-based) of the entry or, better, of the offending field.

Parsing is done by bibtexparser 2.x with an *empty* parse stack: its middlewares are
slow on large files (LaTeX decoding costs ~30x the parse itself) and we need control
over ``@string`` resolution anyway (BibTeX semantics, no loops, no blow-up). This
module drives that parse (chunk by chunk, see :mod:`kop.bib.chunks`) and owns the
syntax-level checks (unparsable blocks, stray text, duplicate keys and fields, size
limits); the work on each entry is delegated to
the other bib/ modules: :mod:`kop.bib.strings` evaluates field values,
:mod:`kop.bib.inherit` adds what ``crossref``/``xdata`` parents give,
:mod:`kop.bib.validate` checks their content, :mod:`kop.bib.latex` decodes them and
:mod:`kop.bib.csl` converts them to CSL-JSON.

Before bibtexparser sees the text, :func:`_normalise` makes what biber accepts and
bibtexparser does not parseable, keeping every line number: ``@ Article {``, ``%``
comment lines between fields, and ``@comment{…}`` blocks (skipped whole, even when
they contain an entry). Entries are checked only after the whole file is read, since
a crossref parent may come after its child.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from kop.bib.chunks import Record, records_of
from kop.bib.delimiters import starts_comment, step, typographic_delimiters
from kop.bib.encoding import decode_bytes
from kop.bib.inherit import crossref_fields, parent_keys, xdata_fields
from kop.bib.memo import Memo
from kop.bib.quiet import quiet
from kop.bib.strings import BadValue, evaluate
from kop.bib.validate import shorten
from kop.core.catalogue import message
from kop.core.collector import collection_paused
from kop.core.messages import did_you_mean
from kop.core.model import Diagnostic, Reference
from kop.core.quotes import NAMES

# The parser and the LaTeX decoder (bibtexparser, pylatexenc) are imported when a file is parsed:
# a warm `kop check` takes the bibliography from its cache and needs neither.

__all__ = ["UNUSED", "load_bibliography", "unreadable_keys"]

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
TYPOGRAPHIC_DELIMITER = message("KOP218")
MISSING_CROSSREF = message("KOP225")
MISSING_XDATA = message("KOP226")
INHERITANCE_LOOP = message("KOP227")
CASE_ONLY_KEYS = message("KOP228")
UNDEFINED_MONTH = message("KOP230")
UNREADABLE_ENTRY = message("KOP231")
LOCAL_FILE_FIELD = message("KOP233")
_LOCAL_FIELDS = frozenset({"file"})  # Zotero's attachment paths (C:\Users\…): never kept, never published
_MAX_KEYS_SHOWN = 50
_SPAN_KEY = re.compile(r"@[ \t]*(\w+)[ \t]*[{(][ \t\n]*([^,\s{}()\"=']+)[ \t]*,")
_SHOWN_KEY = re.compile(r"'([^']+)'")
_MAX_INHERITANCE_DEPTH = 32  # real chains are short (@mvbook → @book → @inbook); hostile ones are cut here
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
# "@ Article {": biber accepts blanks between "@" and the type; bibtexparser does not.
_SPACED_AT = re.compile(r"^([ \t]*@)[ \t]+(?=\w+[ \t]*[{(])", re.MULTILINE)
# A "%" comment between the fields of an entry (at the start of a line or after a field's comma).
_COMMENT_CANDIDATE = re.compile(r"^[ \t]*%|,[ \t]*%", re.MULTILINE)
_COMMENT_TOKENS = re.compile(r'\\[%"]|[{}"%]')


_COMMENT_BLOCK = re.compile(r"@[ \t]*comment[ \t]*\{", re.IGNORECASE)
_BRACES = re.compile(r"[{}]")


def _normalise(text: str) -> str:
    """Make the syntax biber accepts and bibtexparser rejects parseable; lines keep their numbers."""
    if "@ " in text or "@\t" in text:
        text = _SPACED_AT.sub(r"\1", text)
    if "omment" in text or "OMMENT" in text:
        text = _blank_comment_blocks(text)
    if _COMMENT_CANDIDATE.search(text):
        text = _blank_comments(text)
    return text


def _blank_comment_blocks(text: str) -> str:
    """Blank out every ``@comment{…}`` up to its matching brace: biber skips it whole, entries inside too.

    bibtexparser ends a comment at the first "@" on a new line, which would load an entry
    that was commented out. Newlines are kept so that line numbers stay right.
    """
    parts: list[str] = []
    last = 0
    for start in _COMMENT_BLOCK.finditer(text):
        if start.start() < last:
            continue
        depth = 0
        for brace in _BRACES.finditer(text, start.end() - 1):
            depth += 1 if brace.group() == "{" else -1
            if depth == 0:
                end = brace.end()
                block = text[start.start() : end]
                parts += [text[last : start.start()], "".join("\n" if c == "\n" else " " for c in block)]
                last = end
                break
        else:  # never closed: bibtexparser reports it; later comments are inside this one anyway
            break
    return "".join(parts) + text[last:] if parts else text


def _blank_comments(text: str) -> str:
    """Blank out "%" comments at the top level of an entry (between fields), up to the end of the line.

    A "%" inside a field value is text (as in BibTeX: "50%", URLs), so only "%" at brace
    depth 1 outside a quoted value starts a comment.
    """
    parts: list[str] = []
    depth, in_quote, pos, last = 0, False, 0, 0
    while True:
        match = _COMMENT_TOKENS.search(text, pos)
        if match is None:
            break
        token, pos = match.group(), match.end()
        if token in ("{", "}", '"'):
            depth, in_quote = step(token, depth, in_quote)
        elif token == "%" and depth == 1 and not in_quote and starts_comment(text, match.start()):
            end = text.find("\n", match.start())
            end = len(text) if end < 0 else end
            parts += [text[last : match.start()], " " * (end - match.start())]
            last = pos = end
    return "".join(parts) + text[last:] if parts else text


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

    def __init__(self, path: str, memo: Memo | None = None) -> None:
        self.path = path
        self.memo = memo if memo is not None else Memo()
        self.diagnostics: list[Diagnostic] = []
        self.references: dict[str, Reference] = {}
        self.strings: dict[str, str] = {}
        self.first_lines: dict[str, int] = {}
        # Entries read but not yet checked: (type, line, raw fields, field lines), by key in file order.
        # They are finished after the whole file is read, because crossref/xdata parents may come later.
        self.pending: dict[str, tuple[str, int, dict[str, str], dict[str, int]]] = {}
        self.resolved: dict[str, dict[str, str]] = {}
        self.broken: set[str] = set()  # entries whose crossref/xdata parent is missing
        # Field names already checked against _FIELD_NAME. Per load (not per process) so that
        # nothing one file contains outlives its load; bounded because hostile files can hold
        # any number of distinct names (the check is only skipped for remembered ones).
        self.known_field_names: set[str] = set()
        self.local_files: list[tuple[str, int]] = []  # (key, line) of every `file` field dropped

    def report(self, diagnostic: Diagnostic) -> None:
        self.diagnostics.append(diagnostic)

    # -- splitting -----------------------------------------------------------------

    def split(self, text: str) -> list[tuple[Record, int]]:
        """The whole file's blocks as (record, line offset) pairs; if bibtexparser crashes, retry per chunk."""
        import bibtexparser

        with quiet("bibtexparser"):
            try:
                library = bibtexparser.parse_string(text, parse_stack=[])
                return [(record, 0) for record in records_of(list(library.blocks))[0]]
            except Exception:  # a parser bug must not hide the other entries
                pass
            records: list[tuple[Record, int]] = []
            offset = 0
            for chunk in _FALLBACK_CHUNKS.split(text):
                try:
                    library = bibtexparser.parse_string(chunk, parse_stack=[])
                    records.extend((record, offset) for record in records_of(list(library.blocks))[0])
                except Exception as error:
                    self.report(INTERNAL_ERROR.at(self.path, offset + 1, 0, what="posten", error=_short(error)))
                offset += chunk.count("\n")
            return records

    # -- blocks ----------------------------------------------------------------------

    def run(self, text: str) -> None:
        records = self.memo.chunks.records(text, self.split)
        entries = [i for i, (record, _) in enumerate(records) if record[0] == "entry"]
        if len(entries) > MAX_ENTRIES:
            record, offset = records[entries[MAX_ENTRIES]]
            self.report(TOO_MANY.at(self.path, record[1] + offset + 1, 0, count=len(entries), limit=MAX_ENTRIES))
            records = records[: entries[MAX_ENTRIES]]
        # Pass 1: @string definitions in file order (BibTeX semantics: a string can only use
        # strings defined before it, so definitions cannot loop).
        for record, offset in records:
            if record[0] == "string":
                self.guarded(self.string, record, offset)
        # Pass 2: entries, failed blocks and stray text.
        after_failure = False
        for record, offset in records:
            kind = record[0]
            if kind == "entry":
                self.guarded(self.entry, record, offset)
            elif kind == "failed":
                self.failed(record, offset)
                after_failure = True
                continue
            elif kind == "comment" and not after_failure:
                self.stray(record, offset)
            after_failure = False
        if self.local_files:  # one warning for the whole export, at the first one
            key, line = self.local_files[0]
            count = len(self.local_files)
            more = f" Det gäller {count} poster i filen; alla file-fält hoppas över." if count > 1 else ""
            self.report(LOCAL_FILE_FIELD.at(self.path, line, 0, key=key, more=more))
        # Pass 3: inheritance, checks and CSL, now that every entry is known.
        self.case_only_keys()
        for key, (entry_type, line, raw, field_lines) in self.pending.items():
            if entry_type == "xdata":  # @xdata entries only lend fields; they are not references
                continue
            try:
                self.finish(key, entry_type, line, raw, field_lines)
            except Exception as error:  # never a traceback for the author
                self.report(INTERNAL_ERROR.at(self.path, line, 0, what=f"posten '{key}'", error=_short(error)))

    def guarded(self, handler: Any, record: Record, offset: int) -> None:
        """Run a block handler; turn anything unexpected into a diagnostic at the block."""
        try:
            handler(record, offset)
        except Exception as error:  # never a traceback for the author
            line = record[1] + offset + 1
            what = "@string-definitionen" if record[0] == "string" else (f"posten '{record[3]}'" if record[3]
                                                                         else "posten")
            self.report(INTERNAL_ERROR.at(self.path, line, 0, what=what, error=_short(error)))

    def failed(self, record: Record, offset: int) -> None:
        """KOP231 naming the keys of an unreadable span (root cause first), else KOP201."""
        _, start, raw, error = record
        line = start + offset + 1
        description, _ = _describe_block(raw)
        reason = _abort_reason(error)
        keys = span_keys(raw)
        if keys:
            self.report(UNREADABLE_ENTRY.at(self.path, line, 0, row=line, reason=reason, keys=_key_list(keys),
                                            first=keys[0]))
            return
        self.report(UNPARSABLE.at(self.path, line, 0, block=description, reason=reason))

    def stray(self, record: Record, offset: int) -> None:
        _, start, comment = record
        if not _LOOKS_LIKE_BIBTEX.search(comment):
            return
        excerpt = _WHITESPACE.sub(" ", comment.strip())
        if len(excerpt) > 40:
            excerpt = excerpt[:39] + "…"
        self.report(STRAY_TEXT.at(self.path, start + offset + 1, 0, excerpt=excerpt))

    def string(self, record: Record, offset: int) -> None:
        _, start, name, text = record
        line = start + offset + 1
        try:
            value = evaluate(text, self.strings)
        except BadValue as error:
            where = f"i @string-definitionen '{name}'"
            self.report(BAD_VALUE.at(self.path, line, 0, where=where, reason=str(error)))
            return
        if name:
            self.strings[name.lower()] = value

    def entry(self, record: Record, offset: int) -> None:
        _, start, entry_type, key, fields = record
        line = start + offset + 1
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
        for name, field_start, value in fields:
            # Inlined hot path (runs once per field of a possibly huge file).
            field_line = field_start + offset + 1 if field_start is not None else line
            if name not in known_field_names and not self.valid_field_name(name, key, field_line):
                continue
            if name in field_lines:
                first_line = field_lines[name]
                self.report(DUPLICATE_FIELD.at(self.path, field_line, 0, field=name, key=key, first_line=first_line))
                continue
            field_lines[name] = field_line
            try:
                raw[name] = evaluate(value, strings)
            except BadValue as error:
                if name == "month" and error.undefined:  # only the month is lost: a warning
                    self.report(UNDEFINED_MONTH.at(self.path, field_line, 0, key=key, value=error.undefined))
                    continue
                where = f"i fältet '{name}' i posten '{key}'"
                self.report(BAD_VALUE.at(self.path, field_line, 0, where=where, reason=str(error)))

        for name in _LOCAL_FIELDS & raw.keys():  # a local path is private: drop it before anything can show it
            del raw[name]
            self.local_files.append((key, field_lines[name]))
        self.pending[key] = (entry_type, line, raw, field_lines)

    # -- inheritance and checks -----------------------------------------------------

    def case_only_keys(self) -> None:
        """Warn for keys equal except for case: a citation must match the case exactly."""
        seen: dict[str, str] = {}
        for key in self.pending:
            other = seen.setdefault(key.lower(), key)
            if other != key:
                first_line = self.first_lines[other]
                line = self.pending[key][1]
                self.report(CASE_ONLY_KEYS.at(self.path, line, 0, key=key, other=other, first_line=first_line))

    def finish(self, key: str, entry_type: str, line: int, raw: dict[str, str], field_lines: dict[str, int]) -> None:
        fields = self.resolve(key, ())
        inherited = None if key in self.broken else fields.keys() - raw.keys()
        self.memo.validated.validate(self.path, key, entry_type, line, raw, field_lines, self.report, inherited)
        text, csl = self.memo.converted.convert(key, entry_type, fields)
        self.references[key] = Reference(key=key, entry_type=entry_type, line=line, fields=text, csl=csl)

    def resolve(self, key: str, chain: tuple[str, ...]) -> dict[str, str]:
        """The entry's fields with those inherited through xdata and crossref (biber's order), memoised."""
        done = self.resolved.get(key)
        if done is not None:
            return done
        entry_type, _, raw, field_lines = self.pending[key]
        chain = (*chain, key)
        fields = dict(raw)
        for parent in parent_keys(raw.get("xdata", "")):
            data = self.parent(key, parent, "xdata", chain, field_lines["xdata"], want_xdata=True)
            if data is not None:
                fields.update(xdata_fields(fields, data))
        parent = raw.get("crossref", "").strip()
        if parent:
            data = self.parent(key, parent, "crossref", chain, field_lines["crossref"], want_xdata=False)
            if data is not None:
                fields.update(crossref_fields(entry_type, fields, self.pending[parent][0], data))
        self.resolved[key] = fields
        return fields

    def parent(
        self, key: str, parent: str, field: str, chain: tuple[str, ...], line: int, want_xdata: bool
    ) -> dict[str, str] | None:
        """The resolved fields of a crossref/xdata parent, or None after reporting why there are none."""
        found = self.pending.get(parent)
        if found is None or (found[0] == "xdata") != want_xdata:
            candidates = [k for k, entry in self.pending.items() if (entry[0] == "xdata") == want_xdata and k != key]
            by_case = [k for k in candidates if k.lower() == parent.lower()]
            suggestion = f" Menade du '{by_case[0]}'?" if by_case else did_you_mean(parent, candidates)
            problem = MISSING_XDATA if want_xdata else MISSING_CROSSREF
            self.report(problem.at(self.path, line, 0, key=key, parent=parent, suggestion=suggestion))
            self.broken.add(key)
            return None
        if parent in chain or len(chain) >= _MAX_INHERITANCE_DEPTH:
            shown = " → ".join((*chain, parent)) if len(chain) <= 5 else f"{chain[0]} → … → {chain[-1]} → {parent}"
            self.report(INHERITANCE_LOOP.at(self.path, line, 0, key=key, chain=shown))
            return None
        return self.resolve(parent, chain)

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


def span_keys(raw: str) -> list[str]:
    """The entry keys written in a block that could not be parsed, in order, without duplicates."""
    keys: dict[str, None] = {}
    for match in _SPAN_KEY.finditer(raw):
        if match.group(1).lower() not in ("string", "comment", "preamble"):
            keys.setdefault(match.group(2), None)
    return list(keys)


def _key_list(keys: list[str]) -> str:
    """"nyckeln 'a'" or "nycklarna 'a', 'b' och 'c'" (at most :data:`_MAX_KEYS_SHOWN`)."""
    shown = [f"'{key}'" for key in keys[:_MAX_KEYS_SHOWN]]
    if len(keys) > _MAX_KEYS_SHOWN:
        shown.append(f"{len(keys) - _MAX_KEYS_SHOWN} till")
    if len(shown) == 1:
        return f"nyckeln {shown[0]}"
    return "nycklarna " + ", ".join(shown[:-1]) + " och " + shown[-1]


def unreadable_keys(diagnostics: list[Diagnostic]) -> set[str]:
    """Keys written in entries that could not be read (KOP231), read back from those diagnostics.

    A citation of such a key is not an unknown key: its entry is broken, and the one
    KOP231 at the entry says so. The check pipeline adds these to the known keys so that
    the root cause is the only message. Read from the diagnostics because those are what
    the content cache keeps.
    """
    keys: set[str] = set()
    for diagnostic in diagnostics:
        if diagnostic.code == UNREADABLE_ENTRY.code:
            _, _, listed = diagnostic.message.rpartition(". Den innehåller ")
            keys.update(_SHOWN_KEY.findall(listed))
    return keys


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


def _typographic(text: str, shown_path: str, loader: _Loader) -> str:
    """KOP218 at each value Word's quotes delimit; the text as the author meant it (braces instead)."""
    text, found = typographic_delimiters(text)
    for item in found:
        where = f" i posten '{item.key}'" if item.key else ""
        inner = shorten(item.value, 120) if item.value is not None else "…"
        loader.report(TYPOGRAPHIC_DELIMITER.at(shown_path, item.line, item.column, field=item.field, where=where,
                                               name=NAMES[item.quote], fixed=f"{item.field} = {{{inner}}}"))
    return text


def load_bibliography(
    path: Path, text: str | None = None, display: str | None = None, memo: Memo | None = None
) -> tuple[dict[str, Reference], list[Diagnostic]]:
    """Load, validate and convert a BibTeX file; never raises.

    Returns the references by key (first entry wins for duplicate keys) and every
    problem found as diagnostics with 1-based lines. ``text`` replaces reading the
    file (for tests and editors); the file is otherwise read as bytes so that a
    non-UTF-8 file gets a clear message with the line of its first bad byte.
    ``memo`` holds what an earlier load parsed and converted (see :mod:`kop.bib.memo`).
    """
    shown_path = display or str(path)  # messages name the file as the author sees it (references.bib)
    loader = _Loader(shown_path, memo)
    # Parsing allocates hundreds of thousands of small acyclic objects; the cyclic garbage
    # collector would repeatedly traverse all of them for nothing (~30% of the load time).
    with collection_paused():
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
            source = _typographic(source, shown_path, loader)  # before comments: ”50% av…” is a value
            loader.run(_normalise(source))
        except (Exception, RecursionError) as error:  # never a traceback for the author
            loader.report(INTERNAL_ERROR.at(shown_path, 0, 0, what="referensfilen", error=_short(error)))
    # File order: entries are checked after the whole file is read (pass 3), their syntax problems before.
    return loader.references, sorted(loader.diagnostics, key=lambda diagnostic: diagnostic.line)
