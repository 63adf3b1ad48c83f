"""The registry of published addresses (published-urls.txt) is checked on every check and build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kop.cli.main import main
from kop.core.project import load_project
from kop.features.registry import HEADER, REGISTRY_NAME, current_addresses, register
from kop.site.build import build
from kop.site.checking import check
from kop.site.routes import predicted_addresses
from tests.conftest import REPO
from tests.linksite import (
    ALIAS,
    link_site_fixture,  # noqa: F401  (session fixture)
    make_link_project,
)


@pytest.fixture
def registered(tmp_path: Path) -> Path:
    """A fresh project with every current address registered (no site built)."""
    root = make_link_project(tmp_path / "project")
    result = check(load_project(root))
    assert result.ok, result.diagnostics
    register(result, predicted_addresses(result))
    return root


def _errors(root: Path) -> list[str]:
    from kop.core.report import format_text

    return [format_text(d) for d in check(load_project(root)).diagnostics if d.severity == "error"]


def _line_of(root: Path, address: str) -> int:
    return (root / REGISTRY_NAME).read_text(encoding="utf-8").splitlines().index(address) + 1


def test_register_writes_a_sorted_list_with_a_swedish_header(registered):
    text = (registered / REGISTRY_NAME).read_text(encoding="utf-8")
    assert text.startswith(HEADER)
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert lines == sorted(lines)
    for address in ("/k/kop-2024-001/", "/oversikter/testoversikt/", f"/oversikter/{ALIAS}/", "/k/kop-2024-003/",
                    "/oversikter/tillbakadragen/", "/seminarier/kommande-seminarium/", "/feed.xml", "/overviews.json"):
        assert address in lines
    assert "/k/kop-2024-005/" not in lines  # drafts are never published


def test_removed_overview_fails_the_check_naming_each_address(registered):
    (registered / "overviews" / "annan-oversikt.md").unlink()
    errors = _errors(registered)
    for address in ("/k/kop-2024-002/", "/oversikter/annan-oversikt/"):
        line = _line_of(registered, address)
        assert (f"published-urls.txt:{line}:1: fel: Den publicerade adressen '{address}' leder inte längre till "
                "någon sida. [KOP601]") in "\n".join(errors)


def test_renamed_overview_needs_its_old_slug_in_aliases(registered):
    old = registered / "overviews" / "annan-oversikt.md"
    new = registered / "overviews" / "nytt-namn.md"
    shutil.move(old, new)
    errors = _errors(registered)
    assert len(errors) == 1 and "'/oversikter/annan-oversikt/'" in errors[0]
    new.write_text(new.read_text(encoding="utf-8").replace(
        "license: CC-BY-4.0", "aliases:\n  - annan-oversikt\nlicense: CC-BY-4.0"), encoding="utf-8")
    assert _errors(registered) == []


def test_withdrawing_instead_of_deleting_keeps_every_address(registered):
    path = registered / "overviews" / "annan-oversikt.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "license: CC-BY-4.0", 'withdrawn:\n  date: "2025-06-01"\n  reason: Ersatt av en bättre översikt.\n'
        "  replaced_by: kop-2024-001\nlicense: CC-BY-4.0"), encoding="utf-8")
    assert _errors(registered) == []


def test_malformed_and_duplicate_lines_are_reported(registered):
    path = registered / REGISTRY_NAME
    path.write_text(path.read_text(encoding="utf-8") + "oversikter/utan-snedstreck/\n/k/kop-2024-001/\n",
                    encoding="utf-8")
    diags = check(load_project(registered)).diagnostics
    total = len(path.read_text(encoding="utf-8").splitlines())
    assert [(d.code, d.line, d.severity) for d in diags if d.path == REGISTRY_NAME] == [
        ("KOP602", total - 1, "error"), ("KOP603", total, "warning")]


def test_build_fails_on_a_broken_registry_and_never_writes_sources(registered):
    (registered / "overviews" / "annan-oversikt.md").unlink()
    before = (registered / REGISTRY_NAME).read_bytes()
    result = build(load_project(registered))
    assert not result.ok
    assert any(d.code == "KOP601" for d in result.diagnostics)
    assert not (registered / "site").exists()
    assert (registered / REGISTRY_NAME).read_bytes() == before


def test_register_only_adds(registered, capsys):
    path = registered / REGISTRY_NAME
    path.write_text(path.read_text(encoding="utf-8") + "/k/kop-2024-001/extra.txt\n", encoding="utf-8")
    # an address the site does not have fails the check, so registering is refused
    assert main(["registrera", "--root", str(registered)]) == 1
    assert "KOP601" in capsys.readouterr().err
    path.write_text(path.read_text(encoding="utf-8").replace("/k/kop-2024-001/extra.txt\n", ""), encoding="utf-8")
    (registered / "overviews" / "ny.md").write_text(
        (registered / "overviews" / "annan-oversikt.md").read_text(encoding="utf-8")
        .replace("id: kop-2024-002", "id: kop-2024-009"), encoding="utf-8")
    before = set(path.read_text(encoding="utf-8").splitlines())
    assert main(["registrera", "--root", str(registered)]) == 0
    # /k/kop-2024-009/, /oversikter/ny/ and the version address /k/kop-2024-009/v/<version>/
    assert "Lade till 3 adresser" in capsys.readouterr().err
    after = set(path.read_text(encoding="utf-8").splitlines())
    assert after - before == {"/k/kop-2024-009/", "/oversikter/ny/", "/k/kop-2024-009/v/1.1/"}


@pytest.mark.slow
def test_predicted_addresses_all_exist_in_the_built_site(link_site):
    """The check predicts the site's addresses without building; every prediction must be real."""
    site = link_site / "site"
    result = check(load_project(link_site))
    for rel in sorted(predicted_addresses(result)):
        target = site / rel / "index.html" if rel.endswith("/") or rel == "" else site / rel
        assert target.is_file(), rel
    registered = set((link_site / REGISTRY_NAME).read_text(encoding="utf-8").splitlines())
    assert set(current_addresses(predicted_addresses(result))) <= registered


def test_the_shipped_registry_resolves_for_the_shipped_content():
    result = check(load_project(REPO))
    assert not [d for d in result.diagnostics if d.path == REGISTRY_NAME], result.diagnostics
    shipped = (REPO / REGISTRY_NAME).read_text(encoding="utf-8")
    for address in current_addresses(predicted_addresses(result)):
        assert f"{address}\n" in shipped, f"{address} saknas: kör make register"
