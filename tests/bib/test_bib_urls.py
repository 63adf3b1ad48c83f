"""BibTeX fields under the one URL policy and without control characters (KOP220–222)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kop.bib.load import load_bibliography


def diagnostics(fields: str) -> list[tuple[int, str]]:
    text = "@misc{nyckel2024,\n  title = {Titel},\n  year = {2024},\n" + fields + "}\n"
    _, diags = load_bibliography(Path("references.bib"), text=text, display="references.bib")
    return [(d.line, d.code) for d in diags if d.severity == "error"]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " java\tscript:alert(1)",
                                 "data:text/html,<script>alert(1)</script>", "vbscript:x", "file:///etc/passwd"])
def test_urls_that_are_no_web_address_are_refused_at_their_line(url):
    assert diagnostics(f"  url = {{{url}}}\n") == [(4, "KOP220")]


@pytest.mark.parametrize("url", ["https://example.org/rapport.pdf", "HTTP://example.org/", "http://example.org/a\\_b"])
def test_web_addresses_pass(url):
    assert diagnostics(f"  url = {{{url}}}\n") == []


@pytest.mark.parametrize("doi", ["10.1234/<script>", "10.1234/<script>alert(1)</script>", '10.1234/a"onmouseover=x',
                                 "10.1234/<img/src=x>", "https://doi.org/10.1234/%3Cscript%3E"])
def test_dois_with_html_or_quotes_are_refused_at_their_line(doi):
    assert diagnostics(f"  doi = {{{doi}}}\n") == [(4, "KOP221")]


@pytest.mark.parametrize("doi", ["10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0",
                                 "10.1186/s12913-019-4567-8", "https://doi.org/10.1000/xyz\\_1"])
def test_real_dois_pass_also_sici_style_ones(doi):
    assert diagnostics(f"  doi = {{{doi}}}\n") == []


@pytest.mark.parametrize("char", ["\x01", "\x1b", "\x7f", "\x85", "\u2028"])
def test_control_characters_in_a_field_are_refused_at_its_line(char):
    assert diagnostics(f"  note = {{Text{char}mer}}\n") == [(4, "KOP222")]


@pytest.mark.parametrize("field", ["  howpublished = {\\url{javascript:alert(1)}}\n",
                                   "  note = {Se \\href{data:text/html,x}{här}}\n"])
def test_latex_urls_in_any_field_follow_the_policy(field):
    assert diagnostics(field) == [(4, "KOP220")]


def test_latex_web_urls_pass():
    assert diagnostics("  howpublished = {\\url{https://example.org/stencil}}\n") == []
