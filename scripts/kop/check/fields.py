"""Validate overview front matter: the JSON Schema first, then rules a schema cannot say.

Every problem becomes a :class:`Diagnostic` at the exact YAML key; nothing is raised
and nothing stops early, so an author sees every problem of every file in one run.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from kop.core.catalogue import message
from kop.core.messages import did_you_mean
from kop.core.model import Diagnostic, Overview
from kop.core.slugs import is_slug, slugify
from kop.schema.load import overview_quick_check, overview_validator, resolved_schema

if TYPE_CHECKING:  # jsonschema is imported only for a front matter that may be invalid (kop.schema.quick)
    import jsonschema
    from jsonschema import Draft202012Validator

REQUIRED = message("KOP110")
UNKNOWN_FIELD = message("KOP111")
WRONG_TYPE = message("KOP112")
NOT_IN_VOCABULARY = message("KOP113")
BAD_FORMAT = message("KOP114")
BAD_LENGTH = message("KOP115")
BAD_DATE = message("KOP116")
SCHEMA_OTHER = message("KOP119")
BAD_SLUG = message("KOP120")
DUPLICATE_ID = message("KOP121")
FUTURE_DATE = message("KOP122")
UPDATED_BEFORE_PUBLISHED = message("KOP123")
UNKNOWN_RELATED = message("KOP124")
UNKNOWN_ARTICLE = message("KOP125")
BAD_ORCID = message("KOP126")
TOO_MANY_WORDS = message("KOP127")
PRISMA_MISMATCH = message("KOP128")
UNKNOWN_FINDING_REFERENCE = message("KOP129")
MISSING_PUBLISHED = message("KOP130")
SELF_RELATED = message("KOP131")
PERIOD_REVERSED = message("KOP132")
STRENGTH_REMOVED = message("KOP160")
NO_CERTAINTY = message("KOP161")
UNKNOWN_GRADE_SOURCE = message("KOP162")
UNKNOWN_INCLUDED_STUDY = message("KOP163")
DUPLICATE_INCLUDED_STUDY = message("KOP164")

# A finding field that no longer exists: its own message (KOP160) instead of "unknown field".
REMOVED_FINDING_FIELD = "strength"

_TYPE_NAMES = {
    "string": "en text",
    "array": "en lista",
    "object": "en grupp av fält",
    "integer": "ett heltal",
    "number": "ett tal",
    "boolean": "true eller false",
    "null": "tomt",
}
_TYPE_EXAMPLES = {
    "array": "Skriv en lista med ett '- ' först på varje rad, till exempel:\n  area:\n    - barn och unga",
    "string": "Skriv värdet som text, gärna inom citattecken.",
    "integer": "Skriv ett heltal utan mellanslag eller tecken, till exempel 1005.",
    "object": "Skriv fälten indragna under namnet, se mallen overviews/_mall.md.",
    "boolean": "Skriv true eller false.",
}


def _python_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


def field_name(path: Iterable[Any]) -> str:
    """Render a key path as authors read it: ``authors[2].orcid``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "front matter"


# The validator is built once, in kop.schema.load; this name stays for tests that clear its cache.
_validator = overview_validator


@lru_cache(maxsize=1)
def _summary_word_limit() -> int:
    return int(resolved_schema()["properties"]["summary"].get("x-kop-max-words", 200))


def _is_finding(path: tuple[Any, ...]) -> bool:
    return len(path) == 2 and path[0] == "findings" and isinstance(path[1], int)


def schema_diagnostics(ov: Overview, display: str, validator: Draft202012Validator | None = None) -> list[Diagnostic]:
    """Check one document's front matter against a JSON Schema (default: the overview schema).

    ``ov`` is any loaded document with ``meta`` and ``pos()`` (overviews, seminars), so every
    content type gets the same Swedish messages at the exact YAML key.
    """
    out: list[Diagnostic] = []
    if validator is None:
        quick = overview_quick_check()  # certainly valid: no jsonschema (its import and its walk)
        if quick is not None and quick(ov.meta):
            return out
        validator = overview_validator()
    for err in sorted(validator.iter_errors(ov.meta), key=lambda e: [str(p) for p in e.absolute_path]):
        out.extend(_schema_error(err, ov, display))
    return out


def _schema_error(err: jsonschema.ValidationError, ov: Overview, display: str) -> list[Diagnostic]:
    path = tuple(err.absolute_path)
    name = field_name(path)
    schema = err.schema if isinstance(err.schema, dict) else {}
    kind = err.validator
    if kind == "required":
        missing = [f for f in err.validator_value if f not in (err.instance or {})]
        parent_line, _ = ov.pos(*path)
        return [
            REQUIRED.at(display, parent_line if path else 1, 1, field=field_name((*path, f)))
            for f in missing
        ]
    if kind == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        extra = [k for k in err.instance if k not in allowed]
        out = []
        for key in extra:
            line, col = ov.pos(*path, key)
            if key == REMOVED_FINDING_FIELD and _is_finding(path):
                out.append(STRENGTH_REMOVED.at(display, line, col, value=err.instance[key]))
                continue
            out.append(
                UNKNOWN_FIELD.at(display, line, col, field=field_name((*path, key)),
                                 suggestion=did_you_mean(key, allowed), allowed=", ".join(allowed))
            )
        return out
    line, col = ov.pos(*path)
    value = err.instance
    if kind == "anyOf" and _is_finding(path):
        # a finding needs certainty or source_grade; an old file's strength already has KOP160
        has_old_field = isinstance(value, dict) and REMOVED_FINDING_FIELD in value
        return [] if has_old_field else [NO_CERTAINTY.at(display, line, col)]
    if kind == "type":
        expected = schema.get("type")
        expected_name = _TYPE_NAMES.get(expected, str(expected))
        actual = _TYPE_NAMES.get(_python_type(value), "tomt")
        return [WRONG_TYPE.at(display, line, col, field=name, expected=expected_name, actual=actual,
                              example=_TYPE_EXAMPLES.get(expected, ""))]
    if kind == "enum":
        allowed = [str(v) for v in err.validator_value]
        return [NOT_IN_VOCABULARY.at(display, line, col, value=value, field=name,
                                     suggestion=did_you_mean(str(value), allowed), allowed=", ".join(allowed))]
    if kind == "pattern":
        expected = schema.get("x-kop-pattern-hint", f"mönstret {err.validator_value}")
        return [BAD_FORMAT.at(display, line, col, field=name, value=value, expected=expected)]
    if kind == "format":
        return [BAD_DATE.at(display, line, col, field=name, value=value)]
    if kind in ("minItems", "maxItems", "minLength", "maxLength", "minimum", "maximum", "uniqueItems",
                "minProperties"):
        problem, fix = _length_problem(kind, err.validator_value)
        return [BAD_LENGTH.at(display, line, col, field=name, problem=problem, fix=fix)]
    return [SCHEMA_OTHER.at(display, line, col, field=name, problem=err.message)]


def _length_problem(kind: str, limit: Any) -> tuple[str, str]:
    return {
        "minItems": (f"måste ha minst {limit} {'del' if limit == 1 else 'delar'}", "Lägg till fler rader i listan."),
        "maxItems": (f"får ha högst {limit} delar", "Ta bort rader ur listan."),
        "minLength": (f"är för kort (minst {limit} tecken)", "Skriv ut texten."),
        "maxLength": (f"är för långt (högst {limit} tecken)", "Korta texten."),
        "minimum": (f"är för litet (minst {limit})", "Rätta värdet."),
        "maximum": (f"är för stort (högst {limit})", "Rätta värdet."),
        "uniqueItems": ("innehåller samma värde två gånger", "Ta bort dubbletten."),
        "minProperties": ("är tomt", "Fyll i minst ett av fälten under det, eller ta bort det."),
    }[kind]


def orcid_checksum_ok(orcid: str) -> bool:
    """ISO 7064 MOD 11-2 check digit, as ORCID specifies."""
    digits = orcid.replace("-", "")
    if not re.fullmatch(r"[0-9]{15}[0-9X]", digits):
        return False
    total = 0
    for ch in digits[:-1]:
        total = (total + int(ch)) * 2
    check = (12 - total % 11) % 11
    return digits[-1] == ("X" if check == 10 else str(check))


def _parse_date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def rule_diagnostics(ov: Overview, display: str, today: date, bib_keys: Collection[str]) -> list[Diagnostic]:
    """Checks that need more than the schema: dates, ORCID, word counts, PRISMA, references."""
    meta = ov.meta
    out: list[Diagnostic] = []

    if not is_slug(ov.slug):
        out.append(BAD_SLUG.at(display, 1, 1, name=ov.slug + ".md",
                               suggestion=slugify(str(meta.get("title") or ov.slug)) or "min-oversikt"))

    reviews = meta.get("review")
    review_dates = [("review", i, "date") for i in range(len(reviews))] if isinstance(reviews, list) else []
    for field_path in (("published",), ("updated",), ("search", "date"), *review_dates):
        value = meta
        for part in field_path:
            if isinstance(part, int):
                value = value[part] if isinstance(value, list) else None
            else:
                value = value.get(part) if isinstance(value, dict) else None
        parsed = _parse_date(value)
        if parsed and parsed > today:
            line, col = ov.pos(*field_path)
            out.append(FUTURE_DATE.at(display, line, col, value=value, field=field_name(field_path)))
    published, updated = _parse_date(meta.get("published")), _parse_date(meta.get("updated"))
    if published and updated and updated < published:
        line, col = ov.pos("updated")
        out.append(UPDATED_BEFORE_PUBLISHED.at(display, line, col, updated=updated, published=published))
    status = meta.get("status")
    if isinstance(status, str) and status != "utkast" and "published" not in meta:
        line, col = ov.pos("status")
        out.append(MISSING_PUBLISHED.at(display, line, col, status=status))

    for i, author in enumerate(meta.get("authors") or []):
        orcid = author.get("orcid") if isinstance(author, dict) else None
        well_formed = isinstance(orcid, str) and re.fullmatch(r"[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]", orcid)
        if well_formed and not orcid_checksum_ok(orcid):
            line, col = ov.pos("authors", i, "orcid")
            out.append(BAD_ORCID.at(display, line, col, value=orcid))

    summary = meta.get("summary")
    limit = _summary_word_limit()
    if isinstance(summary, str):
        count = len(summary.split())
        if count > limit:
            line, col = ov.pos("summary")
            out.append(TOO_MANY_WORDS.at(display, line, col, count=count, limit=limit))

    out.extend(_prisma(ov, display))

    period = (meta.get("search") or {}).get("period") if isinstance(meta.get("search"), dict) else None
    if isinstance(period, dict):
        start, end = period.get("from"), period.get("to")
        if isinstance(start, int) and isinstance(end, int) and start > end:
            line, col = ov.pos("search", "period")
            out.append(PERIOD_REVERSED.at(display, line, col, start=start, end=end))

    out.extend(_finding_keys(ov, display, bib_keys))
    out.extend(_included_studies(ov, display, bib_keys))
    article = meta.get("article")
    if isinstance(article, str) and article.lstrip("@") not in bib_keys:
        line, col = ov.pos("article")
        out.append(UNKNOWN_ARTICLE.at(display, line, col, key=article,
                                      suggestion=did_you_mean(article.lstrip("@"), bib_keys)))
    return out


def _finding_keys(ov: Overview, display: str, bib_keys: Collection[str]) -> list[Diagnostic]:
    """Every finding's references (KOP129) and the source of its source grade (KOP162) are in references.bib."""
    out: list[Diagnostic] = []
    findings = ov.meta.get("findings")
    for i, finding in enumerate(findings if isinstance(findings, list) else []):
        if not isinstance(finding, dict):
            continue
        refs = finding.get("references")
        for j, key in enumerate(refs if isinstance(refs, list) else []):
            if isinstance(key, str) and key.lstrip("@") not in bib_keys:
                line, col = ov.pos("findings", i, "references", j)
                out.append(UNKNOWN_FINDING_REFERENCE.at(display, line, col, key=key,
                                                        suggestion=did_you_mean(key.lstrip("@"), bib_keys)))
        grade = finding.get("source_grade")
        source = grade.get("source") if isinstance(grade, dict) else None
        if isinstance(source, str) and source and source.lstrip("@") not in bib_keys:
            line, col = ov.pos("findings", i, "source_grade", "source")
            out.append(UNKNOWN_GRADE_SOURCE.at(display, line, col, key=source,
                                               suggestion=did_you_mean(source.lstrip("@"), bib_keys)))
    return out


def _included_studies(ov: Overview, display: str, bib_keys: Collection[str]) -> list[Diagnostic]:
    """Each included study is in references.bib (KOP163) and listed once (KOP164)."""
    out: list[Diagnostic] = []
    studies = ov.meta.get("included_studies")
    first: dict[str, int] = {}
    for i, study in enumerate(studies if isinstance(studies, list) else []):
        key = study.get("key") if isinstance(study, dict) else None
        if not isinstance(key, str) or not key:
            continue
        line, col = ov.pos("included_studies", i, "key")
        bare = key.lstrip("@")
        if bare not in bib_keys:
            out.append(UNKNOWN_INCLUDED_STUDY.at(display, line, col, key=key,
                                                 suggestion=did_you_mean(bare, bib_keys)))
        if bare in first:
            out.append(DUPLICATE_INCLUDED_STUDY.at(display, line, col, key=key, first=first[bare]))
        else:
            first[bare] = line
    return out


def _prisma(ov: Overview, display: str) -> list[Diagnostic]:
    p = ov.meta.get("prisma")
    if not isinstance(p, dict) or not all(isinstance(v, int) and not isinstance(v, bool) for v in p.values()):
        return []
    problems: list[str] = []
    ident, dup, scr = p.get("identified"), p.get("duplicates_removed"), p.get("screened")
    scr_ex, ft = p.get("screened_excluded"), p.get("full_text_assessed")
    ft_ex, inc = p.get("full_text_excluded"), p.get("included")
    if ident is not None and scr is not None:
        if dup is not None and ident - dup != scr:
            problems.append(
                f"identifierade ({ident}) minus dubbletter ({dup}) är {ident - dup}, men granskade är {scr}")
        elif dup is None and scr > ident:
            problems.append(f"granskade ({scr}) är fler än identifierade ({ident})")
    if scr is not None and ft is not None:
        if scr_ex is not None and scr - scr_ex != ft:
            problems.append(
                f"granskade ({scr}) minus exkluderade ({scr_ex}) är {scr - scr_ex}, men bedömda i fulltext är {ft}")
        elif ft > scr:
            problems.append(f"bedömda i fulltext ({ft}) är fler än granskade ({scr})")
    if ft is not None and inc is not None:
        if ft_ex is not None and ft - ft_ex != inc:
            problems.append(
                f"bedömda i fulltext ({ft}) minus exkluderade i fulltext ({ft_ex}) är {ft - ft_ex}, "
                f"men inkluderade är {inc}")
        elif inc > ft:
            problems.append(f"inkluderade ({inc}) är fler än bedömda i fulltext ({ft})")
    line, col = ov.pos("prisma")
    return [PRISMA_MISMATCH.at(display, line, col, problem=problem) for problem in problems]


def next_free_id(year: int, used: Iterable[str]) -> str:
    """The next unused ``kop-YEAR-NNN`` id."""
    numbers = [int(u.rsplit("-", 1)[1]) for u in used if isinstance(u, str) and u.startswith(f"kop-{year}-")
               and u.rsplit("-", 1)[1].isdigit()]
    return f"kop-{year}-{(max(numbers, default=0) + 1):03d}"


def cross_diagnostics(overviews: list[Overview], displays: dict[str, str], today: date) -> list[Diagnostic]:
    """Checks across files: unique ids and ``related`` pointing at existing overviews."""
    out: list[Diagnostic] = []
    first: dict[str, Overview] = {}
    ids = [ov.meta.get("id") for ov in overviews if isinstance(ov.meta.get("id"), str)]
    for ov in overviews:
        oid = ov.meta.get("id")
        if not isinstance(oid, str):
            continue
        if oid in first:
            line, col = ov.pos("id")
            out.append(DUPLICATE_ID.at(displays[ov.slug], line, col, id=oid, other=displays[first[oid].slug],
                                       next_id=next_free_id(today.year, ids)))
        else:
            first[oid] = ov
    for ov in overviews:
        related = ov.meta.get("related")
        if not isinstance(related, list):
            continue
        for i, rid in enumerate(related):
            if not isinstance(rid, str):
                continue
            line, col = ov.pos("related", i)
            if rid == ov.meta.get("id"):
                out.append(SELF_RELATED.at(displays[ov.slug], line, col, id=rid))
            elif rid not in first:
                suggestion = did_you_mean(rid, first)
                out.append(UNKNOWN_RELATED.at(displays[ov.slug], line, col, id=rid, suggestion=suggestion))
    return out
