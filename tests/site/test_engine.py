"""kop.site.engine: one boundary around the site engine, MkDocs or ProperDocs, with the same site from both.

Every build runs in a fresh Python process with ``KOP_ENGINE`` set: one process holds one
engine (ProperDocs aliases ``mkdocs.*`` to itself, as its own command line does), and the
plugin that forks (:mod:`kop.site.engine.parallel_pages`) declines in a threaded test process.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kop.core.project import load_project
from kop.site import engine
from kop.site.build import build
from kop.site.engine import api
from tests.conftest import REPO

ENGINES = ["mkdocs", "properdocs"]
EPOCH = "1764547200"


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _env(name: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO / "scripts"), "KOP_ENGINE": name, "SOURCE_DATE_EPOCH": EPOCH,
            "KOP_TODAY": "2026-11-23"}


# ---------------------------------------------------------------- choosing the engine


@pytest.fixture
def project_root(make_project, monkeypatch) -> Path:
    monkeypatch.delenv(engine.ENV_VAR, raising=False)
    return make_project({})


def _set_engine_in_mkdocs_yml(root: Path, value: str) -> None:
    path = root / "mkdocs.yml"
    text = path.read_text(encoding="utf-8")
    assert "\n  kop:\n" in text
    path.write_text(text.replace("\n  kop:\n", f"\n  kop:\n    engine: {value}\n", 1), encoding="utf-8")


def test_mkdocs_is_the_default(project_root: Path):
    assert engine.engine_name(load_project(project_root)) == "mkdocs"
    assert engine.check(load_project(project_root)) is None


def test_mkdocs_yml_chooses_and_the_environment_wins(project_root: Path, monkeypatch):
    _set_engine_in_mkdocs_yml(project_root, "properdocs")
    assert engine.engine_name(load_project(project_root)) == "properdocs"
    monkeypatch.setenv(engine.ENV_VAR, " MkDocs ")
    assert engine.engine_name(load_project(project_root)) == "mkdocs"


def test_unknown_engine_in_the_environment_is_a_swedish_error_with_a_suggestion(project_root: Path, monkeypatch):
    monkeypatch.setenv(engine.ENV_VAR, "properdoc")
    diagnostic = engine.check(load_project(project_root))
    assert diagnostic is not None and diagnostic.code == "KOP910" and diagnostic.severity == "error"
    assert "Okänd webbplatsmotor 'properdoc'" in diagnostic.message
    assert "miljövariabeln KOP_ENGINE" in diagnostic.message
    assert "Menade du 'properdocs'?" in diagnostic.message
    assert "mkdocs, properdocs" in diagnostic.hint
    assert engine.run(load_project(project_root), project_root / "site") == [diagnostic.message]


def test_unknown_engine_in_mkdocs_yml_points_at_its_line(project_root: Path):
    _set_engine_in_mkdocs_yml(project_root, "mkdoc")
    diagnostic = engine.check(load_project(project_root))
    assert diagnostic is not None and diagnostic.code == "KOP910"
    assert "Menade du 'mkdocs'?" in diagnostic.message and "extra.kop.engine i mkdocs.yml" in diagnostic.message
    lines = (project_root / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    assert lines[diagnostic.line - 1].strip() == "engine: mkdoc"


def test_an_engine_that_is_not_installed_is_reported(project_root: Path, monkeypatch):
    monkeypatch.setenv(engine.ENV_VAR, "properdocs")
    monkeypatch.setattr(api, "installed", lambda name: False)
    diagnostic = engine.check(load_project(project_root))
    assert diagnostic is not None and diagnostic.code == "KOP911"
    assert "'properdocs'" in diagnostic.message and "inte installerad" in diagnostic.message


def test_the_build_stops_before_any_work_and_keeps_the_old_site(project_root: Path, monkeypatch):
    (project_root / "site").mkdir()
    (project_root / "site" / "index.html").write_text("förra", encoding="utf-8")
    monkeypatch.setenv(engine.ENV_VAR, "hugo")
    result = build(load_project(project_root))
    assert [d.code for d in result.diagnostics] == ["KOP910"]
    assert (project_root / "site" / "index.html").read_text(encoding="utf-8") == "förra"
    assert not (project_root / "build" / "docs").exists()  # nothing was prepared


def test_cli_reports_the_unknown_engine(project_root: Path):
    proc = subprocess.run([sys.executable, "-m", "kop", "build", "--root", str(project_root)], env=_env("mkdokcs"),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    assert "KOP910" in proc.stderr + proc.stdout and "Menade du 'mkdocs'?" in proc.stderr + proc.stdout


# ---------------------------------------------------------------- the anchor-id hand-over, under both engines

_ANCHORS = """
import json, sys
from pathlib import Path
from kop.core.project import load_project
from kop.site import engine

root = Path(sys.argv[1])
if sys.argv[2:] == ["without-hand-over"]:  # the control: what the trap (a renamed scanner) looked like
    engine.rawhtml.anchor_scanners = lambda md: []
problems = engine.run(load_project(root), root / "site", strict=True, parallel=False)
loaded = engine.api._LOADED
real_mkdocs = any(getattr(m, "__name__", "").split(".")[0] == "mkdocs" for m in list(sys.modules.values()))
print(json.dumps({"problems": problems, "engines": sorted(loaded), "real_mkdocs_loaded": real_mkdocs,
                  "internals": [e.page_internals() for e in loaded.values()]}))
"""

_MKDOCS_YML = """site_name: Ankartest
docs_dir: build/docs
site_dir: site
strict: true
validation:
  anchors: warn
theme:
  name: material
  language: sv
  font: false
plugins: []
markdown_extensions:
  - kop.site.engine.rawhtml
  - toc
"""


def _anchor_project(root: Path, link: str) -> Path:
    from kop.render.fragments import block, raw

    docs = root / "build" / "docs"
    docs.mkdir(parents=True)
    (root / "mkdocs.yml").write_text(_MKDOCS_YML, encoding="utf-8")
    generated = block('<section id="resultat-i-korthet"><h2 id="referenser">Referenser</h2>'
                      '<p id="ref-andersson-2020">A.</p></section>')
    (docs / "index.md").write_text(f"# Start\n\nSe [resultaten](#resultat-i-korthet) och {raw('<b>x</b>')}.\n"
                                   f"{generated}\n[Sidan](annan.md{link})\n", encoding="utf-8")
    (docs / "annan.md").write_text("# Annan\n\n" + block('<div id="bara-genererad">x</div>'), encoding="utf-8")
    return root


def _anchors(root: Path, name: str, *args: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", _ANCHORS, str(root), *args], env=_env(name), cwd=root,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.parametrize("name", ENGINES)
def test_links_to_ids_only_in_generated_html_validate(tmp_path: Path, name: str):
    """``validation.anchors: warn`` with strict: links to ids that exist only inside stashed generated HTML
    (on the same page and on another page) pass; a link to a missing id fails, so the check is really on."""
    good = _anchors(_anchor_project(tmp_path / "good", "#bara-genererad"), name)
    assert good["engines"] == [name] and good["internals"] == [None]
    assert good["real_mkdocs_loaded"] is (name == "mkdocs")  # ProperDocs runs alone, as its command line would
    assert good["problems"] == []
    assert (tmp_path / "good" / "site" / "annan" / "index.html").is_file()
    bad = _anchors(_anchor_project(tmp_path / "bad", "#finns-inte"), name)
    assert any("finns-inte" in p for p in bad["problems"]), bad["problems"]
    assert not any("bara-genererad" in p or "resultat-i-korthet" in p for p in bad["problems"]), bad["problems"]
    shutil.rmtree(tmp_path / "good" / "site")
    unaided = _anchors(tmp_path / "good", name, "without-hand-over")
    assert any("bara-genererad" in p for p in unaided["problems"]), unaided["problems"]
    assert any("resultat-i-korthet" in p for p in unaided["problems"]), unaided["problems"]


# ---------------------------------------------------------------- the shipped site, byte for byte


@pytest.fixture(scope="module")
def shipped_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The repository's content built once per engine, each in its own copy, with one SOURCE_DATE_EPOCH."""
    sites = {}
    for name in ENGINES:
        root = tmp_path_factory.mktemp(f"engine-{name}") / "project"
        root.mkdir()
        for item in ("overviews", "docs", "seminars"):
            if (REPO / item).is_dir():
                shutil.copytree(REPO / item, root / item)
        for item in ("references.bib", "mkdocs.yml", "published-urls.txt"):
            if (REPO / item).is_file():
                shutil.copy(REPO / item, root / item)
        proc = subprocess.run([sys.executable, "-m", "kop", "build", "--root", str(root)], env=_env(name),
                              capture_output=True, text=True, timeout=900)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        sites[name] = root / "site"
    return sites


@pytest.mark.slow
def test_mkdocs_and_properdocs_build_byte_identical_sites(shipped_sites: dict[str, Path]):
    """No accepted differences. The one place the engines' output differed, the generator meta tag
    (``mkdocs-1.6.1`` against ``mkdocs-ProperDocs 1.6.7``), is made the same by
    :class:`kop.site.engine.api.SameGenerator`; everything else already was."""
    mkdocs, properdocs = (files(shipped_sites[name]) for name in ENGINES)
    assert len(mkdocs) > 20
    assert mkdocs.keys() == properdocs.keys()
    differing = sorted(name for name in mkdocs if mkdocs[name] != properdocs[name])
    assert differing == []
    page = (shipped_sites["properdocs"] / "index.html").read_text(encoding="utf-8")
    assert f'<meta name="generator" content="mkdocs-{api.MKDOCS_API_VERSION}, mkdocs-material-' in page


# ---------------------------------------------------------------- the live preview's rebuild trigger

_TRIGGER = """
import json, sys, tempfile
from kop.site.engine import api, serve_trigger
engine = api.load(sys.argv[1])
server = engine.serve_module().LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0,
                                                root=tempfile.mkdtemp())
trigger = serve_trigger(server)
before = server._want_rebuild
if trigger is not None:
    trigger()
print(json.dumps({"found": trigger is not None, "before": before, "after": server._want_rebuild}))
"""


@pytest.mark.parametrize("name", ENGINES)
def test_the_live_preview_can_ask_each_engine_to_rebuild(name: str) -> None:
    """kop serve writes build/docs and asks for a rebuild at once (no polling): both engines must allow it."""
    proc = subprocess.run([sys.executable, "-c", _TRIGGER, name], capture_output=True, text=True, env=_env(name),
                          timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == {"found": True, "before": False, "after": True}


def test_a_server_without_the_rebuild_condition_gets_no_trigger() -> None:
    class Other:
        pass

    assert engine.serve_trigger(Other()) is None
