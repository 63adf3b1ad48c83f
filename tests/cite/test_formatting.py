"""APA 7 (sv-SE) formatting through Pandoc citeproc, checked against golden output.

Golden files are in tests/golden/. After an intended change, refresh them with
``KOP_UPDATE_GOLDEN=1 .venv/bin/pytest tests/cite/test_formatting.py`` and review the diff.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from kop.bib.load import load_bibliography
from kop.cite.apa import anchor, format_all
from kop.cite.scan import scan_citations

HERE = Path(__file__).resolve().parents[1]
GOLDEN = HERE / "golden" / "formatting.json"

BODY = """\
Parentes [@lofstrom2010samverkan] och två verk samma år [@lofstrom2010interorganizational].
Med prefix och sidor [se @danermark1999samverkan, s. 33].
Flera [@andersson2011organizational; @danermark1999samverkan].
Utan författare [-@page2021prisma].
I löptext @andersson2011organizational och med sida @danermark1999samverkan [s. 12].
Redaktör [@test2020kapitel] och utan år [@test-utan-ar].
I löptext med fler verk @andersson2011organizational [s. 3; @danermark1999samverkan, s. 4].
Rapporter [@test2020rapport; @test2021artikelnummer; @test2019serie; @test2018utantyp] och artikel [@test2022artikel].
Samma författare [@lofstrom2010samverkan; @lofstrom2010interorganizational] och [@test2018utantyp; @test2022artikel].
Med sida [@lofstrom2010samverkan, s. 3; @lofstrom2010interorganizational].
Med prefix [@test2018utantyp; se @test2022artikel].
I löptext @lofstrom2010interorganizational [@lofstrom2010samverkan; @andersson2011organizational].
"""


def formatted(tmp_path: Path | None = None):
    """The fixture formatted; without a cache directory, once per test run (the result is not changed)."""
    if tmp_path is None:
        return _formatted_once()
    refs, diags = load_bibliography(HERE / "fixtures" / "formatting" / "cases.bib")
    assert [d for d in diags if d.severity == "error"] == []
    cits = scan_citations(BODY)
    return refs, cits, format_all(refs, cits, tmp_path)


@functools.lru_cache(maxsize=1)
def _formatted_once():
    refs, diags = load_bibliography(HERE / "fixtures" / "formatting" / "cases.bib")
    assert [d for d in diags if d.severity == "error"] == []
    cits = scan_citations(BODY)
    return refs, cits, format_all(refs, cits, None)


def test_formatting_matches_golden_output():
    _, cits, result = formatted()
    actual = {
        "citations": [result.clusters[_sig(c)] for c in cits],
        "references": [result.entries[k] for k in result.order],
    }
    if os.environ.get("KOP_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(json.dumps(actual, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert actual == expected


def _sig(cit):
    from kop.cite.apa import cluster_signature

    return cluster_signature(cit)


def test_swedish_apa_features():
    _, cits, result = formatted()
    texts = [result.clusters[_sig(c)] for c in cits]
    joined = " ".join(texts)
    assert "2010a" in joined and "2010b" in joined, "same author, same year gets a/b"
    assert "m.fl." in joined, "three or more authors: m.fl."
    assert "u.å." in joined, "no date: u.å."
    assert "s. 33" in joined
    assert "Andersson m.fl. (2011, s. 3; Danermark &amp; Kullberg, 1999, s. 4)" in re.sub("<[^>]+>", "", joined)
    refs = " ".join(result.entries.values())
    assert "(Red.)" in refs or "red." in refs.lower()
    assert 'href="https://doi.org/10.1136/bmj.n71"' in refs, "DOI normalised to one link"
    assert "Bossuyt, P. M., m.fl." in refs, "BibTeX 'and others' becomes m.fl."


def test_every_citation_links_to_its_reference_anchor():
    _, cits, result = formatted()
    for cit in cits:
        html = result.clusters[_sig(cit)]
        for item in cit.items:
            assert f'href="#{anchor(item.key)}"' in html


def test_cache_is_keyed_by_content(tmp_path):
    refs, cits, first = formatted(tmp_path)
    cached = list(tmp_path.glob("citeproc-*.pickle"))
    assert len(cached) == 1
    again = format_all(refs, cits, tmp_path)
    assert again.entries == first.entries
    # change one reference: a new cache entry, never the stale one
    key = "danermark1999samverkan"
    refs[key].csl["title"] = "Ändrad titel"
    changed = format_all(refs, cits, tmp_path)
    assert "Ändrad titel" in changed.entries[key]
    assert len(list(tmp_path.glob("citeproc-*.pickle"))) == 2


def test_anchor_is_html_safe():
    assert anchor("abc-1") == "ref-abc-1"
    odd = anchor("a:b/c<d>")
    assert odd.startswith("ref-a-b-c-d-") and all(ch.isalnum() or ch in "-_" for ch in odd)


def test_buckets_give_the_same_result_as_one_run():
    """Splitting the bibliography into buckets (for speed) must not change a single character."""
    refs, cits, whole = formatted()
    split = format_all(refs, cits, None, bucket_size=2)
    assert split.order == whole.order
    assert split.entries == whole.entries
    assert split.clusters == whole.clusters


@pytest.mark.slow  # checks and formats a whole generated corpus, twice
def test_buckets_match_one_run_on_a_generated_corpus(tmp_path):
    from kop.core.project import load_project
    from kop.dev.corpus import generate
    from kop.site.checking import check

    generate(tmp_path / "corpus", "small", seed=3)
    result = check(load_project(tmp_path / "corpus"))
    cits = [c for ov in result.overviews for c in ov.citations]
    whole = format_all(result.references, cits, None, bucket_size=10**9)
    split = format_all(result.references, cits, None, bucket_size=7)
    assert len(whole.entries) == len(result.references) > 20
    assert split.order == whole.order
    assert split.entries == whole.entries
    assert split.clusters == whole.clusters


def test_group_key_folds_case_and_accents():
    from kop.cite.groups import group_key

    assert group_key({"author": [{"family": "Åhgren", "given": "B."}]}) == group_key({"author": [{"family": "ahgren"}]})
    assert group_key({"editor": [{"literal": "Socialstyrelsen"}]}) == "socialstyrelsen"
    assert group_key({"title": "Utan Namn"}) == "utan namn"


# --- APA 7 in Swedish (issue 16, item 4) -------------------------------------------------------

def _text(html: str) -> str:
    return re.sub("<[^>]+>", "", html)


def test_report_numbers_are_written_in_swedish():
    _, _, result = formatted()
    assert "(Rapport nr 12)" in result.entries["test2019serie"]
    assert "(Rapport 2020:3)" in result.entries["test2020rapport"]
    assert "(Rapport 2021-3-1)" in result.entries["test2021artikelnummer"], "an identifier, not 'Nos.'"
    assert "(Nr 7)" in result.entries["test2018utantyp"]
    assert not any(word in html for html in result.entries.values() for word in ("No.", "Nos."))


def test_publisher_is_left_out_when_it_is_the_author():
    _, _, result = formatted()
    assert _text(result.entries["test2020rapport"]) == (
        "Testmyndigheten. (2020). Testrapport med diarienummer (Rapport 2020:3).")
    assert result.entries["test2019serie"].endswith("Testregionen."), "another publisher stays"


def test_article_numbers_are_written_as_artikel():
    _, _, result = formatted()
    assert result.entries["test2022artikel"].endswith("<em>11</em>, Artikel e007.")
    assert "Artikel e137." in result.entries["andersson2011organizational"]
    assert "136–155" in result.entries["lofstrom2010interorganizational"], "page ranges stay pages"


def test_same_author_works_collapse_also_across_languages():
    """A Swedish thesis and an English article by one author: one name, two years (Pandoc alone repeats it)."""
    _, _, result = formatted()
    cit = scan_citations("[@lofstrom2010interorganizational; @lofstrom2010samverkan]")[0]
    refs, _ = load_bibliography(HERE / "fixtures" / "formatting" / "cases.bib")
    html = format_all(refs, [cit], None).clusters[_sig(cit)]
    assert _text(html) == "(Löfström, 2010a, 2010b)"
    assert 'href="#ref-lofstrom2010interorganizational"' in html and 'href="#ref-lofstrom2010samverkan"' in html
    texts = [_text(result.clusters[_sig(c)]) for c in scan_citations(BODY)]
    assert "(Löfström, 2010a; 2010b, s. 3)" in texts, "APA's a-b order; a locator separates with a semicolon"
    assert "(Löfström, 2010a, 2010b)" in texts, "cited as [@…samverkan; @…interorganizational]: APA's order"
    assert "(Testsson, 2018; se Testsson, 2022)" in texts, "a work with its own prefix is not joined"


def test_author_in_text_stays_first_with_further_works():
    _, _, result = formatted()
    texts = [_text(result.clusters[_sig(c)]) for c in scan_citations(BODY)]
    assert "Löfström (2010a, 2010b; Andersson m.fl., 2011)" in texts


def test_collapse_leaves_what_it_does_not_recognise():
    from kop.cite.collapse import collapse_cluster

    odd = '(<a href="#ref-a" role="doc-biblioref">Ett verk</a>; <a href="#ref-b" role="doc-biblioref">Ett verk</a>)'
    assert collapse_cluster(odd) == odd
    two = ('(<a href="#ref-a" role="doc-biblioref">A, 2010</a>; <a href="#ref-b" role="doc-biblioref">B, 2010</a>; '
           '<a href="#ref-c" role="doc-biblioref">A, 2012</a>)')
    assert _text(collapse_cluster(two)) == "(A, 2010, 2012; B, 2010)"


SAME_AUTHOR_BIB = """
@book{teststrom2010bok,
  author = {Testström, Tove}, title = {Testbok om samverkan}, publisher = {Testförlaget}, year = {2010},
  langid = {swedish}
}
@article{teststrom2010artikel,
  author = {Testström, Tove}, title = {A test article on collaboration}, journal = {Test Journal},
  volume = {1}, pages = {1--10}, year = {2010}, langid = {english}
}
@book{teststrom2012,
  author = {Testström, Tove}, title = {Ännu en testbok}, publisher = {Testförlaget}, year = {2012}
}
"""


def _same_author_refs(tmp_path: Path):
    bib = tmp_path / "refs.bib"
    bib.write_text((HERE / "fixtures" / "formatting" / "cases.bib").read_text(encoding="utf-8") + SAME_AUTHOR_BIB,
                   encoding="utf-8")
    refs, diags = load_bibliography(bib)
    assert [d for d in diags if d.severity == "error"] == []
    return refs


def test_each_page_gets_its_own_year_suffixes(tmp_path):
    refs = _same_author_refs(tmp_path)
    alone = scan_citations("Bara boken [@teststrom2010bok] och [@teststrom2012; @danermark1999samverkan].")
    both = scan_citations("Båda [@teststrom2010bok; @teststrom2010artikel].")
    other = scan_citations("Inget tvetydigt [@danermark1999samverkan].")
    site = format_all(refs, alone + both + other, None, pages={"a": alone, "b": both, "c": other})
    assert _text(site.clusters[_sig(alone[0])]) == "(Testström, 2010b)", "the site disambiguates across the site"
    assert "(2010b)" in site.entries["teststrom2010bok"]
    page_a = site.for_page("a")
    assert _text(page_a.clusters[_sig(alone[0])]) == "(Testström, 2010)"
    assert _text(page_a.clusters[_sig(alone[1])]) == "(Danermark &amp; Kullberg, 1999; Testström, 2012)"
    assert "(2010)." in page_a.entries["teststrom2010bok"]
    assert page_a.entries["danermark1999samverkan"] == site.entries["danermark1999samverkan"]
    assert set(site.pages) == {"a"}, "pages citing every clashing work, or none, need no run of their own"
    assert site.for_page("b") is site and site.for_page("c") is site
    assert _text(site.clusters[_sig(both[0])]) == "(Testström, 2010a, 2010b)"


def test_a_page_run_equals_formatting_the_page_alone(tmp_path):
    """The page's own run gives exactly what formatting that page as a document of its own gives."""
    refs = _same_author_refs(tmp_path)
    cits = scan_citations("Se @teststrom2010bok [s. 4; @teststrom2012]. Och [@lofstrom2010samverkan; @page2021prisma]. "
                          "Andra [se @teststrom2010bok, kap. 2; @andersson2011organizational].")
    site = format_all(refs, cits, None, pages={"p": cits})
    page = site.for_page("p")
    cited = {item.key for cit in cits for item in cit.items}
    alone = format_all({k: refs[k] for k in cited}, cits, None)
    for cit in cits:
        assert page.clusters[_sig(cit)] == alone.clusters[_sig(cit)]
    for key in cited:
        assert page.entries[key] == alone.entries[key]


# --- Pandoc verified (issue 17, item 5) --------------------------------------------------------

def _fake_pandoc(directory: Path, version: str = "pandoc 3.9", output: str = "") -> Path:
    """An executable called ``pandoc`` that exits 0: ``--version`` prints ``version``, anything else ``output``."""
    directory.mkdir(parents=True, exist_ok=True)
    fake = directory / "pandoc"
    fake.write_text("#!/bin/sh\n"
                    f'if [ "$1" = "--version" ]; then echo "{version}"; exit 0; fi\n'
                    "cat > /dev/null\n"
                    f"printf '%s' '{output}'\n", encoding="utf-8")
    fake.chmod(0o755)
    return fake


def _fresh():
    refs, diags = load_bibliography(HERE / "fixtures" / "formatting" / "cases.bib")
    assert not [d for d in diags if d.severity == "error"]
    return refs, scan_citations(BODY)


def test_a_pandoc_on_path_is_never_used(tmp_path, monkeypatch):
    from kop.cite.pandoc import pandoc_path

    fake = _fake_pandoc(tmp_path / "bin", version="pandoc 99.0")
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.delenv("KOP_PANDOC", raising=False)
    path = Path(pandoc_path())
    assert path.is_absolute() and path != fake and path.parent.name == "files"
    refs, cits = _fresh()
    assert format_all(refs, cits, None).entries  # the bundled one, despite the fake first on PATH


def test_a_pandoc_of_another_version_is_refused(tmp_path, monkeypatch):
    from kop.cite.apa import FormattingError

    fake = _fake_pandoc(tmp_path / "bin", version="pandoc 3.1.2")
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setenv("KOP_PANDOC", str(fake))
    refs, cits = _fresh()
    with pytest.raises(FormattingError) as caught:
        format_all(refs, cits, None)
    diag = caught.value.at("references.bib", 1)
    assert diag.code == "KOP905" and "pandoc 3.1.2" in diag.message and "3.9" in diag.message
    assert "make site" in diag.hint


@pytest.mark.parametrize("output", ["", "<p>fel</p>",
                                    '<div id="c0">\n<p>(X)</p>\n</div>\n'
                                    '<div id="ref-k0" class="csl-entry" role="listitem">\nX.\n</div>'])
def test_pandoc_that_leaves_out_keys_or_clusters_fails_the_formatting(tmp_path, monkeypatch, output):
    from kop.cite.apa import FormattingError

    fake = _fake_pandoc(tmp_path / "bin", output=output)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setenv("KOP_PANDOC", str(fake))
    refs, cits = _fresh()
    with pytest.raises(FormattingError) as caught:
        format_all(refs, cits, tmp_path / "cache")
    assert caught.value.template.code == "KOP908"
    assert not list((tmp_path / "cache").glob("citeproc-*.pickle")) if (tmp_path / "cache").exists() else True


def test_a_missing_pandoc_is_a_message(tmp_path, monkeypatch):
    from kop.cite.apa import FormattingError

    monkeypatch.setenv("KOP_PANDOC", str(tmp_path / "finns-inte"))
    refs, cits = _fresh()
    with pytest.raises(FormattingError) as caught:
        format_all(refs, cits, None)
    assert caught.value.template.code == "KOP906" and "finns inte" in str(caught.value)


def test_a_personal_communication_is_not_expected_in_the_list():
    from kop.cite.items import listed as _listed

    assert not _listed({"type": "personal_communication", "title": "Samtal"})
    assert _listed({"type": "interview", "URL": "https://example.org"})
    assert _listed({"type": "book"})


# --- whole builds ------------------------------------------------------------------------------

VALID = HERE / "fixtures" / "valid" / "testoversikt.md"


def _overview(number: int, title: str, sentence: str) -> str:
    text = VALID.read_text(encoding="utf-8")
    text = text.replace("id: kop-2024-001", f"id: kop-2024-{number:03d}").replace(
        "title: Testöversikt om samverkan", f"title: {title}")
    return text.rstrip("\n") + f"\n\n{sentence}\n"


def _site_hashes(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.mark.slow  # builds a whole site
def test_each_overview_has_its_own_year_suffixes_and_the_references_page_the_sites(make_project):
    from bs4 import BeautifulSoup

    from kop.core.project import load_project
    from kop.site.build import build

    bib = (HERE / "fixtures" / "project" / "references.bib").read_text(encoding="utf-8") + SAME_AUTHOR_BIB
    root = make_project({
        "bara-boken.md": _overview(1, "Översikt som citerar ett av verken", "Boken [@teststrom2010bok]."),
        "bada-verken.md": _overview(2, "Översikt som citerar båda verken",
                                    "Båda [@teststrom2010bok; @teststrom2010artikel] och @teststrom2010artikel."),
    }, bib=bib)
    result = build(load_project(root))
    assert result.ok, result.diagnostics

    def page(slug: str) -> BeautifulSoup:
        return BeautifulSoup((root / "site" / "oversikter" / slug / "index.html").read_text(encoding="utf-8"),
                             "html.parser")

    alone = page("bara-boken")
    cites = [c.get_text() for c in alone.select(".kop-cite")]
    assert "(Testström, 2010)" in cites, cites
    listed = [li.get_text(" ", strip=True) for li in alone.select(".kop-references li.csl-entry")]
    assert any(text.startswith("Testström, T. (2010). Testbok om samverkan") for text in listed), listed
    assert "2010a" not in alone.get_text() and "2010b" not in alone.get_text(), "no lone year suffix"

    both = page("bada-verken")
    cites = [c.get_text() for c in both.select(".kop-cite")]
    assert "(Testström, 2010a, 2010b)" in cites and "Testström (2010a)" in cites, cites
    listed = " ".join(li.get_text(" ", strip=True) for li in both.select(".kop-references li.csl-entry"))
    assert "Testström, T. (2010a). A test article" in listed and "Testström, T. (2010b). Testbok" in listed

    site_wide = " ".join(p.read_text(encoding="utf-8") for p in (root / "site").rglob("referenser/**/index.html"))
    text = BeautifulSoup(site_wide, "html.parser").get_text(" ", strip=True)
    assert "Testström, T. (2010a)" in text and "Testström, T. (2010b)" in text, "the site disambiguates the site"


@pytest.mark.slow  # builds a whole site, twice
@pytest.mark.parametrize("version,output,code", [
    ("pandoc 3.9", "", "KOP908"),  # right version, empty output
    ("pandoc 3.9", "<p>fel</p>\n", "KOP908"),  # right version, wrong output
    ("pandoc 3.10.1", "", "KOP905"),  # a newer Pandoc
])
def test_a_pandoc_with_wrong_output_fails_the_build_and_keeps_the_site(make_project, monkeypatch, capsys,
                                                                        version, output, code):
    from kop.cli.main import main

    root = make_project({"testoversikt.md": VALID})
    assert main(["build", "--root", str(root)]) == 0, capsys.readouterr()
    before = _site_hashes(root / "site")
    (root / "overviews" / "testoversikt.md").write_text(VALID.read_text(encoding="utf-8") + "\nNy mening.\n",
                                                      encoding="utf-8")
    shutil.rmtree(root / ".cache", ignore_errors=True)  # no cached formatting to fall back on
    fake = _fake_pandoc(root.parent / "bin", version=version, output=output)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setenv("KOP_PANDOC", str(fake))
    capsys.readouterr()
    assert main(["build", "--root", str(root)]) != 0
    out = capsys.readouterr()
    printed = out.out + out.err
    assert code in printed and "Traceback" not in printed, printed
    assert "site/ finns kvar" in printed
    assert _site_hashes(root / "site") == before, "the previous site is kept, byte for byte"


def test_pages_share_a_run_only_when_they_cannot_affect_each_other(tmp_path):
    from kop.cite import apa

    refs = _same_author_refs(tmp_path)
    texts = {
        "p": "[@teststrom2010bok] och [@lofstrom2010samverkan]",
        "q": "[@teststrom2010artikel]",  # the same group as p, other works: a run of its own
        "r": "[@teststrom2010bok; @danermark1999samverkan]",  # the same works of that group as p: p's run
    }
    pages = {page: scan_citations(text) for page, text in texts.items()}
    runs = []
    real = apa._cached_run

    def counting(run_items, *args, **kwargs):
        runs.append(len(run_items))
        return real(run_items, *args, **kwargs)

    apa._cached_run = counting
    try:
        site = format_all(refs, [c for cits in pages.values() for c in cits], None, pages=pages)
    finally:
        apa._cached_run = real
    assert set(site.pages) == {"p", "q", "r"}
    assert len(runs) == 1 + 2, "the site's run and two page runs (p and r share one)"
    for page, cits in pages.items():
        cited = {item.key for cit in cits for item in cit.items}
        alone = format_all({k: refs[k] for k in cited}, cits, None)
        view = site.for_page(page)
        assert [view.clusters[_sig(c)] for c in cits] == [alone.clusters[_sig(c)] for c in cits]
        assert {k: view.entries[k] for k in cited} == {k: alone.entries[k] for k in cited}
