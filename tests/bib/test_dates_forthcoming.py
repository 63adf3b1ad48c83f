"""``year = {forthcoming}`` and ``pubstate = {forthcoming}``: rendered "(i tryck)" like in press, no error.

Reference managers and biblatex's ``pubstate`` use "forthcoming" for an accepted work not
yet published, which APA 7 (8.14, 9.19) calls "in press", in Swedish "i tryck". Before,
``year = {forthcoming}`` was an invalid year (an error that blocks publishing) and a
``pubstate`` without year lacked its required year.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kop.bib.dates import in_press
from kop.bib.load import load_bibliography
from kop.cite.apa import cluster_signature, format_all
from kop.cite.scan import scan_citations

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "cite" / "eid-forthcoming.bib"


@pytest.mark.parametrize(
    "fields",
    [{"year": "forthcoming"}, {"year": " Forthcoming "}, {"pubstate": "forthcoming"}, {"pubstate": "Forthcoming"}],
)
def test_forthcoming_is_in_press(fields: dict[str, str]) -> None:
    assert in_press(fields)


@pytest.mark.parametrize("fields", [{"year": "2020"}, {"pubstate": "submitted"}, {"year": "forthcoming soon"}])
def test_other_values_are_not_in_press(fields: dict[str, str]) -> None:
    assert not in_press(fields)


def test_forthcoming_renders_i_tryck_without_a_diagnostic() -> None:
    refs, diagnostics = load_bibliography(FIXTURE, display="references.bib")
    assert [(d.code, d.line) for d in diagnostics] == []
    keys = ["test-kommande", "test-kommande-pubstate"]
    citations = scan_citations(" ".join(f"[@{key}]" for key in keys))
    result = format_all(refs, citations, None)
    assert refs["test-kommande"].csl["status"] == "i tryck"
    assert "issued" not in refs["test-kommande"].csl
    assert result.clusters[cluster_signature(citations[0])].endswith(">Testsson, i tryck</a>)")
    assert result.clusters[cluster_signature(citations[1])].endswith(">Provsson, i tryck</a>)")
    assert result.entries["test-kommande"].startswith("Testsson, T. (i tryck). Ett påhittat kommande verk.")
    assert result.entries["test-kommande-pubstate"].startswith("Provsson, P. (i tryck).")
