"""The search vocabulary: the words of the indexed pages, Swedish stems and compound parts.

Pagefind answers a word it does not know with the longest prefix it does know (its
"backtracking"): "Försäkringskassan" becomes "för" and matches every page. The search
page therefore checks each query word against the site's own words first, shipped as
``sok/ord.json`` (:func:`vocabulary_json`); a word that is not there gives "Inga träffar"
and spelling suggestions instead of a list of all pages.

Pagefind stems Swedish but does not split compounds. At index time every indexed page
gets the parts of its compounds as hidden words (:func:`compound_parts`), split against
the site's own vocabulary, so that "samverkan" also finds a page that only says
"samverkansprojekt". Stems are Snowball's Swedish stemmer (pystemmer), the algorithm
Pagefind uses too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import lru_cache
from html.parser import HTMLParser

import Stemmer

#: A word: letters only (numbers and punctuation are not searched for by spelling).
WORD_RE = re.compile(r"[^\W\d_]+")
#: A compound part has at least this many letters ("för", "och" are never parts).
MIN_PART = 4
#: Letters that join the parts of a Swedish compound (samverkan-s-projekt, flick-e-bok).
LINKING = ("s", "e", "a", "u", "o")
#: Endings and particles that look like words but are not compound parts (verksam+heten, till+sammans).
NOT_PARTS = frozenset({"ande", "ende", "anden", "enden", "heten", "heter", "hets", "else", "elser", "ning", "ningen",
                       "ningar", "lighet", "ligheten", "skap", "skapet", "inne", "aren", "arna", "erna", "orna",
                       "sammans", "före", "följ", "klar", "beskriv", "hållare", "läsning", "plats", "fälts"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                  "wbr"})


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("swedish")


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """Snowball's Swedish stem, memoised: compound splitting asks for the same tails again and again."""
    return _stemmer().stemWord(word.lower())


def words(text: str) -> list[str]:
    """The lower-case words of ``text`` (letters only)."""
    return [w.lower() for w in WORD_RE.findall(text)]


class _ArticleText(HTMLParser):
    """Text inside the indexed root element, without the excluded elements (as Pagefind reads it).

    Open root and excluded elements are counted rather than searched for on every piece of
    text, so a page is read in time linear in its length.
    """

    def __init__(self, root_class: str, excluded: Iterable[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.root_class = root_class
        self.excluded = set(excluded)
        self.stack: list[tuple[bool, bool]] = []  # (is root, is excluded) per open element
        self.open_roots = 0
        self.open_excluded = 0
        self.parts: list[str] = []
        self.areas: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        classes = set((attr.get("class") or "").split())
        if attr.get("data-pagefind-filter") == "area[data-kop-value]" and attr.get("data-kop-value"):
            self.areas.append(str(attr["data-kop-value"]))
        if tag in VOID:
            return
        entry = (tag == "article" and self.root_class in classes, bool(classes & self.excluded))
        self.stack.append(entry)
        self.open_roots += entry[0]
        self.open_excluded += entry[1]

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.stack:
            root, excluded = self.stack.pop()
            self.open_roots -= root
            self.open_excluded -= excluded

    def handle_data(self, data: str) -> None:
        if self.open_roots and not self.open_excluded:
            self.parts.append(data)


#: Elements whose content HTMLParser (or a browser) does not read as markup: a page prefix that
#: leaves one of them open cannot be skipped.
_RAW_TEXT = ("script", "style", "title", "textarea", "noscript", "xmp", "iframe", "noembed", "noframes")
_ARTICLE_RE = re.compile(r"<article\b[^>]*>", re.IGNORECASE)


def _skippable_prefix(page_html: str, root_class: str, excluded: Iterable[str]) -> int:
    """Where parsing may start: the first root article, when nothing before it can matter, else 0.

    The page before the article (head, header, navigation: a fifth of an overview page) holds
    no indexed text. It is skipped only when that is certain: the first ``<article>`` is the
    root, and the prefix names no excluded class and no area filter, opens no comment and
    leaves no raw-text element open. Then the article's parse is exactly the whole page's.
    """
    found = _ARTICLE_RE.search(page_html)
    if not found:
        return 0
    classes = re.search(r'\sclass="([^"]*)"', found.group(0))
    if not classes or root_class not in classes.group(1).split():
        return 0
    prefix = page_html[:found.start()]
    if "data-pagefind-filter" in prefix or "<!" in prefix.replace("<!DOCTYPE", "").replace("<!doctype", ""):
        return 0
    if any(name in prefix for name in excluded):
        return 0
    low = prefix.lower()
    if any(low.count(f"<{tag}") != low.count(f"</{tag}") for tag in _RAW_TEXT):
        return 0
    return found.start()


def _parse(page_html: str, root_class: str, excluded: Iterable[str]) -> tuple[str, list[str]]:
    parser = _ArticleText(root_class, excluded)
    parser.feed(page_html)
    parser.close()
    return " ".join(parser.parts), parser.areas


def page_text(page_html: str, root_class: str, excluded: Iterable[str]) -> tuple[str, list[str]]:
    """The indexed text of one built page and the areas its filter markup names."""
    excluded = list(excluded)
    return _parse(page_html[_skippable_prefix(page_html, root_class, excluded):], root_class, excluded)


def page_words(page_html: str, root_class: str, excluded: Iterable[str]) -> tuple[list[str], list[str]]:
    """The distinct words of one built page (sorted) and its areas: all the index needs of a page."""
    text, areas = page_text(page_html, root_class, excluded)
    return sorted(set(words(text))), areas


def split_compound(word: str, known: set[str], known_stems: set[str]) -> tuple[str, str] | None:
    """Split ``word`` into a known head and a known tail (longest head first), or None.

    The head is a word of the site, possibly followed by a linking letter
    (samverkan+s); the tail is a word of the site in any inflection (its stem is known).
    """
    word = word.lower()
    for cut in range(len(word) - MIN_PART, MIN_PART - 1, -1):
        head, tail = word[:cut], word[cut:]
        if tail in NOT_PARTS:
            continue
        if tail in known or stem(tail) in known_stems:
            if head in known and head not in NOT_PARTS:
                return head, tail
            if head[-1] in LINKING and len(head) - 1 >= MIN_PART and head[:-1] in known and head[:-1] not in NOT_PARTS:
                return head[:-1], tail
    return None


def compound_splits(known: set[str]) -> dict[str, tuple[str, str]]:
    """Every word of the site that is a compound of two other words of the site, with its parts."""
    known_stems = {stem(w) for w in known}
    splits = {}
    for word in known:
        if len(word) >= 2 * MIN_PART:
            split = split_compound(word, known, known_stems)
            if split:
                splits[word] = split
    return splits


def compound_parts(page_words: Iterable[str], splits: dict[str, tuple[str, str]]) -> list[str]:
    """The parts of the page's compounds that the page does not already contain, sorted."""
    present = set(page_words)
    parts = {part for word in present if word in splits for part in splits[word]}
    return sorted(parts - present)


def vocabulary_json(all_words: Iterable[str], areas: dict[str, str]) -> str:
    """``sok/ord.json``: the site's words (for the query check and suggestions) and its areas."""
    data = {
        "words": sorted({w for w in all_words if len(w) >= 2}),
        "areas": [{"name": name, "url": url} for name, url in sorted(areas.items())],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
