"""The one URL policy: addresses normalised as a browser's URL parser does, then judged."""

from __future__ import annotations

import pytest

from kop.core.urlpolicy import control_character, link_allowed, media_allowed, normalise, parse, srcset_allowed

# Every spelling a browser reads as another server (backslashes, tabs, entities, case, spaces)
FOREIGN = [
    "/\\evil.example/t.png",
    "\\/evil.example/t.png",
    "/\\/evil.example/t.png",
    "\\\\evil.example/t.png",
    "//evil.example/t.png",
    " \t//evil.example/t.png",
    "/\t/evil.example/t.png",
    "/\n\\evil.example/t.png",
    "/&#92;evil.example/t.png",
    "&#x2F;&#x2F;evil.example/t.png",
    "HTTPS://evil.example/t.png",
    "https:\\\\evil.example/t.png",
    "http:evil.example/t.png",
    "\x01\x02//evil.example/t.png",
    "data:image/png;base64,AAAA",
    "JaVa&Tab;ScRiPt:alert(1)",
]
OWN = ["bilder/figur.png", "../../bilder/figur.png", "/assets/logo.svg", "figur.png?v=1#x", "./a b.png"]


@pytest.mark.parametrize("url", FOREIGN)
def test_media_from_anywhere_but_the_site_is_refused(url):
    assert not media_allowed(url)


@pytest.mark.parametrize("url", OWN)
def test_media_from_the_site_is_allowed(url):
    assert media_allowed(url)


def test_normalising_follows_the_whatwg_url_parser():
    assert normalise(" \x00/\\evil.example/\tx\n") == "//evil.example/x"
    assert normalise("HTTP:\\\\a\\b") == "http://a/b"
    assert normalise("mailto:a\\b@c") == "mailto:a\\b@c"  # not a special scheme: backslashes stay
    assert normalise("&#106;avascript:x") == "javascript:x"
    assert normalise("&#106;avascript:x", from_html=False) == "&#106;avascript:x"
    assert parse("/\\evil.example").has_host and parse("/\\evil.example").relative


@pytest.mark.parametrize(("url", "allowed"), [
    ("https://example.org/", True), ("HTTP://example.org/", True), ("mailto:a@example.org", True),
    ("../sida/", True), ("#avsnitt", True), ("//example.org/", True),
    ("javascript:alert(1)", False), ("java\tscript:alert(1)", False), ("  JAVASCRIPT:x", False),
    ("&#x6A;avascript&colon;x", False), ("vbscript:x", False), ("data:text/html,x", False),
    ("tel:123", False), ("ftp://example.org/", False), ("file:///etc/passwd", False),
])
def test_links_are_http_mailto_or_relative(url, allowed):
    assert link_allowed(url) is allowed


def test_every_srcset_candidate_counts():
    assert srcset_allowed("a.png 1x, b.png 2x")
    assert not srcset_allowed("a.png 1x, /\\evil.example/b.png 2x")
    assert not srcset_allowed("data:image/png;base64,AAAA 1x")


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b", "\x7f", "\x85", "\x9f", "\u2028", "\u2029", "\ud800",
                                  "\ufffe", "\uffff", "\r", "\x0b", "\x0c"])
def test_control_characters_are_found(char):
    assert control_character("ab" + char) == (2, f"U+{ord(char):04X}")


def test_tab_newline_and_ordinary_text_are_not_control_characters():
    assert control_character("Tabb\toch\nrad, åäö, emoji 🙂, NBSP\u00a0, mjukt bindestreck\u00ad") is None
