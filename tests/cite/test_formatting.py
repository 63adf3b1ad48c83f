"""APA 7 (sv-SE) formatting through Pandoc citeproc, checked against golden output.

Golden files are in tests/golden/. After an intended change, refresh them with
``KOP_UPDATE_GOLDEN=1 .venv/bin/pytest tests/cite/test_formatting.py`` and review the diff.
"""

from __future__ import annotations

import json
import os
import re
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
"""


def formatted(tmp_path: Path | None = None):
    refs, diags = load_bibliography(HERE / "fixtures" / "formatting" / "cases.bib")
    assert [d for d in diags if d.severity == "error"] == []
    cits = scan_citations(BODY)
    return refs, cits, format_all(refs, cits, tmp_path)


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
    cached = list(tmp_path.glob("citeproc-*.json"))
    assert len(cached) == 1
    again = format_all(refs, cits, tmp_path)
    assert again.entries == first.entries
    # change one reference: a new cache entry, never the stale one
    key = "danermark1999samverkan"
    refs[key].csl["title"] = "Ändrad titel"
    changed = format_all(refs, cits, tmp_path)
    assert "Ändrad titel" in changed.entries[key]
    assert len(list(tmp_path.glob("citeproc-*.json"))) == 2


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
    from kop.cite.apa import group_key

    assert group_key({"author": [{"family": "Åhgren", "given": "B."}]}) == group_key({"author": [{"family": "ahgren"}]})
    assert group_key({"editor": [{"literal": "Socialstyrelsen"}]}) == "socialstyrelsen"
    assert group_key({"title": "Utan Namn"}) == "utan namn"
