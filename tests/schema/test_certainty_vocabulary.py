"""The schema's side of issue 13: the certainty vocabulary, status labels and the new fields.

Other layers (badges, the legend page, the evidence map, listings) read these helpers, so the
values, labels, symbols and anchors are pinned here exactly as the shared data model gives them.
"""

from __future__ import annotations

import json

from kop.schema.load import (
    certainty_label,
    certainty_levels,
    overview_validator,
    resolved_schema,
    resolved_schema_text,
    status_label,
    vocabularies,
    vocabulary_values,
)

LEVELS = [
    ("hög", "Hög", "⊕⊕⊕⊕", "hog"),
    ("måttlig", "Måttlig", "⊕⊕⊕◯", "mattlig"),
    ("låg", "Låg", "⊕⊕◯◯", "lag"),
    ("mycket låg", "Mycket låg", "⊕◯◯◯", "mycket-lag"),
]


def test_certainty_levels_highest_first_with_label_symbol_anchor_and_description() -> None:
    levels = certainty_levels()
    assert [(lv["value"], lv["label"], lv["symbol"], lv["anchor"]) for lv in levels] == LEVELS
    assert levels[0]["description"].startswith("Vi är mycket säkra på att resultatet stämmer.")
    assert levels[-1]["description"] == "Vi är mycket osäkra. Resultatet kan inte ligga till grund för slutsatser."
    assert all(set(lv) == {"value", "label", "symbol", "description", "anchor"} for lv in levels)


def test_certainty_levels_are_copies() -> None:
    certainty_levels()[0]["label"] = "ändrad"
    assert certainty_levels()[0]["label"] == "Hög"


def test_certainty_label() -> None:
    assert certainty_label("måttlig") == "Måttlig"
    assert certainty_label("mycket låg") == "Mycket låg"
    assert certainty_label("stark") == "stark"  # not a level: shown as given, never invented


def test_status_labels_and_withdrawn() -> None:
    assert [status_label(s) for s in vocabulary_values("statuses")] == [
        "Utkast", "Under granskning", "Publicerad", "Under uppdatering", "Inaktuell"]
    assert status_label("publicerad", withdrawn=True) == "Tillbakadragen"
    assert status_label("okänd") == "okänd"


def test_old_evidence_vocabulary_and_strength_are_gone() -> None:
    assert "evidence" not in vocabularies()
    finding = resolved_schema()["properties"]["findings"]["items"]
    assert "strength" not in finding["properties"]
    assert "strength" not in finding["required"]
    assert "stark" not in resolved_schema_text()


def test_published_schema_lists_the_levels_and_requires_one_kind_of_grade() -> None:
    finding = json.loads(resolved_schema_text())["properties"]["findings"]["items"]
    level = finding["properties"]["certainty"]["properties"]["level"]
    assert level["enum"] == [value for value, *_ in LEVELS]
    assert finding["anyOf"] == [{"required": ["certainty"]}, {"required": ["source_grade"]}]
    assert finding["properties"]["source_grade"]["required"] == ["grade", "source", "scale"]


def test_new_optional_fields_have_swedish_titles_and_descriptions() -> None:
    props = resolved_schema()["properties"]
    for name in ("plain_language", "included_studies", "knowledge_gaps", "funding", "conflicts_of_interest",
                 "review"):
        assert name in props and name not in resolved_schema()["required"], name
        assert props[name]["title"] and props[name]["description"], name
    assert list(props["plain_language"]["properties"]) == [
        "why", "what_was_done", "what_was_found", "practice", "how_certain"]


def _finding(**extra: object) -> dict:
    return {"statement": "Samverkan tar tid.", "references": ["a"], **extra}


def _errors(finding: dict) -> list[str]:
    meta = {"findings": [finding]}
    return [e.validator for e in overview_validator().iter_errors(meta) if list(e.absolute_path)[:1] == ["findings"]]


def test_validator_accepts_either_kind_of_grade_or_both() -> None:
    certainty = {"level": "låg", "assessed_by": "Författarna"}
    source_grade = {"grade": "Stark", "source": "a", "scale": "Tre steg: stark, medel, svag."}
    assert _errors(_finding(certainty=certainty)) == []
    assert _errors(_finding(source_grade=source_grade)) == []
    assert _errors(_finding(certainty=certainty, source_grade=source_grade, studies=3, participants=120,
                            designs=["enkätstudie"])) == []
    assert _errors(_finding()) == ["anyOf"]
    assert _errors(_finding(certainty=certainty, strength="stark")) == ["additionalProperties"]


def test_validator_is_built_once() -> None:
    assert overview_validator() is overview_validator()
