"""``kop build --publicera`` (and KOP_PUBLISH=1 in deploy.yml) refuses the placeholder site address."""

from __future__ import annotations

from pathlib import Path

import pytest

from kop.cli.main import main


def _set_url(root: Path, line: str) -> None:
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    (old,) = [x for x in text.splitlines() if x.startswith("site_url:")]
    config.write_text(text.replace(old, line), encoding="utf-8")


@pytest.mark.parametrize(("line", "shown"), [
    ("site_url: https://kop.example.org/", "exempeladressen https://kop.example.org/"),
    ("site_url: ''", "tom"),
])
def test_publishing_stops_at_the_placeholder(make_project, capsys, line: str, shown: str) -> None:
    root = make_project({})
    _set_url(root, line)
    (root / "site").mkdir()
    (root / "site" / "index.html").write_text("gammal")
    assert main(["--format", "text", "build", "--root", str(root), "--publicera"]) == 1
    err = capsys.readouterr().err
    row = next(i for i, x in enumerate((root / "mkdocs.yml").read_text().splitlines(), 1) if x.startswith("site_url"))
    assert f"mkdocs.yml:{row}:1: fel: Webbplatsens adress är inte inställd: site_url i mkdocs.yml är {shown}." in err
    assert "[KOP509]" in err and "Förvaltarens guide" in err and ".github/ISSUE_TEMPLATE/config.yml" in err
    assert "Traceback" not in err
    assert (root / "site" / "index.html").read_text() == "gammal"


def test_the_environment_variable_of_the_deploy_workflow_does_the_same(make_project, capsys, monkeypatch) -> None:
    root = make_project({})
    monkeypatch.setenv("KOP_PUBLISH", "1")
    assert main(["--format", "text", "build", "--root", str(root)]) == 1
    assert "[KOP509]" in capsys.readouterr().err


def test_a_real_address_passes_the_gate(make_project) -> None:
    from kop.cli.cmd_build import address_problems
    from kop.core.project import load_project

    root = make_project({})
    _set_url(root, "site_url: https://socialt-arbete.github.io/kop/")
    assert address_problems(load_project(root)) == []
    _set_url(root, "site_url: https://kop.example.org/")
    assert [d.code for d in address_problems(load_project(root))] == ["KOP509"]


def test_issue_form_links_to_the_placeholder_are_found_too(make_project, capsys) -> None:
    import shutil

    from tests.conftest import REPO

    root = make_project({})
    _set_url(root, "site_url: https://socialt-arbete.github.io/kop/")
    shutil.copytree(REPO / ".github" / "ISSUE_TEMPLATE", root / ".github" / "ISSUE_TEMPLATE")
    config = root / ".github" / "ISSUE_TEMPLATE" / "config.yml"
    row = next(i for i, x in enumerate(config.read_text().splitlines(), 1) if "kop.example.org" in x)
    assert main(["--format", "text", "build", "--root", str(root), "--publicera"]) == 1
    err = capsys.readouterr().err
    assert (f".github/ISSUE_TEMPLATE/config.yml:{row}:10: fel: Formuläret länkar fortfarande till exempeladressen "
            "https://kop.example.org/bidra/. [KOP510]") in err
    assert "[KOP509]" not in err
    for form in config.parent.glob("*.yml"):
        form.write_text(form.read_text(encoding="utf-8").replace("kop.example.org", "socialt-arbete.github.io/kop"),
                        encoding="utf-8")
    from kop.cli.cmd_build import address_problems
    from kop.core.project import load_project

    assert address_problems(load_project(root)) == []
