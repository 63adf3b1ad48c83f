"""The benchmark corpus generator and ``kop bench`` work (at the small scale; no time is asserted)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kop.cite.scan import scan_citations
from kop.core.project import load_project
from kop.dev.bench import largest_pages, page_sizes
from kop.dev.corpus import CITATION_FORMS, KEY_PUNCTUATION, generate
from kop.site.checking import check
from kop.sources.frontmatter import decode_text, split_front_matter

REPO = Path(__file__).resolve().parents[2]


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus") / "small"
    generate(root, "small", seed=1)
    return root


def test_same_seed_gives_a_byte_identical_tree(corpus: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    generate(again, "small", seed=1)
    assert _tree(again) == _tree(corpus)
    other = tmp_path / "other"
    generate(other, "small", seed=2)
    assert _tree(other)["references.bib"] != _tree(corpus)["references.bib"]


def test_corpus_has_the_promised_shape(corpus: Path) -> None:
    tree = _tree(corpus)
    assert len([p for p in tree if p.startswith("overviews/")]) == 10
    assert "mkdocs.yml" in tree and "docs/index.md" in tree
    bib = tree["references.bib"].decode("utf-8")
    assert bib.startswith("% SYNTHETIC BENCHMARK DATA")
    assert len(re.findall(r"^@(?!string)\w+\{", bib, re.M)) == 100
    for accent in ('{\\"o}', "{\\aa}", "\\r{a}", "ö", "Å", "\\&", "--", "{ADHD}"):
        assert accent in bib
    # what real Zotero/JabRef exports hold: @string macros used bare, crossref chapters, long author lists
    assert re.search(r'^@string\{sjt = "', bib, re.M)
    assert re.search(r"^  (journal|institution|publisher) = (sjt|nswr|sjph|ejsw|sos|skr|stlitt|nok),?$", bib, re.M)
    parents = set(re.findall(r"^  crossref = \{([^}]+)\}", bib, re.M))
    assert parents and all(re.search(rf"^@collection\{{{re.escape(k)},", bib, re.M) for k in parents)
    assert max(line.count(" and ") for line in bib.splitlines() if line.startswith("  author = ")) >= 11
    types = set(re.findall(r"^@(\w+)\{", bib, re.M))
    assert {"article", "book", "incollection", "inproceedings", "phdthesis", "mastersthesis", "techreport",
            "misc", "online", "unpublished", "manual", "proceedings", "booklet", "inbook"} <= types


def test_corpus_passes_check_with_zero_errors(corpus: Path) -> None:
    result = check(load_project(corpus))
    assert [d for d in result.diagnostics if d.severity == "error"] == []
    assert result.ok and len(result.references) == 100 and len(result.overviews) == 10
    chapters = [r for r in result.references.values() if r.csl.get("type") == "chapter"]
    assert any(r.csl.get("container-title") for r in chapters), "crossref chapters inherit their book's title"
    from kop.dev.corpus import _MACROS

    expanded = {str(r.csl.get(f)) for r in result.references.values() for f in ("container-title", "publisher")}
    assert {v.replace("\\&", "&") for v in _MACROS.values()} & expanded, "@string macros are expanded"


def test_findings_use_the_issue_13_form(corpus: Path) -> None:
    findings = []
    for path in sorted((corpus / "overviews").glob("*.md")):
        findings += split_front_matter(decode_text(path.read_bytes(), path.name)).meta["findings"]
    assert findings and not any("strength" in f for f in findings)
    assert all("certainty" in f or "source_grade" in f for f in findings)
    assert any("certainty" in f and "source_grade" not in f for f in findings)
    assert any("source_grade" in f and "certainty" not in f for f in findings)
    for f in findings:
        if "certainty" in f:
            assert f["certainty"]["level"] in ("hög", "måttlig", "låg", "mycket låg") and f["certainty"]["assessed_by"]
        if "source_grade" in f:
            assert f["source_grade"]["source"] in f["references"] and f["source_grade"]["scale"]


def test_every_citation_form_occurs(corpus: Path) -> None:
    cits = []
    for path in sorted((corpus / "overviews").glob("*.md")):
        fm = split_front_matter(decode_text(path.read_bytes(), path.name))
        cits += scan_citations(fm.body, fm.body_line)
    sources = [c.source for c in cits]
    found = {
        "paren": any(not c.in_text and len(c.items) == 1 and not c.items[0].prefix and not c.items[0].locator
                     and not c.items[0].suppress_author for c in cits),
        "multi": any(len(c.items) >= 2 for c in cits),
        "prefix_locator": any(c.items[0].prefix == "se" and c.items[0].locator.startswith("s. ") for c in cits),
        "suppress": any(c.items[0].suppress_author for c in cits),
        "in_text": any(c.in_text and not c.items[0].locator for c in cits),
        "in_text_locator": any(c.in_text and c.items[0].locator.startswith("s. ") for c in cits),
        "braced": any(s.startswith("[@{") for s in sources),
        "braced_in_text": any(s.startswith("@{") for s in sources),
    }
    assert set(found) == set(CITATION_FORMS)
    assert all(found.values()), found
    keys = {item.key for c in cits for item in c.items}
    assert any(all(ch in key for ch in KEY_PUNCTUATION) for key in keys)


@pytest.mark.slow  # builds several whole sites (the bench probes)
def test_kop_bench_runs_end_to_end(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO / "scripts"))
    out = tmp_path / "bench-out"  # given relative, as `make bench` does: the probes change directory
    proc = subprocess.run([sys.executable, "-m", "kop", "bench", "--scales", "small", "--runs", "1", "--out",
                           "bench-out"], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    header = "| Korpus | Steg | Tid | CPU | Toppminne | Mål | Utfall | Klarar |"
    assert header in proc.stdout
    for step in ("kop check, kall cache", "kop check, varm cache", "kop build, kall cache", "kop build, varm cache",
                 "en ny referens som citeras (bygge)", "en redigerad översikt (bygge)",
                 "ren MkDocs + Material (referens)"):
        assert re.search(rf"\| {re.escape(step)} \| \d+\.\d\d s \| \d+\.\d\d s \| \d+ MB \|", proc.stdout), step
    for step, target in (("kop build, kall cache", "≤ 2.0× ren MkDocs"), ("kop build, varm cache", "≤ 1.0× ren MkDocs"),
                         ("en ny referens som citeras (bygge)", "≤ 1.2× varmt bygge")):
        assert re.search(rf"\| {re.escape(step)} \|[^\n]*\| {re.escape(target)} \| \d+\.\d\d× \| (ja|\*\*nej\*\*) \|",
                         proc.stdout), step
    assert re.search(r"\| kop serve: sparad fil → sidan med ändringen \| – \| – \| – \| – \| \d+\.\d\d s \| – \|",
                     proc.stdout)
    assert re.search(r"\| toppminne \(största av raderna ovan\) \| – \| – \| – \| – \| \d+ MB \| – \|", proc.stdout)
    assert re.search(r"\| största sidan \(\S+\) \|[^\n]*\| ≤ 100 KB gzip, ≤ 3,000 element \| \d+ KB, \d+ KB gzip",
                     proc.stdout)
    assert (out / "results.md").read_text(encoding="utf-8") in proc.stdout
    assert (out / "small-plain" / "site" / "index.html").is_file()
    assert re.search(r"Sidstorlek, small: största sidan \S+: \d+ KB, \d+ KB gzip, [\d,]+ element; ", proc.stdout)


def test_page_sizes_count_elements_like_a_browser_and_flag_pages_over_budget(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text(
        "<!doctype html><html><head><style>p<b{}</style><script>if (a<b) x('<p>');</script></head>"
        "<body><!-- <p>not</p> --><p>Hej <b>du</b></p><br><img src=x></body></html>", encoding="utf-8")
    (site / "a" / "index.html").write_text("<html><body>" + "<div></div>" * 3001 + "</body></html>",
                                           encoding="utf-8")
    sizes = {p.path: p for p in page_sizes(site)}
    # html, head, style, script, body, p, b, br, img: what document.getElementsByTagName('*') counts
    assert sizes["index.html"].nodes == 9
    assert sizes["a/index.html"].nodes == 3003 and sizes["a/index.html"].gzip < sizes["a/index.html"].bytes
    line = largest_pages(site)
    assert line.startswith("största sidan a/index.html: ")
    assert "1 av 2 sidor över budget" in line and "a/index.html" in line


def test_generator_and_scenarios_never_touch_real_content(tmp_path: Path) -> None:
    """A bench scenario once ran in the checkout and its made-up reference was committed: both refuse now."""
    from kop.dev import scenarios
    from kop.dev.corpus import MARKER, NotACorpus

    real = tmp_path / "real"
    (real / "overviews").mkdir(parents=True)
    (real / "overviews" / "riktig.md").write_text("---\nstatus: publicerad\n---\nText.\n", encoding="utf-8")
    (real / "references.bib").write_text("@book{a, title = {A}}\n", encoding="utf-8")
    before = _tree(real)
    with pytest.raises(NotACorpus):
        generate(real, "small", seed=1)
    with pytest.raises(NotACorpus):
        scenarios.add_reference(real, 1)
    with pytest.raises(NotACorpus):
        scenarios.edit_overview(real, 1)
    with pytest.raises(NotACorpus):
        scenarios.serve_reload(real, 1, dict(os.environ))
    assert _tree(real) == before
    with pytest.raises(NotACorpus):
        generate(REPO, "small", seed=1)
    # a generated corpus is marked, can be generated again in place, and the scenarios change it
    corpus = tmp_path / "corpus"
    generate(corpus, "small", seed=1)
    assert (corpus / MARKER).is_file()
    generate(corpus, "small", seed=1)
    unchanged = _tree(corpus)
    edited = scenarios.edit_overview(corpus, 1)
    assert _tree(corpus) != unchanged and "En redigerad mening nummer 1" in edited.read_text(encoding="utf-8")


def test_the_checkout_holds_no_benchmark_content() -> None:
    """The example content is real: nothing of the synthetic corpus (10.5555 DOIs, bench keys) is in it."""
    files = [REPO / "references.bib", *sorted((REPO / "overviews").glob("*.md")),
             *sorted((REPO / "docs").rglob("*.md"))]
    for path in files:
        text = path.read_text(encoding="utf-8")
        for trace in ("10.5555/", "nybenchreferens", "syntetisk-oversikt", "En redigerad mening nummer"):
            assert trace not in text, f"{path.relative_to(REPO)} holds benchmark content ({trace})"
