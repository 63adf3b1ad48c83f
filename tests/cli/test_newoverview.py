"""`kop ny` end to end: the skeleton validates, nothing is overwritten, ids never collide.

Each test drives the real command (``kop.cli.main``) on a throw-away project and checks
the result with the real validator (``kop.site.checking.check``, as ``kop check`` runs it).
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest

from kop.cli.main import main
from kop.cli.new_overview import TEMPLATE_ID, TEMPLATE_NAME, first_reference_key, template_text
from kop.core.project import load_project
from kop.schema.load import iter_fields
from kop.site.checking import check

REPO = Path(__file__).resolve().parents[2]

DRAFT = """---
id: {id}
title: Ett utkast som redan finns
question: Vad vet vi om något som ännu inte är skrivet?
question_from:
  - organisation: Exempelkommunen
    role: frågeställare
summary: Ett utkast som bara finns för att testa att id inte återanvänds.
authors:
  - name: Exempelforskare A
    affiliation: Exempellärosätet
    role: forskare
area:
  - äldreomsorg
status: utkast
method: kartläggning
findings:
  - statement: Ingen slutsats ännu.
    certainty: {{level: låg, assessed_by: Exempelforskare A}}
    references: [ahgren2011decade]
license: CC-BY-4.0
---

Text.
"""


class _Terminal(io.StringIO):
    """Answers typed at a terminal: ``isatty()`` is true, so ``ny`` asks its questions."""

    def isatty(self) -> bool:
        return True


def _ny(root: Path, *args: str, stdin: io.StringIO | None = None,
        monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr("sys.stdin", stdin or io.StringIO(""))
    return main(["ny", "--root", str(root), *args])


ARGS = ("--titel", "Stöd till anhöriga i äldreomsorgen", "--omrade", "äldreomsorg",
        "--omrade", "samverkan och organisering", "--metod", "scoping review",
        "--forfattare", "Anna Andersson;Mälardalens universitet;forskare",
        "--forfattare", "Bo Berg;Västerås stad;praktiker;0000-0002-1825-0097")


def _errors(root: Path) -> list[str]:
    result = check(load_project(root))
    return [f"{d.path}:{d.line}: {d.code} {d.message}" for d in result.diagnostics if d.severity == "error"]


def test_new_overview_validates_as_draft(make_project, monkeypatch, capsys) -> None:
    root = make_project()
    assert _ny(root, *ARGS, monkeypatch=monkeypatch) == 0
    path = root / "overviews" / "stod-till-anhoriga-i-aldreomsorgen.md"
    text = path.read_text(encoding="utf-8")
    assert _errors(root) == []
    result = check(load_project(root))
    (ov,) = result.overviews
    assert ov.meta["id"] == "kop-2026-001"  # KOP_TODAY is pinned to 2026 in conftest
    assert ov.meta["status"] == "utkast"
    assert ov.meta["area"] == ["äldreomsorg", "samverkan och organisering"]
    assert ov.meta["authors"][1] == {"name": "Bo Berg", "affiliation": "Västerås stad", "role": "praktiker",
                                     "orcid": "0000-0002-1825-0097"}
    assert result.published() == []  # a draft is never published
    # Every schema field is in the skeleton (active or commented out) with its Swedish comment.
    for field_path, _sub, _ in iter_fields():
        name = field_path.rsplit(".", 1)[-1].removesuffix("[]")
        assert re.search(rf"^[ #]*-? ?{re.escape(name)}:", text, re.MULTILINE), field_path
        assert f"({name})" in text, f"no comment for {field_path}"
    assert "Skapade overviews/stod-till-anhoriga-i-aldreomsorgen.md med id kop-2026-001" in capsys.readouterr().err


def test_second_run_refuses_to_overwrite(make_project, monkeypatch, capsys) -> None:
    root = make_project()
    assert _ny(root, *ARGS, monkeypatch=monkeypatch) == 0
    path = root / "overviews" / "stod-till-anhoriga-i-aldreomsorgen.md"
    path.write_text(path.read_text(encoding="utf-8").replace("ERSÄTT: Praktikens", "Min egen"), encoding="utf-8")
    before = path.read_bytes()
    capsys.readouterr()
    assert _ny(root, *ARGS, monkeypatch=monkeypatch) == 1
    assert path.read_bytes() == before
    assert sorted(p.name for p in (root / "overviews").iterdir()) == ["stod-till-anhoriga-i-aldreomsorgen.md"]
    err = capsys.readouterr().err
    assert "overviews/stod-till-anhoriga-i-aldreomsorgen.md finns redan; ingenting skrevs." in err


def test_slug_may_not_take_an_alias_of_another_overview(make_project, monkeypatch, capsys) -> None:
    draft = DRAFT.format(id="kop-2026-001").replace("license:", "aliases:\n  - stod-till-anhoriga\nlicense:")
    root = make_project({"annan.md": draft})
    code = _ny(root, "--titel", "Stöd till anhöriga", *ARGS[2:], monkeypatch=monkeypatch)
    assert code == 1
    assert not (root / "overviews" / "stod-till-anhoriga.md").exists()
    assert "adressen 'stod-till-anhoriga' används redan av overviews/annan.md" in capsys.readouterr().err


def test_ids_never_collide_with_drafts_templates_or_registered_ids(make_project, monkeypatch) -> None:
    root = make_project({
        "ett-utkast.md": DRAFT.format(id="kop-2026-003"),
        "aldre.md": DRAFT.format(id="kop-2025-009").replace("Ett utkast som", "Ett äldre utkast som"),
    })
    # An overview that was withdrawn and deleted long ago still holds its id in the registry.
    (root / "published-urls.txt").write_text("# registry\n/k/kop-2026-007/\n", encoding="utf-8")
    assert _ny(root, *ARGS, monkeypatch=monkeypatch) == 0
    assert _ny(root, "--titel", "Ekonomiskt bistånd och arbete", *ARGS[2:], monkeypatch=monkeypatch) == 0
    result = check(load_project(root))
    ids = sorted(ov.meta["id"] for ov in result.overviews)
    assert ids == ["kop-2025-009", "kop-2026-003", "kop-2026-008", "kop-2026-009"]
    assert not [d for d in result.diagnostics if d.code == "KOP121"]
    # The only complaint is the registry's: the deleted overview's address no longer resolves.
    assert [e.split(" ", 2)[:2] for e in _errors(root)] == [["published-urls.txt:2:", "KOP601"]]


def test_slug_from_swedish_title(make_project, monkeypatch) -> None:
    root = make_project()
    title = "Åtgärder för äldre på särskilt boende – Öppna jämförelser"
    assert _ny(root, "--titel", title, *ARGS[2:], monkeypatch=monkeypatch) == 0
    path = root / "overviews" / "atgarder-for-aldre-pa-sarskilt-boende-oppna-jamforelser.md"
    assert path.is_file()
    assert check(load_project(root)).overviews[0].meta["title"] == title


def test_questions_on_a_terminal(make_project, monkeypatch, capsys) -> None:
    root = make_project()
    answers = _Terminal("\n".join([
        "Hem",                      # too short: asked again
        "Hemlöshet och boendestöd",
        "7, 3",                     # areas by number
        "scoping",                  # not a method: asked again, with a suggestion
        "2",
        "Anna Andersson", "Mälardalens universitet", "forskarE",
        "Bo Berg", "Eskilstuna kommun", "praktiker",
        "",                         # no more authors
    ]) + "\n")
    assert _ny(root, stdin=answers, monkeypatch=monkeypatch) == 0
    (ov,) = check(load_project(root)).overviews
    assert ov.slug == "hemloshet-och-boendestod"
    assert ov.meta["area"] == ["våld i nära relationer", "barn och unga"]
    assert ov.meta["method"] == "scoping review"
    assert [a["role"] for a in ov.meta["authors"]] == ["forskare", "praktiker"]
    err = capsys.readouterr().err
    assert "Titeln måste vara minst 5 tecken lång." in err
    assert "Menade du 'scoping review'?" in err
    assert _errors(root) == []


@pytest.mark.parametrize(("args", "message"), [
    (("--titel", "Stöd till anhöriga", "--omrade", "äldreomsorgen", "--metod", "kartläggning",
      "--forfattare", "A B;C;forskare"), "'äldreomsorgen' är inte ett tillåtet värde för område (--omrade). "
                                         "Menade du 'äldreomsorg'?"),
    (("--titel", "Stöd till anhöriga", "--omrade", "äldreomsorg", "--metod", "kartläggning",
      "--forfattare", "Bara ett namn"), "Författaren 'Bara ett namn' ska skrivas som"),
    (("--titel", "Stöd till anhöriga"), "Ange --omrade, --metod, --forfattare"),
    (("--titel", "Stöd till anhöriga", "--omrade", "äldreomsorg", "--metod", "kartläggning",
      "--forfattare", "A B;C;forskare;0000-0002-1825-0098"), "ORCID '0000-0002-1825-0098' har fel kontrollsiffra."),
])
def test_bad_input_is_a_usage_error_and_writes_nothing(make_project, monkeypatch, capsys, args, message) -> None:
    root = make_project()
    assert _ny(root, *args, monkeypatch=monkeypatch) == 2
    assert list((root / "overviews").iterdir()) == []
    assert message in capsys.readouterr().err


def test_placeholders_block_leaving_draft(make_project, monkeypatch) -> None:
    root = make_project()
    assert _ny(root, *ARGS, monkeypatch=monkeypatch) == 0
    path = root / "overviews" / "stod-till-anhoriga-i-aldreomsorgen.md"
    text = path.read_text(encoding="utf-8").replace("status: utkast", 'status: granskning\npublished: "2026-11-01"')
    path.write_text(text, encoding="utf-8")
    diags = [d for d in check(load_project(root)).diagnostics if d.code == "KOP140"]
    lines = text.split("\n")
    question_line = next(i for i, line in enumerate(lines, 1) if line.startswith("question: "))
    assert any(d.line == question_line and "i fältet 'question'" in d.message for d in diags)
    assert any("brödtexten" in d.message for d in diags)
    assert all(d.severity == "error" and "men status är 'granskning'" in d.message for d in diags)


def test_committed_template_is_generated_from_the_schema() -> None:
    expected = template_text(first_reference_key(load_project(REPO)))
    actual = (REPO / "overviews" / TEMPLATE_NAME).read_text(encoding="utf-8")
    assert actual == expected, (
        "overviews/_mall.md is out of date with the schema; refresh it with "
        "`PYTHONPATH=scripts .venv/bin/python -m kop ny --mall`"
    )


def test_template_copied_to_a_slug_with_id_filled_validates(make_project) -> None:
    root = make_project(bib=REPO / "references.bib")
    text = (REPO / "overviews" / TEMPLATE_NAME).read_text(encoding="utf-8")
    assert TEMPLATE_ID in text
    shutil.copy(REPO / "overviews" / TEMPLATE_NAME, root / "overviews" / TEMPLATE_NAME)
    # As copied, unchanged, the template is skipped (it starts with _) ...
    assert check(load_project(root)).overviews == []
    # ... and once copied to a slug name with its id filled in, it is a valid draft.
    (root / "overviews" / "min-oversikt.md").write_text(
        text.replace(f"id: {TEMPLATE_ID}", "id: kop-2026-001"), encoding="utf-8")
    result = check(load_project(root))
    assert [ov.slug for ov in result.overviews] == ["min-oversikt"]
    problems = [f"{d.line}: {d.code} {d.message}" for d in result.diagnostics
                if d.path == "overviews/min-oversikt.md"]
    assert problems == []
    # With the placeholder id left in, the check says what is wrong, on the id line.
    (root / "overviews" / "min-oversikt.md").write_text(text, encoding="utf-8")
    bad = [d for d in check(load_project(root)).diagnostics if d.path == "overviews/min-oversikt.md"]
    assert [d.code for d in bad] == ["KOP114"]
    assert text.split("\n")[bad[0].line - 1].startswith("id: ")
