"""Generated HTML skips Markdown's HTML parsers (kop.site.engine.rawhtml) and comes out exactly as before."""

from __future__ import annotations

import importlib
import re
import shutil
from pathlib import Path

import markdown
import pytest
from markdown.preprocessors import Preprocessor
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.utils.meta import get_data

from kop.render.fragments import CLOSE, OPEN, block, raw
from kop.site.engine import ensure_rawhtml
from kop.site.engine.rawhtml import ANCHOR_SCANNERS, EXTENSION_NAME, anchor_scanners
from tests.conftest import REPO
from tests.linksite import link_site_fixture  # noqa: F401  (session fixture)


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> MkDocsConfig:
    """The repository's mkdocs.yml, loaded beside the (empty) generated folders it points to."""
    root = tmp_path_factory.mktemp("rawhtml")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    for sub in ("theme", "docs"):
        (root / "build" / sub).mkdir(parents=True)
    return load_config(config_file=str(root / "mkdocs.yml"))


def converter(config: MkDocsConfig, with_rawhtml: bool = True) -> markdown.Markdown:
    """Python-Markdown configured as mkdocs.yml configures it, with or without kop.site.engine.rawhtml."""
    extensions = [e for e in config["markdown_extensions"] if with_rawhtml or e != EXTENSION_NAME]
    return markdown.Markdown(extensions=extensions, extension_configs=config["mdx_configs"])


def squeeze(html: str) -> str:
    return re.sub(r"\n\s*\n", "\n", html).strip()


def test_raw_wraps_and_strips_stray_markers():
    assert raw("<b>x</b>") == f"{OPEN}<b>x</b>{CLOSE}"
    assert raw(f"<b>{OPEN}x{CLOSE}</b>") == f"{OPEN}<b>x</b>{CLOSE}"  # cannot close the fragment early
    assert block("  <div>x</div>\n") == f"\n\n{OPEN}<div>x</div>{CLOSE}\n\n"
    assert block("") == ""


def test_fragment_is_copied_byte_for_byte_and_markdown_around_it_still_works(config):
    md = converter(config)
    fragment = '<span class="kop-cite">*inte kursiv* &amp; <a href="#ref-a">A, 2020</a></span>'
    out = md.convert(f"Text *kursiv* {raw(fragment)} slut.\n{block('<section><p>_x_</p></section>')}**fet**")
    assert f"<p>Text <em>kursiv</em> {fragment} slut.</p>" in out
    assert "<section><p>_x_</p></section>" in out and "<p><section>" not in out
    assert "<p><strong>fet</strong></p>" in out


def test_generated_html_never_reaches_the_html_parsers(config):
    seen: list[str] = []

    class Spy(Preprocessor):
        def run(self, lines: list[str]) -> list[str]:
            seen.append("\n".join(lines))
            return lines

    md = converter(config)
    md.preprocessors.register(Spy(md), "spy", 21.5)  # just before MkDocs' (21) and Python-Markdown's (20)
    md.convert("Före " + raw('<span class="kop-cite">(A, 2020)</span>') + block('<div class="kop-x">y</div>'))
    assert seen and "kop-cite" not in seen[0] and "kop-x" not in seen[0] and OPEN not in seen[0]


def test_every_generated_page_renders_as_it_would_as_plain_raw_html(link_site: Path, config):
    """The whole generated tree (overviews, tombstone, catalogue, references, evidence map, seminars):
    with kop.site.engine.rawhtml, and with the markers removed and raw HTML parsed the ordinary way, the
    pages are the same apart from blank lines."""
    pages = sorted((link_site / "build" / "docs").rglob("*.md"))
    marked = [p for p in pages if OPEN in p.read_text(encoding="utf-8")]
    assert len(marked) >= 10, [p.name for p in marked]
    for page in marked:
        _, body = [*get_data(page.read_text(encoding="utf-8"))][::-1]
        # Deliberate exception: an overview's title is a Markdown heading inside its header card, so that it
        # leads the page's table of contents (the skip link's target). Plain raw-HTML parsing does not convert
        # a heading inside an open element, so that one line is compared on its own.
        title = re.search(r"^# .* \{#kop-titel\}$", body, flags=re.M)
        if title:
            heading = converter(config).convert(title.group(0))
            assert heading.startswith('<h1 id="kop-titel">'), heading
            body = body.replace(title.group(0), "")
        fast = converter(config).convert(body)
        plain = converter(config, with_rawhtml=False).convert(body.replace(OPEN, "").replace(CLOSE, ""))
        assert OPEN not in fast and CLOSE not in fast
        assert squeeze(fast) == squeeze(plain), page


def test_the_build_adds_the_extension_when_mkdocs_yml_lacks_it(tmp_path: Path):
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8").replace(f"  - {EXTENSION_NAME}\n", "")
    assert EXTENSION_NAME not in text
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    for sub in ("theme", "docs"):
        (tmp_path / "build" / sub).mkdir(parents=True)
    config = load_config(config_file=str(tmp_path / "mkdocs.yml"))
    ensure_rawhtml(config)
    assert config["markdown_extensions"][0] == EXTENSION_NAME


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
def test_ids_in_generated_html_still_count_for_the_engine_s_anchor_check(config, engine: str):
    """Each engine's own raw-HTML scanner (MkDocs: mkdocs_raw_html, ProperDocs: properdocs_raw_html) gets the ids.

    ProperDocs' modules are imported directly (no mkdocs.* alias), so this is safe beside MkDocs'.
    """
    pages = importlib.import_module(f"{engine}.structure.pages")
    md = converter(config)
    scanner = pages._RawHTMLPreprocessor()
    scanner._register(md)  # as the engine's Page.render does
    assert f"{engine}_raw_html" in ANCHOR_SCANNERS and f"{engine}_raw_html" in md.preprocessors
    assert anchor_scanners(md) == [scanner]
    generated = block('<section id="resultat-i-korthet"><h2 id="referenser">R</h2></section>')
    md.convert("[Till resultaten](#resultat-i-korthet)" + generated + "<p id='egen'>x</p>")
    assert {"resultat-i-korthet", "referenser", "egen"} <= scanner.present_anchor_ids


def test_a_scanner_under_an_unknown_name_is_found_by_its_id_set(config):
    """Should an engine rename its scanner again, it is still found by its ``present_anchor_ids`` set."""

    class Renamed(Preprocessor):
        def __init__(self) -> None:
            super().__init__()
            self.present_anchor_ids: set[str] = set()

        def run(self, lines: list[str]) -> list[str]:
            return lines

    md = converter(config)
    scanner = Renamed()
    md.preprocessors.register(scanner, "someengine_raw_html", 21)
    md.convert(block('<div id="kop-x">y</div>'))
    assert scanner.present_anchor_ids == {"kop-x"}
