"""Formatting cache and batched runs (issue 18): stable ids, per-bucket and per-page cache entries, same output.

The digest below is of the per-overview formatting of a generated corpus (every overview's
clusters and entries as that overview shows them, and the site's) as the implementation
before issue 18 (one Pandoc process per run, ids ``k0`` …) produced it. After an intended
change of the output, or of the corpus generator, print the new digest with
``KOP_UPDATE_GOLDEN=1 .venv/bin/pytest tests/cite/test_formatting_cache.py -s`` and review why.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from kop.bib.load import load_bibliography
from kop.cite import apa
from kop.cite.apa import cluster_signature, format_all, stable_ids
from kop.cite.scan import scan_citations

HERE = Path(__file__).resolve().parents[1]
BEFORE_ISSUE_18 = "382107203c878da3e9d08289ed456382594b9d41a9e7a606295b635f9d9baec4"

NEW_WORK = """
@article{nyborg2024ny,
  author = {Nyborg, Tova and Svensson, Per},
  title = {En ny studie om samverkan},
  journal = {Socialvetenskaplig tidskrift},
  year = {2024},
  volume = {31},
  pages = {1--20}
}
"""


def _refs(tmp_path: Path, extra: str = ""):
    bib = tmp_path / "refs.bib"
    bib.write_text((HERE / "fixtures" / "formatting" / "cases.bib").read_text(encoding="utf-8") + extra,
                   encoding="utf-8")
    refs, diags = load_bibliography(bib)
    assert [d for d in diags if d.severity == "error"] == []
    return refs


BODY = ("Parentes [@lofstrom2010samverkan] och [@lofstrom2010interorganizational]. "
        "Flera [@andersson2011organizational; @danermark1999samverkan]. I löptext @danermark1999samverkan [s. 12]. "
        "Rapporter [@test2020rapport; "
        "@test2021artikelnummer] och [@test2022artikel].")


def _files(cache: Path, prefix: str) -> set[str]:
    return {p.name for p in cache.glob(f"{prefix}-*") if not p.name.endswith(".tmp")}


def test_adding_a_work_renames_no_other_work():
    keys = ["a", "b", "c:d", "zz"]
    before, after = stable_ids(keys), stable_ids(sorted([*keys, "b2"]))
    assert all(after[k] == before[k] for k in keys)
    assert len(set(after.values())) == len(after) and all(v[0] == "k" and v[1:].isalnum() for v in after.values())


def test_adding_and_citing_one_reference_reformats_only_its_own_bucket(tmp_path: Path):
    cache = tmp_path / "cache"
    refs = _refs(tmp_path)
    cits = scan_citations(BODY)
    first = format_all(refs, cits, cache, bucket_size=2)
    runs = _files(cache, "citeproc")
    assert len(runs) > 4, "many buckets and the order run"
    again = format_all(refs, cits, cache, bucket_size=2)
    assert _files(cache, "citeproc") == runs and again.entries == first.entries, "nothing changed: all from the cache"

    (tmp_path / "new").mkdir()
    more = _refs(tmp_path / "new", NEW_WORK)
    cited = cits + scan_citations("En ny studie [@nyborg2024ny, s. 3].")
    changed = format_all(more, cited, cache, bucket_size=2)
    new_runs = _files(cache, "citeproc") - runs
    assert len(new_runs) == 1, "the new work's bucket, nothing else (the order is placed: tests/cite/test_order.py)"
    assert {k: changed.entries[k] for k in first.entries} == dict(first.entries)
    assert "Nyborg" in changed.entries["nyborg2024ny"] and changed.order.index("nyborg2024ny") > 0
    whole = format_all(more, cited, None)  # one run, no cache: the same characters
    assert (whole.order, whole.entries, whole.clusters) == (changed.order, changed.entries, changed.clusters)


def test_a_change_to_the_formatting_code_formats_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The kept runs hold Pandoc's output after kop.cite's own work on it (collapsed clusters,
    rewritten links), so new code must not be served last version's kept results."""
    cache = tmp_path / "cache"
    refs = _refs(tmp_path)
    cits = scan_citations(BODY)
    first = format_all(refs, cits, cache, bucket_size=2)
    runs = _files(cache, "citeproc") | _files(cache, "citeall")
    assert format_all(refs, cits, cache, bucket_size=2).entries == first.entries
    assert _files(cache, "citeproc") | _files(cache, "citeall") == runs, "same code: all from the cache"
    real = apa.tree_fingerprint

    def changed_code(root: Path) -> str:  # as if a file of kop/cite had been edited
        return real(root) + ("-ändrad" if root == Path(apa.__file__).resolve().parent else "")

    monkeypatch.setattr(apa, "tree_fingerprint", changed_code)
    apa._engine_fingerprint.cache_clear()  # once per process otherwise
    try:
        again = format_all(refs, cits, cache, bucket_size=2)
    finally:
        monkeypatch.undo()
        apa._engine_fingerprint.cache_clear()
    assert not (_files(cache, "citeproc") | _files(cache, "citeall")) <= runs, "new code: formatted again"
    assert again.entries == first.entries and again.clusters == first.clusters


SAME_AUTHOR = """
@book{teststrom2010bok,
  author = {Testström, Tova},
  title = {Testbok om samverkan},
  publisher = {Exempelförlaget},
  year = {2010}
}
@article{teststrom2010artikel,
  author = {Testström, Tova},
  title = {A test article},
  journal = {Exempeltidskriften},
  year = {2010}
}
"""


def test_each_page_is_cached_on_its_own_and_an_edit_reformats_that_page_only(tmp_path: Path):
    cache = tmp_path / "cache"
    refs = _refs(tmp_path, SAME_AUTHOR)
    texts = {"p": "[@teststrom2010bok] och [@lofstrom2010samverkan]", "q": "[@teststrom2010artikel]",
             "r": "[@teststrom2010bok; @danermark1999samverkan]"}
    pages = {page: scan_citations(text) for page, text in texts.items()}
    site = format_all(refs, [c for cits in pages.values() for c in cits], cache, pages=pages)
    assert set(site.pages) == {"p", "q", "r"} and len(_files(cache, "citepage")) == 3
    before = _files(cache, "citepage") | _files(cache, "citeproc")
    pages["q"] = scan_citations("[@teststrom2010artikel, s. 4]")  # one overview edited
    edited = format_all(refs, [c for cits in pages.values() for c in cits], cache, pages=pages)
    added = (_files(cache, "citepage") | _files(cache, "citeproc")) - before
    assert len([n for n in added if n.startswith("citepage-")]) == 1, added
    for page in ("p", "r"):
        view, old = edited.for_page(page), site.for_page(page)
        assert [view.clusters[cluster_signature(c)] for c in pages[page]] == [
            old.clusters[cluster_signature(c)] for c in pages[page]]
    alone = format_all({k: refs[k] for k in ("teststrom2010artikel",)}, pages["q"], None)
    sig = cluster_signature(pages["q"][0])
    assert edited.for_page("q").clusters[sig] == alone.clusters[sig]
    assert ">Testström, 2010, s. 4</a>" in alone.clusters[sig], "on its own page: no year suffix"


@pytest.mark.slow  # checks and formats a generated corpus
def test_per_overview_formatting_of_a_generated_corpus_is_what_it_was_before_issue_18(tmp_path: Path):
    from kop.core.project import load_project
    from kop.dev.corpus import generate
    from kop.site.build import page_citations
    from kop.site.checking import check

    generate(tmp_path / "corpus", "small", seed=3)
    result = check(load_project(tmp_path / "corpus"))
    pages = page_citations(result)
    digests = set()
    for bucket_size in (None, 2):  # one bucket, and nearly one bucket a work
        extra = {} if bucket_size is None else {"bucket_size": bucket_size}
        f = format_all(result.references, [c for cits in pages.values() for c in cits], tmp_path / f"c{bucket_size}",
                       pages=pages, **extra)
        out = {"order": f.order, "entries": dict(f.entries), "clusters": dict(f.clusters), "pages": {}}
        for page, cits in sorted(pages.items()):
            view = f.for_page(page)
            keys = sorted({i.key for c in cits for i in c.items})
            out["pages"][page] = {"clusters": [view.clusters[cluster_signature(c)] for c in cits],
                                  "entries": {k: view.entries[k] for k in keys if k in view.entries}}
        assert len(f.pages) >= 5, "most overviews have their own year suffixes or initials"
        text = json.dumps(out, ensure_ascii=False, sort_keys=True)
        digests.add(hashlib.sha256(text.encode("utf-8")).hexdigest())
    if os.environ.get("KOP_UPDATE_GOLDEN"):
        print("digest:", digests)
    assert digests == {BEFORE_ISSUE_18}
