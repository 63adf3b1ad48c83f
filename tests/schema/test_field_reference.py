"""The guide's field reference (generated from the schema) documents issue 13's fields and scale."""

from __future__ import annotations

import re

from kop.render.guide import field_reference_markdown
from kop.schema.load import certainty_levels


def _section(page: str, field: str) -> str:
    return page.split(f"## `{field}` ", 1)[1].split("\n## ", 1)[0]


def test_certainty_and_source_grade_are_documented_with_when_they_are_required() -> None:
    page = field_reference_markdown()
    certainty = _section(page, "findings[].certainty")
    assert "**Evidensstyrka** – grupp av fält, **obligatoriskt** om `source_grade` saknas" in certainty
    assert "KÖP:s egen bedömning" in certainty
    source_grade = _section(page, "findings[].source_grade")
    assert "**obligatoriskt** om `certainty` saknas" in source_grade
    assert "enligt källan" in source_grade and "aldrig som KÖP:s evidensstyrka" in source_grade
    assert "måste ha `certainty` eller `source_grade`" in _section(page, "findings")
    for field in ("certainty.level", "certainty.assessed_by", "certainty.motivation", "source_grade.grade",
                  "source_grade.source", "source_grade.scale", "studies", "participants", "designs"):
        assert f"## `findings[].{field}` " in page, field


def test_certainty_scale_is_listed_from_the_vocabulary_and_links_the_legend() -> None:
    level = _section(field_reference_markdown(), "findings[].certainty.level")
    for item in certainty_levels():
        assert f"- `{item['value']}` (visas som {item['symbol']} {item['label']}) – {item['description']}" in level
    assert "[Evidensstyrka](../evidensstyrka.md)" in level


def test_new_fields_are_documented() -> None:
    page = field_reference_markdown()
    for field in ("plain_language", "plain_language.why", "plain_language.how_certain", "included_studies",
                  "included_studies[].key", "included_studies[].quality", "knowledge_gaps", "funding",
                  "conflicts_of_interest", "review", "review[].name", "review[].date"):
        assert re.search(rf"^## `{re.escape(field)}` \{{#falt-", page, re.MULTILINE), field
    assert "**Lättläst sammanfattning** – grupp av fält, valfritt" in page
    assert "**Datum** – datum (ÅÅÅÅ-MM-DD), valfritt" in _section(page, "review[].date")


def test_removed_strength_points_to_its_message_and_replacements() -> None:
    page = field_reference_markdown()
    assert "## `findings[].strength`" not in page
    removed = page.split("## Borttagna fält", 1)[1]
    assert "`findings[].strength` ([KOP160](felmeddelanden.md#kop160))" in removed
    assert "`certainty`" in removed and "`source_grade`" in removed
