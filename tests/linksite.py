"""One real site, built once per session, for the permalink, citation, feed and seminar tests.

The project holds: a published overview with a former slug in ``aliases``; a second one
whose title is hostile (quotes, ``&`` and ``</script>``) to prove every head value is
escaped for its context; a withdrawn overview replaced by the first; a draft; two
seminars (one upcoming, one past); and a ``published-urls.txt`` made by ``register``.
Import the fixture into a test module with ``from tests.linksite import link_site_fixture``; tests
then ask for ``link_site``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, REPO

VALID = FIXTURES / "valid" / "testoversikt.md"
SEMINARS = FIXTURES / "seminars"
HOSTILE_TITLE = 'Samverkan "i praktiken" & <script>alert(1)</script> – test'
ALIAS = "gammal-testoversikt"


def overview_texts() -> dict[str, str]:
    """The overview files of the project, derived from the valid fixture."""
    base = VALID.read_text(encoding="utf-8")
    first = base.replace("license: CC-BY-4.0", f"aliases:\n  - {ALIAS}\nlicense: CC-BY-4.0")
    second = (base.replace("id: kop-2024-001", "id: kop-2024-002")
              .replace("title: Testöversikt om samverkan", f"title: '{HOSTILE_TITLE}'")
              .replace('updated: "2024-04-01"', 'updated: "2024-09-02"').replace('version: "1.0"', 'version: "1.1"'))
    withdrawn = (base.replace("id: kop-2024-001", "id: kop-2024-003")
                 .replace("title: Testöversikt om samverkan", "title: En tillbakadragen testöversikt")
                 .replace("license: CC-BY-4.0", 'withdrawn:\n  date: "2025-01-10"\n  reason: Sökningen innehöll ett '
                          "allvarligt fel.\n  replaced_by: kop-2024-001\nlicense: CC-BY-4.0"))
    draft = base.replace("id: kop-2024-001", "id: kop-2024-005").replace("status: publicerad", "status: utkast")
    return {"testoversikt.md": first, "annan-oversikt.md": second, "tillbakadragen.md": withdrawn, "utkast.md": draft}


def make_link_project(root: Path, seminars: bool = True) -> Path:
    """Write the project (no registry yet) under ``root`` and return it."""
    (root / "overviews").mkdir(parents=True)
    for name, text in overview_texts().items():
        (root / "overviews" / name).write_text(text, encoding="utf-8")
    if seminars:
        (root / "seminars").mkdir()
        for path in SEMINARS.glob("*.md"):
            shutil.copy(path, root / "seminars" / path.name)
    shutil.copy(FIXTURES / "project" / "references.bib", root / "references.bib")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "docs", root / "docs")
    return root


_BUILT = pytest.StashKey[Path]()


@pytest.fixture(scope="session", name="link_site")
def link_site_fixture(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project root after ``register`` and a full build (``<root>/site`` is the site).

    Each test module imports this fixture, and pytest keeps one session-scoped instance per module
    that defines it; the stash makes it one build for the whole session (``make test-fast`` relies
    on that: it builds this site and no other).
    """
    if _BUILT not in request.config.stash:
        request.config.stash[_BUILT] = _build_link_site(tmp_path_factory)
    return request.config.stash[_BUILT]


def _build_link_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kop.core.project import load_project
    from kop.features.registry import register
    from kop.site.build import build
    from kop.site.checking import check
    from kop.site.routes import predicted_addresses

    root = make_link_project(tmp_path_factory.mktemp("links") / "project")
    project = load_project(root)
    before = check(project)
    assert before.ok, before.diagnostics
    register(before, predicted_addresses(before))
    result = build(load_project(root))
    assert result.ok, [d for d in result.diagnostics if d.severity == "error"]
    return root
