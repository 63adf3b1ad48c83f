"""Collapse same-author citations in a formatted cluster: "(Löfström, 2010a, 2010b)".

APA 7 (and the CSL style, ``collapse="year"``) names an author once for several works in
one parenthesis. Pandoc's citeproc does this only when the works have the same
``language``: a Swedish thesis and an English article by the same author came out as
"(Löfström, 2010a; Löfström, 2010b)". This module applies Pandoc's own rule to its HTML,
so the result is what Pandoc gives for works of one language:

- works whose names render the same join the group of the first such work, wherever it
  is in the cluster, and are written without the names;
- a work with its own prefix ("se …") or suffix is not joined;
- inside a group the works are separated by ", ", or by "; " when one of them has a
  locator ("2010a, s. 3; 2010b"); groups are separated by "; ".

One deliberate difference from Pandoc: in a cluster Pandoc sorts (no prefix, author not
in the text), works of one author and one year are put in year-suffix order, "2010a,
2010b", as APA 7 (8.12) orders them; Pandoc keeps the order they were cited in there.

Anything the module does not recognise is returned unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_OPEN = r'<a href="#ref-[^"]*" role="doc-biblioref">'
_INNER = r"[^<]*(?:<(?!/a>)[^<]*)*"
_ANCHOR = re.compile(rf"({_OPEN})({_INNER})</a>", re.S)
_DATE = r"(?:\d{4}[a-z]?(?:[–/-]\d{4}[a-z]?)?|u\.å\.(?:-[a-z])?|i tryck(?:-[a-z])?)"
_NAMED = re.compile(rf"^(?P<names>.+?), (?P<dated>(?P<date>{_DATE})(?P<locator>, .+)?)$", re.S)
_DATED = re.compile(rf"^(?P<dated>(?P<date>{_DATE})(?P<locator>, .+)?)$", re.S)


@dataclass
class _Work:
    open: str  # the <a …> tag
    dated: str  # the link text without the names: "2010a, s. 3"
    date: str
    located: bool


@dataclass
class _Group:
    names: str | None  # None: kept exactly as Pandoc wrote it (``verbatim``)
    pre: str = ""
    works: list[_Work] = field(default_factory=list)
    verbatim: str = ""

    def render(self, with_names: bool, ordered: bool) -> str:
        if self.names is None:
            return self.verbatim
        works = self.works
        if ordered:
            first_of_year = {}
            for i, work in enumerate(works):
                first_of_year.setdefault(work.date[:4], i)
            works = sorted(works, key=lambda w: (first_of_year[w.date[:4]], w.date if w.date[:4].isdigit() else ""))
        delimiter = "; " if any(w.located for w in works) else ", "
        parts = [f"{w.open}{w.dated}</a>" for w in works]
        if with_names:
            parts[0] = f"{works[0].open}{self.names}, {works[0].dated}</a>"
        return self.pre + delimiter.join(parts)


def collapse_cluster(html: str) -> str:
    """The cluster with same-author works collapsed (see the module docstring)."""
    if not html.endswith(")") or "(" not in html:
        return html
    open_at = html.index("(")
    outer, inner = html[: open_at + 1], html[open_at + 1 : -1]
    head_names = None
    if outer != "(":  # author in text: "Löfström (<a …>2010a</a>; …)"
        if not outer.endswith(" (") or "<" in outer:
            return html
        head_names = outer[:-2]
    pieces = _split(inner)
    if pieces is None:
        return html
    groups: list[_Group] = []
    by_names: dict[str, _Group] = {}
    ordered = head_names is None
    for i, piece in enumerate(pieces):
        parsed = _parse(piece)
        if parsed is None:
            return html
        pre, names, works, suffix = parsed
        if pre:
            ordered = False  # Pandoc keeps a cluster with a prefix in the order written
        if i == 0 and head_names is not None:
            if names is not None or suffix or pre:
                return html
            names = head_names
        elif names is None and not pre and not suffix and groups and groups[-1].names is not None:
            groups[-1].works += works  # "…, 2010a</a>; <a …>2010b, s. 4</a>": Pandoc's own collapse
            continue
        if names is None or suffix:
            groups.append(_Group(None, verbatim=piece))
            continue
        target = by_names.get(names)
        if target is not None and not pre:
            target.works += works
            continue
        groups.append(_Group(names, pre, works))
        by_names.setdefault(names, groups[-1])
    rendered = [group.render(not (j == 0 and head_names is not None), ordered) for j, group in enumerate(groups)]
    result = outer + "; ".join(rendered) + ")"
    return result


_TOKENS = re.compile(r"[<>]|; ")


def _split(inner: str) -> list[str] | None:
    """Split at "; " outside tags; None if the tags do not balance."""
    pieces, depth, start = [], 0, 0
    for m in _TOKENS.finditer(inner):
        token = m.group()
        if token == "<":
            depth += 1
        elif token == ">":
            depth -= 1
        elif depth == 0:
            pieces.append(inner[start : m.start()])
            start = m.end()
    pieces.append(inner[start:])
    return pieces if depth == 0 else None


def _parse(piece: str) -> tuple[str, str | None, list[_Work], bool] | None:
    """(prefix, names or None, works, has a suffix) of one "; "-separated part, or None."""
    anchors = list(_ANCHOR.finditer(piece))
    if not anchors:
        return None
    pre = piece[: anchors[0].start()]
    if "<" in pre or ">" in pre:
        return None
    works: list[_Work] = []
    names = None
    for j, m in enumerate(anchors):
        text = m.group(2)
        named = _NAMED.match(text) if j == 0 else None
        dated = named or _DATED.match(text)
        if dated is None:
            return pre, None, [], True  # not a date we know: keep the part as it is
        if named is not None:
            names = named.group("names")
        works.append(_Work(m.group(1), dated.group("dated"), dated.group("date"), bool(dated.group("locator"))))
        if j + 1 < len(anchors) and piece[m.end() : anchors[j + 1].start()] != ", ":
            return pre, None, [], True
    suffix = piece[anchors[-1].end() :] != ""
    return pre, names, works, suffix
