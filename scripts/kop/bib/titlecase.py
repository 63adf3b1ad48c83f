"""Title Case in English titles, and the sentence-case form APA 7 wants (KOP232).

Zotero stores English titles as the databases deliver them, usually in Title Case
("Evidence-Based Practice in Social Work"), and its BibTeX export keeps that. APA 7 wants
sentence case: a capital only for the first word, the first word after a colon and
proper nouns. Which words are proper nouns is something only the author knows, so this
module only *suggests*: it lowercases capitalised words outside braces and leaves alone
what BibTeX protects (``{Sweden}``), acronyms (``ADHD``), words with a capital inside
(``McDonald``) and LaTeX commands. The value is the raw (still LaTeX) field, so the
suggestion can be pasted back into references.bib as it is.
"""

from __future__ import annotations

import re

_ENGLISH_LANGUAGES = frozenset({"english", "american", "british", "canadian", "australian", "newzealand",
                                "en", "eng", "en-us", "en-gb", "en-au", "en-ca", "usenglish", "ukenglish"})
# Small words that only an English title has (none is a Swedish word written alone).
_ENGLISH_WORDS = frozenset({"the", "of", "and", "for", "with", "from", "among", "between", "towards", "toward",
                            "what", "how", "why", "does", "is", "are", "its", "their", "into", "an", "a", "on",
                            "in", "to", "at", "by", "or"})
# Minor words Title Case leaves lowercase; they are not evidence of Title Case.
_MINOR = frozenset({"a", "an", "the", "and", "but", "or", "nor", "for", "so", "yet", "as", "at", "by", "in", "of",
                    "off", "on", "per", "to", "up", "via", "from", "into", "with", "than", "over"})
_SWEDISH_LETTERS = re.compile(r"[åäöÅÄÖ]|\\[\"r]\s*\{?\s*[aoAO]")
_WORD = re.compile(r"[^\W\d_][\w'’]*", re.UNICODE)
_INNER_GROUP = re.compile(r"\{[^{}]*\}")  # a braced group without braces inside (enough to skip names)
_SENTENCE_END = re.compile(r"[:?!.]\s*$|[—–]\s*$")


def is_english(fields: dict[str, str]) -> bool:
    """True when the entry says it is English, or says nothing and its title looks English."""
    for name in ("langid", "language"):
        value = fields.get(name, "").strip().strip("{}").lower()
        if value:
            return value.replace("_", "-") in _ENGLISH_LANGUAGES
    title = fields.get("title", "")
    if _SWEDISH_LETTERS.search(title):
        return False
    words = {word.lower() for word in _WORD.findall(_INNER_GROUP.sub(" ", title))}
    return bool(words & _ENGLISH_WORDS)


def _segments(value: str) -> list[tuple[str, bool]]:
    """Split into (text, protected) runs: braced groups and LaTeX commands are protected."""
    out: list[tuple[str, bool]] = []
    depth, start, i = 0, 0, 0
    while i < len(value):
        char = value[i]
        if char == "\\" and depth == 0:
            match = re.match(r"\\(?:[A-Za-z]+|.)", value[i:])
            if start < i:
                out.append((value[start:i], False))
            end = i + (len(match.group()) if match else 1)
            out.append((value[i:end], True))
            start = i = end
            continue
        if char == "{":
            if depth == 0 and start < i:
                out.append((value[start:i], False))
                start = i
            depth += 1
        elif char == "}" and depth > 0:
            depth -= 1
            if depth == 0:
                out.append((value[start : i + 1], True))
                start = i + 1
        elif char == "\\":
            i += 1  # an escaped character inside braces
        i += 1
    if start < len(value):
        out.append((value[start:], depth > 0))
    return out


def _changeable(word: str) -> bool:
    """A capitalised word that sentence case lowercases: not an acronym, no capital inside, not "I"."""
    return word == "A" or (len(word) > 1 and word[0].isupper() and word[1:] == word[1:].lower())


def might_be_title_case(title: str) -> bool:
    """A cheap first look (most titles stop here): Title Case has the first word and two more capitalised."""
    count = 0
    for word in title.split():
        if len(word) > 1 and word[0].isupper() and word[1].islower():
            count += 1
            if count == 3:
                return True
    return False


def title_case_suggestion(title: str) -> str | None:
    """The sentence-case form of ``title`` when it is in Title Case, else None."""
    if not might_be_title_case(title):
        return None
    words: list[tuple[int, int]] = []  # (start, end) in ``title`` of every word outside braces
    offset = 0
    for text, protected in _segments(title):
        if not protected:
            words.extend((offset + m.start(), offset + m.end()) for m in _WORD.finditer(text))
        offset += len(text)
    if len(words) < 3:
        return None
    # The first word, and the first word after ':' '?' '!' '.' or a dash, keep their capital.
    keep = {start for start, _ in words[:1]}
    keep |= {start for start, _ in words if _SENTENCE_END.search(title[max(start - 8, 0):start])}
    significant = [title[a:b] for a, b in words if a not in keep and title[a:b].lower() not in _MINOR]
    significant = [w for w in significant if not (w.isupper() and len(w) > 1)]  # acronyms say nothing
    capitalised = [w for w in significant if w[0].isupper()]
    if len(capitalised) < 2 or len(capitalised) < 0.75 * len(significant):
        return None
    out, last = [], 0
    for start, end in words:
        word = title[start:end]
        out.append(title[last:start])
        out.append(word if start in keep or not _changeable(word) else _lower_parts(word))
        last = end
    out.append(title[last:])
    suggestion = "".join(out)
    return suggestion if suggestion != title else None


def _lower_parts(word: str) -> str:
    """Lowercase a capitalised word (``Evidence`` → ``evidence``); hyphen parts come as separate words."""
    return word[0].lower() + word[1:]
