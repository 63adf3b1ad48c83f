"""The sanitiser (nh3 on the built pages): strips active content, keeps all of our own markup."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from kop.core.project import load_project
from kop.site.build import prepare, run_engine
from kop.site.sanitize import SanitizeReport, clean_fragment, sanitize_page, sanitize_site

REPO = Path(__file__).resolve().parents[2]

PAYLOADS = [
    "<script>window.__xss=1</script>",
    "<img src=x onerror=window.__xss=1>",
    '"><svg onload=window.__xss=1>',
    '<svg><animate onbegin="window.__xss=1" attributeName="x" dur="1s"/></svg>',
    '<a href="javascript:window.__xss=1">x</a>',
    '<a href="&#x6A;avascript:window.__xss=1">x</a>',
    '<a href="java\tscript:window.__xss=1">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<iframe srcdoc="&lt;script&gt;window.__xss=1&lt;/script&gt;"></iframe>',
    '<object data="javascript:window.__xss=1"></object><embed src="x.swf">',
    '<div style="background:url(javascript:window.__xss=1)">x</div>',
    "<style>@import 'https://example.org/x.css';</style>",
    '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=1">',
    '<base href="https://example.org/">',
    '<link rel="stylesheet" href="https://example.org/x.css">',
    '<form action="https://example.org/steal" method="post"><input type="password" name="p"></form>',
    '<button formaction="javascript:window.__xss=1">b</button>',
    '<noscript><p title="</noscript><img src=x onerror=window.__xss=1>"></noscript>',
    '<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>',
    '<img src="https://example.org/track.png" alt="spårning">',
    '<a data-md-component="search" href="#x">x</a>',
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_lose_everything_active(payload):
    cleaned = clean_fragment(payload)
    soup = BeautifulSoup(cleaned, "html.parser")
    for tag in soup.find_all(True):
        assert tag.name not in {"script", "iframe", "object", "embed", "style", "meta", "base", "link", "animate",
                                "noscript"}
        for name, value in tag.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            assert not name.startswith("on"), cleaned
            assert not name.startswith("data-md-"), cleaned
            assert "javascript" not in value.lower() and "data:" not in value, cleaned
            assert "example.org" not in value or tag.name == "a", cleaned
        if tag.name == "form":
            assert tag.get("method", "get") == "get" and "action" not in tag.attrs
        if tag.name == "input":
            assert tag.get("type") != "password"


def test_our_markup_survives():
    fragment = (
        '<h2 id="resultat">Resultat<a class="headerlink" href="#resultat" title="Länk">¶</a></h2>'
        '<div class="admonition note"><p class="admonition-title">Obs</p><p>Text</p></div>'
        '<table><thead><tr><th scope="col" style="text-align: left;">A</th></tr></thead>'
        '<tbody><tr><td colspan="2">1</td></tr></tbody></table>'
        '<span class="kop-cite" data-cites="a b"><a href="#ref-a">Ahgren (2011)</a></span>'
        '<svg class="kop-prisma__svg" viewBox="0 0 640 402" role="img" aria-labelledby="t">'
        '<title id="t">PRISMA</title><desc>Flöde</desc><defs><marker id="pil" markerWidth="10" markerHeight="10" '
        'refX="5" refY="5" orient="auto"><path d="M0,0 L10,5 L0,10 z"></path></marker></defs>'
        '<g transform="translate(1,1)"><rect x="1" y="2" width="3" height="4" rx="2" fill="#fff" stroke="#000">'
        '</rect><text x="5" y="6" text-anchor="middle"><tspan dy="1">n = 5</tspan></text>'
        '<line x1="0" y1="0" x2="1" y2="1" marker-end="url(#pil)"></line><polyline points="0,0 1,1"></polyline>'
        "</g></svg>"
        '<form action="../sok/" method="get" role="search"><label for="q">Sök</label>'
        '<input id="q" type="search" name="q"><button type="submit">Sök</button></form>'
    )
    # only the inline style is re-serialised (ammonia normalises the declarations it keeps)
    assert clean_fragment(fragment) == fragment.replace('style="text-align: left;"', 'style="text-align:left"')


def test_region_cannot_be_closed_early_by_content():
    page = ('<html><head><script>material()</script></head><body><article class="md-content__inner md-typeset">'
            "<p>a</p></article><script>window.__xss=1</script><article><p>b</p>"
            '</article><footer></footer><script src="bundle.js"></script></body></html>')
    cleaned = sanitize_page(page)
    assert cleaned is not None
    assert "window.__xss" not in cleaned
    assert "<script>material()</script>" in cleaned and '<script src="bundle.js"></script>' in cleaned


def test_page_without_region_is_reported_not_touched(tmp_path):
    (tmp_path / "a.html").write_text("<p onclick=x>utan artikel</p>", encoding="utf-8")
    report = sanitize_site(tmp_path)
    assert report.no_region == ["a.html"] and report.cleaned == 0
    assert (tmp_path / "a.html").read_text(encoding="utf-8") == "<p onclick=x>utan artikel</p>"


def _inventory(html: str) -> Counter:
    start = html.index('<article class="md-content__inner md-typeset">')
    soup = BeautifulSoup(html[start : html.rindex("</article>")], "html.parser")
    return Counter(
        (tag.name, tuple(sorted((k, " ".join(v) if isinstance(v, list) else v)
                                for k, v in tag.attrs.items() if k != "markdown")))
        for tag in soup.find_all(True)
    )


@pytest.mark.slow
def test_shipped_content_loses_nothing_but_noscript(make_project, tmp_path):
    """Build the real overviews without sanitising, then check the sanitiser keeps every element and
    attribute of every page (only Python-Markdown's leftover ``markdown="0"`` and ``<noscript>``,
    which is a known mutation-XSS vector, are dropped)."""
    root = make_project({})
    shutil.rmtree(root / "overviews")
    shutil.copytree(REPO / "overviews", root / "overviews")
    shutil.copy(REPO / "references.bib", root / "references.bib")
    project = load_project(root)
    result, formatted = prepare(project)
    assert formatted is not None, result.diagnostics
    site = tmp_path / "raw-site"
    assert run_engine(project, site, strict=False) == []  # strictness of docs/ is test_build's business
    pages = sorted(site.rglob("*.html"))
    overview_pages = [p for p in pages if p.parent.parent.name == "oversikter"]
    assert len(overview_pages) >= 3
    for page in pages:
        raw = page.read_text(encoding="utf-8")
        cleaned = sanitize_page(raw)
        if page.name == "404.html" or page.parent == site:
            assert cleaned is not None
        if cleaned is None:
            continue
        before, after = _inventory(raw), _inventory(cleaned)
        lost = {k: v for k, v in (before - after).items() if k[0] != "noscript" and not _inside_noscript(raw, k)}
        assert not lost, (page.relative_to(site), lost)


def _inside_noscript(html: str, key: tuple) -> bool:
    soup = BeautifulSoup(html, "html.parser")
    return any(tag.find_parent("noscript") for tag in soup.find_all(key[0]))


def test_parallel_sanitising_matches_one_process(tmp_path):
    pages = {f"p{i}/index.html": ('<html><body><article class="md-content__inner md-typeset">'
                                  f'<p onclick="x{i}">Sida {i}</p></article></body></html>') for i in range(7)}
    pages["utan/index.html"] = "<p>ingen artikel</p>"
    reports = {}
    for workers in (1, 3):
        site = tmp_path / str(workers)
        for rel, text in pages.items():
            (site / rel).parent.mkdir(parents=True, exist_ok=True)
            (site / rel).write_text(text, encoding="utf-8")
        # in a fresh process: forking this one is unsafe if the session runs threads (Playwright)
        out = subprocess.run(
            [sys.executable, "-c", "import dataclasses, json, sys; from pathlib import Path; "
             "from kop.site.sanitize import sanitize_site; "
             "r = sanitize_site(Path(sys.argv[1]), workers=int(sys.argv[2])); "
             "print(json.dumps({k: v for k, v in dataclasses.asdict(r).items() if k != 'cache_entries'}))",
             str(site), str(workers)],
            capture_output=True, text=True, check=True, env={**os.environ, "PYTHONPATH": str(REPO / "scripts")})
        reports[workers] = SanitizeReport(**json.loads(out.stdout))
    assert reports[3] == reports[1]
    assert reports[1].cleaned == 7 and reports[1].no_region == ["utan/index.html"] and len(reports[1].changed) == 7
    for rel in pages:
        assert (tmp_path / "3" / rel).read_bytes() == (tmp_path / "1" / rel).read_bytes()
    assert "onclick" not in (tmp_path / "3" / "p5/index.html").read_text(encoding="utf-8")


def test_cached_regions_are_what_nh3_returns_and_unused_entries_go(tmp_path):
    page = ('<html><body><article class="md-content__inner md-typeset"><p onclick="x">{}</p>'
            "</article></body></html>")
    cache = tmp_path / "cache"
    site = tmp_path / "site"
    site.mkdir()
    for name in ("a", "b"):
        (site / f"{name}.html").write_text(page.format(name), encoding="utf-8")
    sanitize_site(site, workers=1, cache_dir=cache)
    first = {p.name: p.read_text(encoding="utf-8") for p in site.iterdir()}
    entries = cache / "sanitized"  # kop.sources.cache.ContentCache entries: pickled (key, cleaned region)
    assert len(list(entries.iterdir())) == 2 and "onclick" not in first["a.html"]
    # a hit is served from the cache: plant a marker in the entry for page a
    entry = next(p for p in entries.iterdir() if pickle.loads(p.read_bytes())[1] == "<p>a</p>")
    key, _ = pickle.loads(entry.read_bytes())
    entry.write_bytes(pickle.dumps((key, "<p>a från cachen</p>")))
    (site / "a.html").write_text(page.format("a"), encoding="utf-8")
    (site / "b.html").unlink()
    sanitize_site(site, workers=1, cache_dir=cache)
    assert "a från cachen" in (site / "a.html").read_text(encoding="utf-8")
    assert [p.name for p in entries.iterdir()] == [entry.name]  # b's entry was not used: pruned


# The one URL policy (issue 17): what a browser reads as another server is stripped from media
FOREIGN_MEDIA = [
    '<img src="\\/evil.example/t.png" alt="x">',
    '<img src="/\\evil.example/t.png" alt="x">',
    '<img src="/&#92;evil.example/t.png" alt="x">',
    '<img src="/\\/evil.example/t.png" alt="x">',
    '<img src=" //evil.example/t.png" alt="x">',
    '<img src="/\t/evil.example/t.png" alt="x">',
    '<img src="HTTPS://evil.example/t.png" alt="x">',
    '<img srcset="ok.png 1x, \\/evil.example/t.png 2x" alt="x">',
    '<picture><source srcset="/\\evil.example/t.png"><img src="ok.png" alt="x"></picture>',
]


@pytest.mark.parametrize("payload", FOREIGN_MEDIA)
def test_media_from_another_server_is_stripped_in_every_spelling(payload):
    cleaned = clean_fragment(payload)
    assert "evil.example" not in cleaned, cleaned
    assert "<img" in cleaned  # the element stays (with its alt text), only the address goes


@pytest.mark.parametrize("href", ["tel:123", "file:///etc/passwd", "ftp://example.org/", "java\nscript:x"])
def test_links_outside_the_url_policy_lose_their_address(href):
    cleaned = clean_fragment(f'<a href="{href}">x</a>')
    assert "href" not in cleaned, cleaned


def test_site_media_and_ordinary_links_are_kept():
    fragment = ('<p><img src="../../bilder/figur.png" srcset="../../bilder/figur.png 1x, ../../bilder/f2.png 2x" '
                'alt="Figur"><a href="https://example.org/">a</a><a href="mailto:a@example.org">b</a>'
                '<a href="../sida/#x">c</a></p>')
    assert clean_fragment(fragment) == fragment
