"""The contributor guide covers every schema field and every message, and its menu resolves.

Like sqlite-utils' documentation tests: when someone adds a field or a message and
forgets the guide, a test fails and says what is missing.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import shutil
from pathlib import Path

import yaml

import kop
from kop.core.catalogue import CATALOGUE
from kop.core.project import _LenientLoader, load_project
from kop.render.guide import field_reference_markdown, message_catalogue_markdown
from kop.schema.load import iter_fields
from kop.site.build import prepare

REPO = Path(__file__).resolve().parents[2]
GUIDE = REPO / "docs" / "bidra"


def _import_every_module() -> None:
    """Import every module of the kop package (new ones included), so every define() has run."""
    for info in pkgutil.iter_modules(kop.__path__):
        if info.name != "__main__":
            importlib.import_module(f"kop.{info.name}")


def _nav_files(nav: list) -> list[str]:
    out: list[str] = []
    for entry in nav:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        if isinstance(value, list):
            out += _nav_files(value)
        elif isinstance(value, str) and not re.match(r"^[a-z]+://", value):
            out.append(value)
    return out


def test_field_reference_documents_every_schema_field() -> None:
    page = field_reference_markdown()
    headings = set(re.findall(r"^## `([^`]+)`", page, re.MULTILINE))
    fields = [path for path, _, _ in iter_fields()]
    assert len(fields) > 30
    missing = [path for path in fields if path not in headings]
    assert missing == [], f"fields missing from the field reference: {missing}"


def test_message_catalogue_lists_every_message() -> None:
    _import_every_module()
    page = message_catalogue_markdown()
    documented = set(re.findall(r"^## (KOP\d{3}) \{#kop\d{3}\}$", page, re.MULTILINE))
    assert {"KOP101", "KOP140", "KOP301"} <= set(CATALOGUE)
    missing = sorted(set(CATALOGUE) - documented)
    assert missing == [], f"messages missing from the message catalogue: {missing}"
    for code, msg in CATALOGUE.items():
        section = page.split(f"## {code} ", 1)[1].split("\n## ", 1)[0]
        assert "**Så rättar du:**" in section or not msg.hint, code


def test_guide_links_only_to_messages_that_exist() -> None:
    _import_every_module()
    for page in sorted(GUIDE.glob("*.md")):
        for code in re.findall(r"felmeddelanden\.md#(kop\d{3})", page.read_text(encoding="utf-8")):
            assert code.upper() in CATALOGUE, f"{page.name} links to unknown message {code}"


def test_guide_is_one_menu_entry_whose_start_page_links_every_guide_page() -> None:
    """The reader menu holds reader pages; Bidra is one entry, and its start page leads to every guide page."""
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_LenientLoader)
    nav = _nav_files(config["nav"])
    assert [p for p in nav if p.startswith("bidra/")] == ["bidra/index.md"]
    assert next(e for e in config["nav"] if isinstance(e, dict) and "Bidra" in e)["Bidra"] == "bidra/index.md"
    index = (GUIDE / "index.md").read_text(encoding="utf-8")
    for page in sorted(GUIDE.glob("*.md")):
        if page.name != "index.md":
            assert f"({page.name})" in index, f"docs/bidra/index.md does not link to {page.name}"
    for target in ("faltreferens.md", "felmeddelanden.md"):  # generated pages
        assert f"({target})" in index, target


def test_every_menu_entry_exists_after_prepare(make_project) -> None:
    """Generate the real page tree (no MkDocs run) and check every nav entry is a file in it."""
    root = make_project(
        {p.name: p for p in sorted((REPO / "overviews").glob("*.md"))},
        bib=REPO / "references.bib",
    )
    # Other content trees the menu links into (not the URL registry: this test is about the menu).
    for name in ("seminars",):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name)
    project = load_project(root)
    result, formatted = prepare(project)
    assert formatted is not None, [d for d in result.diagnostics if d.severity == "error"]
    config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_LenientLoader)
    missing = [rel for rel in _nav_files(config["nav"]) if not (project.gen_docs_dir / rel).is_file()]
    assert missing == [], f"menu entries without a page: {missing}"
    catalogue = (project.gen_docs_dir / "bidra" / "felmeddelanden.md").read_text(encoding="utf-8")
    assert "## KOP140 {#kop140}" in catalogue
