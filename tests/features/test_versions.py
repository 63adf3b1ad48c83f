"""Living overviews: versions from a real git history, their pages, the change list and the feed.

A scratch repository gets three published versions of one overview: v1; v2 raises a
finding's certainty; v3 adds a finding. The real build then has to publish a permanent
address per version, render the older ones as they were (marked "Äldre version"), list the
changes on the current page, and put them in the changes feed. A shallow clone of the same
repository must still build, with a warning and the current version only.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from kop.core.project import load_project
from kop.site.build import build
from tests.conftest import FIXTURES, REPO

VALID = FIXTURES / "valid" / "testoversikt.md"
ENV = {"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "T",
       "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin"}
SECOND = ("  - statement: Tillit mellan parterna underlättar samverkan.\n"
          "    certainty: {level: låg, assessed_by: Testforskare A}\n"
          "    references:\n      - danermark1999samverkan\n")


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env={**ENV, "HOME": str(root)})


def version_text(version: str, updated: str, level: str, extra: str = "", changes: str = "") -> str:
    text = VALID.read_text(encoding="utf-8")
    text = text.replace('version: "1.0"', f'version: "{version}"{changes}').replace(
        'updated: "2024-04-01"', f'updated: "{updated}"')
    text = text.replace("certainty: {level: måttlig,", f"certainty: {{level: {level},")
    return text.replace("license: CC-BY-4.0", "license: CC-BY-4.0").replace(
        "      - danermark1999samverkan\nlicense:", "      - danermark1999samverkan\n" + extra + "license:")


def make_repo(root: Path) -> Path:
    (root / "overviews").mkdir(parents=True)
    shutil.copy(FIXTURES / "project" / "references.bib", root / "references.bib")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "docs", root / "docs")
    git(root, "init", "-q", "-b", "main")
    target = root / "overviews" / "testoversikt.md"
    steps = [
        ("Första versionen", version_text("1.0", "2024-04-01", "låg")),
        ("Ny studie", version_text("2.0", "2024-06-01", "måttlig",
                                   changes="\nchanges: En ny studie höjer evidensstyrkan.")),
        ("Nytt resultat", version_text("3.0", "2024-09-01", "måttlig", extra=SECOND)),
    ]
    for subject, text in steps:
        target.write_text(text, encoding="utf-8")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", subject)
    return root


@pytest.fixture(scope="module")
def versioned_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_repo(tmp_path_factory.mktemp("versions") / "project")
    result = build(load_project(root))
    assert result.ok, [d for d in result.diagnostics if d.severity == "error"]
    return root / "site"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.mark.slow
def test_every_version_has_a_permanent_address(versioned_site: Path) -> None:
    for version in ("1.0", "2.0"):
        redirect = (versioned_site / "k" / "kop-2024-001" / "v" / version / "index.html").read_text(encoding="utf-8")
        assert f"versioner/kop-2024-001-{version}/" in redirect and "location.hash" in redirect
    current = (versioned_site / "k" / "kop-2024-001" / "v" / "3.0" / "index.html").read_text(encoding="utf-8")
    assert "oversikter/testoversikt/" in current


@pytest.mark.slow
def test_older_version_renders_as_it_was_and_is_marked(versioned_site: Path) -> None:
    page = soup(versioned_site / "versioner" / "kop-2024-001-1.0" / "index.html")
    banner = page.select_one(".kop-older-version")
    assert banner is not None and "version 1.0" in banner.get_text()
    assert banner.find("a", href=True)["href"].endswith("oversikter/testoversikt/")
    text = page.get_text(" ")
    assert "Tillit mellan parterna" not in text, "v1 did not have the finding v3 added"
    assert "/k/kop-2024-001/v/1.0/" in text, "the version's own permanent address is shown"
    assert page.select("#referenser, .kop-references, [id^='ref-']"), "the version keeps its reference list"
    cite = " ".join(page.select_one(".kop-cite-box").get_text(" ").split())
    assert "(Version 1.0)" in cite and "/k/kop-2024-001/v/1.0/" in cite, "the Citera text names the version read"


@pytest.mark.slow
def test_what_changed_lists_structured_changes(versioned_site: Path) -> None:
    section = soup(versioned_site / "oversikter" / "testoversikt" / "index.html").select_one(".kop-what-changed")
    assert section is not None
    text = " ".join(section.get_text(" ").split())
    assert "Nytt resultat: “Tillit mellan parterna underlättar samverkan.”" in text.replace('"', "“", 1).replace(
        '"', "”", 1) or "Nytt resultat: Tillit mellan parterna underlättar samverkan." in text
    assert "Ändrad evidensstyrka" in text and "Låg → Måttlig" in text
    assert "En ny studie höjer evidensstyrkan." in text, "the changes: field is the note"
    assert [a["href"] for a in section.select("h3 + ul a")] == [
        "../../versioner/kop-2024-001-2.0/", "../../versioner/kop-2024-001-1.0/"]


@pytest.mark.slow
def test_changes_feed_has_each_new_version(versioned_site: Path) -> None:
    feed = (versioned_site / "andringar.xml").read_text(encoding="utf-8")
    assert feed.count("<entry>") == 2
    assert "/k/kop-2024-001/v/3.0/" in feed and "/k/kop-2024-001/v/2.0/" in feed
    assert "En ny studie höjer evidensstyrkan." in feed


@pytest.mark.slow
def test_shallow_clone_builds_with_a_warning(tmp_path: Path) -> None:
    origin = make_repo(tmp_path / "origin")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{origin}", str(clone)], check=True)
    result = build(load_project(clone))
    assert result.ok
    assert "KOP620" in [d.code for d in result.diagnostics]
    assert not (clone / "site" / "versioner").exists()
    current = (clone / "site" / "k" / "kop-2024-001" / "v" / "3.0" / "index.html").read_text(encoding="utf-8")
    assert "Den här versionen är den aktuella" in current


@pytest.mark.slow
def test_shallow_clone_keeps_registered_version_addresses(tmp_path: Path) -> None:
    """Without the history, promised addresses of older versions still lead somewhere: the current page."""
    origin = make_repo(tmp_path / "origin")
    (origin / "published-urls.txt").write_text("/k/kop-2024-001/v/1.0/\n/k/kop-2024-001/v/3.0/\n", encoding="utf-8")
    git(origin, "add", "-A")
    git(origin, "commit", "-q", "-m", "Registrera adresser")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{origin}", str(clone)], check=True)
    result = build(load_project(clone))
    assert result.ok, [d for d in result.diagnostics if d.severity == "error"]
    old = (clone / "site" / "k" / "kop-2024-001" / "v" / "1.0" / "index.html").read_text(encoding="utf-8")
    assert "kunde inte byggas utan git-historiken" in old and "oversikter/testoversikt/" in old
    current = (clone / "site" / "k" / "kop-2024-001" / "v" / "3.0" / "index.html").read_text(encoding="utf-8")
    assert "Den här versionen är den aktuella" in current


def _site_tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_older_pages_are_kept_and_checked_against_the_formatting(tmp_path: Path) -> None:
    """A version never changes: the second build reuses its page (the same site), but not once what it read changed."""
    root = make_repo(tmp_path / "project")
    project = load_project(root)
    assert build(project).ok
    first = _site_tree(root / "site")
    kept = sorted((project.cache_dir / "versions").glob("*.json"))
    assert len(kept) == 2  # versions 1.0 and 2.0
    assert build(project).ok
    assert _site_tree(root / "site") == first

    # plant a marker in each kept page: a build reuses them, so the marker is published
    for entry in kept:
        page = entry.with_suffix(".md")
        page.write_text(page.read_text(encoding="utf-8") + "\n\nFRÅN-CACHEN\n", encoding="utf-8")
    assert build(project).ok
    assert "FRÅN-CACHEN" in (root / "site" / "versioner" / "kop-2024-001-1.0" / "index.html").read_text("utf-8")

    # the formatting a kept page read is different now (its recorded reads say so): rendered again
    data = json.loads(kept[0].read_text(encoding="utf-8"))
    data["reads"] = "något annat"
    kept[0].write_text(json.dumps(data), encoding="utf-8")
    for entry in kept[1:]:
        entry.unlink()
    assert build(project).ok
    for version in ("1.0", "2.0"):
        html = (root / "site" / "versioner" / f"kop-2024-001-{version}" / "index.html").read_text("utf-8")
        assert "FRÅN-CACHEN" not in html
    assert _site_tree(root / "site") == first

    # a build without the history (a copy without .git) has no older versions, and keeps their pages
    kept = sorted((project.cache_dir / "versions").glob("*"))
    (root / ".git").rename(root / ".git-undan")
    try:
        assert build(project).ok
    finally:
        (root / ".git-undan").rename(root / ".git")
    assert sorted((project.cache_dir / "versions").glob("*")) == kept


@pytest.mark.slow
def test_an_older_version_keeps_its_own_reference_when_the_entry_changed_since(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "project")
    project = load_project(root)
    assert build(project).ok
    bib = root / "references.bib"
    text = bib.read_text(encoding="utf-8")
    assert "Samverkan" in text
    bib.write_text(text.replace("Samverkan", "Samverkan (rättad titel)", 1), encoding="utf-8")
    assert build(project).ok
    current = (root / "site" / "oversikter" / "testoversikt" / "index.html").read_text("utf-8")
    older = (root / "site" / "versioner" / "kop-2024-001-1.0" / "index.html").read_text("utf-8")
    assert "(rättad titel)" in current and "(rättad titel)" not in older
