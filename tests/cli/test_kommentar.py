"""``kop kommentar``: the pull request's report as Markdown, every value escaped."""

from __future__ import annotations

from pathlib import Path

from kop.cli.cmd_kommentar import MARKER, comment, esc
from kop.cli.main import main
from kop.core.model import Diagnostic


def test_every_problem_is_listed_with_a_line_link_and_the_fix() -> None:
    diags = [Diagnostic("overviews/a.md", 12, 5, "KOP105", "Fel i YAML.", "Sätt citattecken."),
             Diagnostic("references.bib", 3, 0, "KOP201", "Posten kan inte läsas.", "", "warning")]
    body = comment(diags, "skipped", "https://github.com/o/r/actions/runs/1", "https://github.com/o/r/blob/" + "a" * 40)
    assert body.startswith(MARKER + "\n")
    assert "[**overviews/a.md:12:5**](https://github.com/o/r/blob/" + "a" * 40 + "/overviews/a.md#L12)" in body
    assert "– fel: Fel i YAML. (KOP105)" in body and "  - Så rättar du: Sätt citattecken." in body
    assert "[**references.bib:3**]" in body and "– varning: Posten kan inte läsas." in body
    assert "1 fel och 1 varning i 2 filer." in body
    assert "Webbplatsen byggdes inte" in body and "actions/runs/1" not in body  # no preview without a site


def test_a_clean_pull_request_gets_the_preview_address() -> None:
    body = comment([], "success", "https://github.com/o/r/actions/runs/1")
    assert "✅ Inga problem hittades" in body and "Webbplatsen byggdes utan fel." in body
    assert "[sidan för körningen](https://github.com/o/r/actions/runs/1)" in body


def test_text_from_the_pull_request_cannot_add_html_links_or_mentions() -> None:
    hostile = 'nyckel <img src=x onerror=alert(1)> [klicka](https://evil.example) @everyone `kod` | *fet*'
    out = esc(hostile)
    assert "<" not in out and ">" not in out and "@" not in out
    assert "\\[klicka\\]" in out and "\\`kod\\`" in out and "\\|" in out and "\\*fet\\*" in out
    body = comment([Diagnostic("overviews/a.md", 1, 1, "KOP301", f"Okänd nyckel '{hostile}'.")], "skipped", "")
    assert "<img" not in body and "[klicka](" not in body and "@everyone" not in body


def test_the_command_writes_the_report_and_exits_zero_even_with_errors(make_project, tmp_path: Path,
                                                                        monkeypatch) -> None:
    root = make_project({"trasig.md": "---\ntitle: [\n---\n"})
    monkeypatch.setenv("GITHUB_REPOSITORY", "org/kop")
    monkeypatch.setenv("KOP_HEAD_SHA", "not-a-sha")  # ignored: no links rather than broken links
    out = tmp_path / "ut" / "kommentar.md"
    assert main(["kommentar", "--root", str(root), "--ut", str(out), "--forhandsvisning", "javascript:alert(1)"]) == 0
    body = out.read_text(encoding="utf-8")
    assert "**overviews/trasig.md:2:" in body and "/blob/" not in body and "javascript" not in body
