"""XSS payloads in every contributed place, loaded in headless Chromium: no dialog, no payload script runs.

Front-matter and BibTeX payloads are legitimate text: they must be *shown*, escaped. Body payloads
must be rejected by the validator (KOP4xx); to prove the sanitiser is the second line of defence
the site is then built with the validator's active-content rule switched off for the body.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import FIXTURES, REPO

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VALID = FIXTURES / "valid" / "testoversikt.md"
TITLE = '</script><script>alert(1)</script>"><svg onload=alert(1)> {{ 7*7 }} Titel'
AUTHOR = "<img src=x onerror=alert(1)>"
KEYWORD = '"><script>window.__xss=1</script>'
SUMMARY = "<script>window.__xss=1</script> Sammanfattning {% raw %}"
STATEMENT = "<iframe src=javascript:alert(1)></iframe> Samverkan tar tid."
BIB_TITLE = "<img src=x onerror=alert(1)> och </title><script>alert(1)</script>"
BODY_PAYLOADS = [
    ("<script>alert(1)</script>", "KOP401"),
    ("<img src=x onerror=alert(1)>", "KOP402"),
    ('"><svg onload=alert(1)>', "KOP402"),
    ("[klicka](javascript:alert(1))", "KOP403"),
    ('<a id="entity" href="&#x6A;avascript&colon;alert(1)">entitet</a>', "KOP403"),
    ("<iframe src=\"javascript:alert(1)\"></iframe>", "KOP401"),
    ("<details open ontoggle=window.__xss=1><summary>x</summary></details>", "KOP402"),
    ('## Rubrik {: onmouseover="alert(1)" }', "KOP402"),
    ('<div style="background:url(javascript:alert(1))">stil</div>', "KOP404"),
    ("<object data=\"javascript:alert(1)\"></object>", "KOP401"),
    ('<form action="javascript:alert(1)"><button id="knapp">b</button></form>', "KOP406"),
    ('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', "KOP405"),
    ('<svg><animate onbegin=alert(1) attributeName=x dur=1s /></svg>', "KOP401"),
    ("<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>", "KOP402"),
    ("{{ 7*7 }} och {% raw %}", None),
    # third-party requests (issue 17): what a browser reads as another server, in every spelling
    ("![spårning](/\\evil.example/md-backslash.png)", "KOP411"),
    ("![spårning](\\/evil.example/md-backslash2.png)", "KOP411"),
    ("![spårning](//evil.example/md-protocol-relative.png)", "KOP411"),
    ("![spårning](https://evil.example/md-absolute.png)", "KOP411"),
    ('<img src="\\/evil.example/img-backslash.png" alt="spårning">', "KOP411"),
    ('<img src="/&#92;evil.example/img-entity.png" alt="spårning">', "KOP411"),
    ('<img src="/\t/evil.example/img-tab.png" alt="spårning">', "KOP411"),
    ('<img alt="s" srcset="/\\evil.example/srcset.png 1x">', "KOP411"),
    ('<picture><source srcset="\\/evil.example/source.png"><img alt="s"></picture>', "KOP411"),
    ('<video src="//evil.example/video.mp4" poster="/\\evil.example/poster.png"></video>', "KOP411"),
    ('<audio src="\\/evil.example/audio.mp3" autoplay></audio>', "KOP411"),
    ('<svg><image href="//evil.example/svg-image.png"/></svg>', "KOP411"),
    ("![referensbild][evilref]", None),
    ("[evilref]: /\\evil.example/md-reference.png", "KOP411"),
    ('<div style="background:url(//evil.example/css-url.png)">stil</div>', "KOP404"),
    ("<style>body{background:url(/\\evil.example/style.png)}</style>", "KOP404"),
    ('<link rel="stylesheet" href="\\/evil.example/link.css">', "KOP405"),
    ('<input type="image" src="//evil.example/input.png" alt="x">', "KOP406"),
]


def _yaml(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def hostile_overview() -> str:
    text = VALID.read_text(encoding="utf-8")
    text = text.replace("title: Testöversikt om samverkan", f"title: {_yaml(TITLE)}")
    text = text.replace("  - name: Testforskare A", f"  - name: {_yaml(AUTHOR)}")
    text = text.replace("keywords:\n  - samverkan", f"keywords:\n  - samverkan\n  - {_yaml(KEYWORD)}")
    text = text.replace("summary: En kort sammanfattning för testerna. Den är lätt att läsa.",
                        f"summary: {_yaml(SUMMARY)}")
    text = text.replace("  - statement: Samverkan tar tid att bygga upp.", f"  - statement: {_yaml(STATEMENT)}")
    body = "\n\n".join(p for p, _ in BODY_PAYLOADS)
    return text + "\nEn farlig titel i referenslistan [@xss2024].\n\n" + body + "\n"


def hostile_bib() -> str:
    return (FIXTURES / "project" / "references.bib").read_text(encoding="utf-8") + (
        "\n@misc{xss2024,\n  author = {Testförfattare, Anna},\n  title = {" + BIB_TITLE + "},\n  year = {2024}\n}\n"
    )


def make_root(base: Path) -> Path:
    root = base / "project"
    (root / "overviews").mkdir(parents=True)
    (root / "overviews" / "testoversikt.md").write_text(hostile_overview(), encoding="utf-8")
    (root / "references.bib").write_text(hostile_bib(), encoding="utf-8")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "docs", root / "docs")
    return root


@pytest.fixture(scope="module")
def xss_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build with the body rule bypassed (in-process, the one function patched), so nh3 must do the work."""
    from kop.check import safety
    from kop.core.project import load_project
    from kop.site.build import build

    root = make_root(tmp_path_factory.mktemp("xss-build"))
    original = safety.check_overview
    safety.check_overview = lambda *args, **kwargs: []  # test-only: validator's body rule off
    try:
        result = build(load_project(root))
    finally:
        safety.check_overview = original
    errors = [d for d in result.diagnostics if d.severity == "error"]
    assert not errors, errors
    return root / "site"


def test_validator_rejects_every_body_payload(tmp_path):
    root = make_root(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(REPO / "scripts")}
    proc = subprocess.run([sys.executable, "-m", "kop", "check", "--root", str(root)], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    text = hostile_overview()
    for payload, code in BODY_PAYLOADS:
        if code is None:
            continue
        line = text.splitlines().index(payload) + 1
        assert f"overviews/testoversikt.md:{line}:" in proc.stderr and f"[{code}]" in proc.stderr, payload
    # front matter and BibTeX payloads are text, not errors
    errors = [line for line in proc.stderr.splitlines() if ": fel: " in line]
    assert errors and all("[KOP4" in line for line in errors), errors


SENTINEL = "window.__xss = 0; window.__dialogs = 0;"
PROBE = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const inArticle = el.closest('article');
      if (inArticle && /^on/i.test(a.name)) bad.push(el.tagName + ' ' + a.name);
      if (inArticle && /^\\s*(javascript|vbscript|data):/i.test(a.value)) bad.push(el.tagName + ' ' + a.name);
    }
  }
  for (const s of document.querySelectorAll('article script, article iframe, article object, article embed')) {
    bad.push(s.tagName);
  }
  return {xss: window.__xss, bad};
}"""


def test_no_payload_runs_on_any_page(xss_site: Path, chromium_browser, serve_dir: Callable[[Path], str]):
    base = serve_dir(xss_site)
    pages = sorted(p.relative_to(xss_site).as_posix() for p in xss_site.rglob("*.html"))
    assert "oversikter/testoversikt/index.html" in pages and len(pages) > 10
    context = chromium_browser.new_context()
    context.add_init_script(SENTINEL)
    dialogs: list[str] = []
    outside: list[str] = []  # every request that would leave 127.0.0.1, stopped before it goes
    context.on("request", lambda request: None if _local(request.url) else outside.append(request.url))
    context.route("**/*", lambda route: route.continue_() if _local(route.request.url) else route.abort())
    try:
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.message}"), d.dismiss()))
        for rel in pages:
            url = base + rel.removesuffix("index.html")
            page.goto(url, wait_until="load")
            page.wait_for_timeout(150)  # let onerror/onload/ontoggle/animation handlers fire
            probe = page.evaluate(PROBE)
            assert probe["xss"] == 0, f"payload script ran on {rel}"
            assert probe["bad"] == [], (rel, probe["bad"])
        page.goto(base + "oversikter/testoversikt/")
        page.hover("h2:has-text('Rubrik')")
        page.wait_for_timeout(300)
        assert page.evaluate("window.__xss") == 0
        assert not dialogs, dialogs
        assert outside == [], outside
    finally:
        context.close()


def _local(url: str) -> bool:
    parsed = urlsplit(url)
    return parsed.scheme in ("about", "blob") or (parsed.scheme in ("http", "https") and parsed.hostname == "127.0.0.1")


def test_front_matter_and_bibtex_payloads_are_shown_as_text(xss_site: Path, chromium_browser,
                                                            serve_dir: Callable[[Path], str]):
    base = serve_dir(xss_site)
    context = chromium_browser.new_context()
    try:
        page = context.new_page()
        page.goto(base + "oversikter/testoversikt/")
        heading = page.locator("article h1").first.evaluate(
            "h => [...h.childNodes].filter(n => !(n.classList && n.classList.contains('headerlink')))"
            ".map(n => n.textContent).join('')")
        assert heading == TITLE  # shown, not run, not templated (the headerlink ¶ left out)
        assert page.title().removeprefix("Exempel: ").startswith(TITLE)
        assert "49" not in page.locator("article h1").first.inner_text()
        assert AUTHOR in page.locator(".kop-authors").inner_text()
        assert SUMMARY in page.locator(".kop-summary").inner_text()
        assert STATEMENT in page.locator(".kop-findings").inner_text()
        refs = page.locator(".kop-references").inner_text()
        assert "<img src=x onerror=alert(1)> och </title><script>alert(1)</script>" in refs
        description = page.locator('meta[name="description"]').get_attribute("content")
        assert description is not None and SUMMARY.split(" {%")[0] in description
        for script in page.locator('script[type="application/ld+json"]').all():
            import json

            json.loads(script.inner_text())  # still valid JSON: the title did not break out of it
        page.goto(base + "oversikter/")
        assert TITLE in page.locator("article").inner_text()
    finally:
        context.close()
