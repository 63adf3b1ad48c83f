"""``kop build --forhandsvisning``: a browsable site despite errors, with banners; unsafe content still refused."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from kop.cli.main import main
from tests.conftest import FIXTURES, REPO

VALID = (FIXTURES / "valid" / "testoversikt.md").read_text(encoding="utf-8")
GOOD_BIB = (FIXTURES / "project" / "references.bib").read_text(encoding="utf-8")
UNSAFE_BIB = GOOD_BIB + ("\n@misc{farlig2020,\n  author = {Farlig, Fia},\n  title = {Farlig},\n  year = {2020},\n"
                         "  url = {javascript:alert(document.domain)}\n}\n")


def _overview(number: int, title: str, extra_body: str = "") -> str:
    text = VALID.replace("id: kop-2024-001", f"id: kop-2024-{number:03d}")
    return text.replace("title: Testöversikt om samverkan", f"title: {title}") + extra_body


@pytest.fixture
def project(make_project) -> Path:
    with_errors = _overview(3, "”Med fel”", "\nSe även [@farlig2020].\n").replace(
        "area:\n", "area:\n  - <em>påhittat</em> område\n")
    return make_project({
        "bra.md": _overview(1, "Bra översikt"),
        "farlig.md": _overview(2, "Farlig översikt", "\n<script>alert('skript')</script>\n"),
        "trasig.md": "---\ntitle: [\n---\n\nText\n",
        "medfel.md": with_errors,
    }, bib=UNSAFE_BIB)


def _page(root: Path, slug: str) -> str:
    return (root / "site" / "oversikter" / slug / "index.html").read_text(encoding="utf-8")


def test_the_preview_is_built_with_banners_and_without_what_the_safety_check_refuses(project: Path, capsys) -> None:
    assert main(["--format", "text", "build", "--root", str(project), "--forhandsvisning"]) == 0
    err = capsys.readouterr().err
    assert "Förhandsvisningen byggdes till site/ med" in err and "Den får aldrig publiceras." in err
    assert "[KOP401]" in err and "[KOP117]" in err  # every problem is still reported
    page = _page(project, "medfel")
    banner = page[page.index('class="admonition failure kop-preview-errors"'):]
    banner = banner[: banner.index("</div>")]
    assert "Förhandsvisning: overviews/medfel.md har" in banner
    assert "(rad 3, kolumn 8): Värdet för &#x27;title&#x27; står inom det typografiska citattecknet ”" in banner \
        or "(rad 3, kolumn 8): Värdet för 'title' står inom det typografiska citattecknet ”" in banner
    assert "&lt;em&gt;påhittat&lt;/em&gt;" in banner and "<em>påhittat</em>" not in banner  # escaped
    assert "KOP113" in banner
    assert page.index("kop-preview-errors") < page.index("<h1")  # at the top of the page
    assert "kop-preview-errors" not in _page(project, "bra")
    assert not (project / "site" / "oversikter" / "farlig").exists()
    assert not (project / "site" / "oversikter" / "trasig").exists()
    for path in (project / "site").rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".ics", ".js", ".txt", ".bib"):
            data = path.read_text(encoding="utf-8", errors="replace")
            # messages may quote the refused text, escaped; the active content itself never appears
            assert "<script>alert" not in data and 'href="javascript:' not in data.lower(), path
    summary = (project / "site" / "forhandsvisning" / "index.html").read_text(encoding="utf-8")
    assert "overviews/farlig.md</code>: Visas inte i förhandsvisningen: innehållet stoppas av säkerhetskontrollen" \
        in summary
    assert "overviews/trasig.md</code>: Visas inte i förhandsvisningen: fälten överst i filen kunde inte läsas" \
        in summary
    assert "references.bib#farlig2020</code>: Visas inte i förhandsvisningen" in summary
    assert "KOP105" in summary and "KOP401" in summary
    start = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert "Förhandsvisning med" in start and 'href="forhandsvisning/"' in start


def test_without_the_flag_the_build_still_stops_at_errors(project: Path, capsys) -> None:
    assert main(["--format", "text", "build", "--root", str(project)]) == 1
    assert "Bygget avbröts" in capsys.readouterr().err
    assert not (project / "site").exists()


def test_a_preview_is_never_published(project: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("KOP_PUBLISH", "1")
    assert main(["--format", "text", "build", "--root", str(project), "--forhandsvisning"]) == 2
    err = capsys.readouterr().err
    assert ("mkdocs.yml:1: fel: En förhandsvisning får aldrig publiceras (KOP_PUBLISH=1 och --forhandsvisning). "
            "[KOP616]") in err
    assert not (project / "site").exists()


def test_publishing_and_preview_cannot_be_combined(project: Path, capsys) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["build", "--root", str(project), "--publicera", "--forhandsvisning"])
    assert stop.value.code == 2
    assert "--forhandsvisning" in capsys.readouterr().err


def test_the_pull_request_workflow_step_builds_the_preview(project: Path) -> None:
    steps = yaml.safe_load((REPO / ".github" / "workflows" / "pr.yml").read_text(encoding="utf-8"))
    (step,) = [s for s in steps["jobs"]["content"]["steps"] if s.get("id") == "preview"]
    assert step["if"] == "${{ !cancelled() && steps.site.outcome != 'success' }}"
    (project / "scripts").symlink_to(REPO / "scripts")
    (project / ".venv").symlink_to(REPO / ".venv")
    proc = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=project, env={"PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "kop-preview-errors" in _page(project, "medfel")


def test_values_of_the_wrong_type_are_left_out_so_the_page_still_shows(make_project, capsys) -> None:
    weird = _overview(5, "[a, b]").replace("authors:\n", "authors: en text\nxauthors:\n")
    no_id = "\n".join(line for line in VALID.splitlines() if not line.startswith("id:")) + "\n"
    root = make_project({"konstig.md": weird, "utanid.md": no_id, "bra.md": _overview(1, "Bra")})
    assert main(["--format", "text", "build", "--root", str(root), "--forhandsvisning"]) == 0
    err = capsys.readouterr().err
    assert "overviews/konstig.md:3:1: fel: Fältet 'title' ska vara en text, men är en lista. [KOP112]" in err
    page = _page(root, "konstig")
    assert "kop-preview-errors" in page and "konstig" in page[page.index("<h1"):]  # the file name as heading
    assert not (root / "site" / "oversikter" / "utanid").exists()
    summary = (root / "site" / "forhandsvisning" / "index.html").read_text(encoding="utf-8")
    assert ("overviews/utanid.md</code>: Visas inte i förhandsvisningen: fältet id saknas eller är inte en text, så "
            "sidan har ingen adress.") in summary


def test_a_page_that_cannot_be_rendered_is_left_out_and_the_rest_is_kept(make_project) -> None:
    from kop.core.project import load_project
    from kop.site.checking import check
    from kop.site.preview import collect, restrict

    root = make_project({"bra.md": _overview(1, "Bra"), "medfel.md": _overview(3, "”Med fel”")})
    result = check(load_project(root))
    shown = restrict(result)

    def make():  # the generator's order: shared pages, then one page per published overview
        yield "index.md", "---\ntitle: KÖP\n---\n\n# KÖP\n"
        for ov in result.published():
            if ov.slug == "medfel":
                raise KeyError("title")
            yield f"oversikter/{ov.slug}.md", f"# {ov.slug}\n"

    files = collect(make, result, shown)
    assert set(files) == {"index.md", "oversikter/bra.md", "forhandsvisning/index.md"}
    assert shown.dropped == {"overviews/medfel.md": "sidan kunde inte byggas med de här felen"}
    assert "Förhandsvisning med" in files["index.md"]


def test_a_build_error_with_no_page_to_blame_is_not_hidden(make_project) -> None:
    from kop.core.project import load_project
    from kop.site.checking import check
    from kop.site.preview import collect, restrict

    root = make_project({"bra.md": _overview(1, "Bra")})
    result = check(load_project(root))
    shown = restrict(result)

    def make():
        raise OSError("disken är full")
        yield  # pragma: no cover

    with pytest.raises(OSError):
        collect(make, result, shown)
