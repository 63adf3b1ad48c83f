"""pr-forhandsvisning.yml: the step that puts a pull request's preview online, run here against a local remote."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO

WORKFLOW = REPO / ".github" / "workflows" / "pr-forhandsvisning.yml"
STEP = "Hämta webbplatsen och lägg ut den"

FAKE_GH = r'''#!/usr/bin/env python3
"""A stand-in for the GitHub CLI: serves saved artifacts and canned answers about pull requests."""
import json, os, shutil, sys
from pathlib import Path
args = sys.argv[1:]
state = Path(os.environ["FAKE_GH_STATE"])
with (state / "calls.log").open("a") as log:
    log.write(json.dumps(args) + "\n")
if args[:2] == ["run", "download"]:
    shutil.copytree(state / "artifacts" / args[args.index("--name") + 1], args[args.index("--dir") + 1],
                    symlinks=True)
elif args[0] == "api" and args[-1] == ".head.sha":
    print(os.environ["FAKE_GH_HEAD"])
elif args[0] == "api" and args[-1] == ".state":
    print(json.loads(os.environ["FAKE_GH_STATES"]).get(args[1].rsplit("/", 1)[1], "open"))
'''


def _load() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))
    return data


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "GIT_CONFIG_GLOBAL": "/dev/null", "HOME": str(cwd),
                               "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                               "GIT_COMMITTER_EMAIL": "t@t"}).stdout


@pytest.fixture
def world(tmp_path: Path) -> dict:
    """A preview repository (bare, with gh-pages holding pr-5 and pr-7), artifacts and a fake gh."""
    seed = tmp_path / "seed"
    seed.mkdir()
    _git(seed, "init", "-q", "-b", "gh-pages")
    for old in ("pr-5", "pr-7"):
        (seed / old).mkdir()
        (seed / old / "index.html").write_text(old)
    _git(seed, "add", "-A")
    _git(seed, "commit", "-q", "-m", "start")
    remote = tmp_path / "remote" / "kop-forhandsvisning" / "forhandsvisning.git"
    remote.parent.mkdir(parents=True)
    _git(tmp_path, "clone", "-q", "--bare", str(seed), str(remote))
    state = tmp_path / "gh-state"
    (state / "artifacts" / "pr-kommentar").mkdir(parents=True)
    (state / "artifacts" / "pr-kommentar" / "nummer.txt").write_text("42\n")
    site = state / "artifacts" / "webbplats-forhandsvisning"
    (site / "oversikter").mkdir(parents=True)
    (site / "index.html").write_text("<h1>KÖP</h1>")
    (site / "oversikter" / "index.html").write_text("översikter")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "gh").write_text(FAKE_GH)
    (bin_dir / "gh").chmod(0o755)
    gitconfig = tmp_path / "gitconfig"
    gitconfig.write_text(f'[url "file://{tmp_path}/remote/"]\n\tinsteadOf = https://github.com/\n')
    return {"tmp": tmp_path, "remote": remote, "state": state, "site": site, "bin": bin_dir, "gitconfig": gitconfig}


def _run(world: dict, head: str = "a" * 40, preview_repo: str = "kop-forhandsvisning/forhandsvisning",
         states: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    (step,) = [s for job in _load()["jobs"].values() for s in job["steps"] if s.get("name") == STEP]
    runner = world["tmp"] / "runner"
    shutil.rmtree(runner, ignore_errors=True)
    runner.mkdir()
    env = {"PATH": f"{world['bin']}:/usr/bin:/bin", "FAKE_GH_STATE": str(world["state"]), "FAKE_GH_HEAD": head,
           "FAKE_GH_STATES": json.dumps(states or {"5": "closed"}), "GH_REPO": "org/kop", "RUN_ID": "7",
           "HEAD_SHA": "a" * 40, "RUNNER_TEMP": str(runner), "GH_TOKEN": "unused", "PREVIEW_REPO": preview_repo,
           "PREVIEW_TOKEN": "hemlig", "MAX_KB": step["env"]["MAX_KB"], "GIT_CONFIG_GLOBAL": str(world["gitconfig"]),
           "HOME": str(world["tmp"])}
    return subprocess.run(["bash", "-e", "-c", step["run"]], cwd=world["tmp"], env=env, capture_output=True,
                          text=True, timeout=120, check=False)


def _published(world: dict) -> set[str]:
    return set(_git(world["remote"], "ls-tree", "-r", "--name-only", "gh-pages").split())


def test_the_workflow_is_off_until_switched_on_and_runs_no_pull_request_code() -> None:
    wf = _load()
    assert wf["on"] == {"workflow_run": {"workflows": ["Kontroll av pull request"], "types": ["completed"]}}
    assert wf["permissions"] == {}
    (job,) = wf["jobs"].values()
    assert job["if"] == "github.event.workflow_run.event == 'pull_request' && vars.KOP_PREVIEW_REPO != ''"
    assert job["permissions"] == {"actions": "read", "pull-requests": "read"}
    assert all("uses" not in step for step in job["steps"]), "no checkout, no third-party action"
    assert all("${{" not in step["run"] for step in job["steps"])


def test_the_preview_is_published_under_its_number_and_closed_ones_are_removed(world: dict) -> None:
    proc = _run(world)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "lades ut i kop-forhandsvisning/forhandsvisning under pr-42/" in proc.stdout
    assert _published(world) == {".nojekyll", "robots.txt", "pr-42/index.html", "pr-42/oversikter/index.html",
                                 "pr-7/index.html"}
    assert _git(world["remote"], "show", "gh-pages:robots.txt") == "User-agent: *\nDisallow: /\n"
    assert "hemlig" not in proc.stdout + proc.stderr
    proc = _run(world)  # the same site again: nothing to push
    assert proc.returncode == 0 and "oförändrad" in proc.stdout, proc.stdout + proc.stderr


def test_a_stale_site_is_not_published(world: dict) -> None:
    proc = _run(world, head="b" * 40)
    assert proc.returncode == 0 and "gäller inte den senaste versionen" in proc.stdout
    assert "pr-42/index.html" not in _published(world)


@pytest.mark.parametrize(("change", "needle"), [
    ("number", "Rapportens nummer på pull requesten är ogiltigt"),
    ("same-repo", "KOP_PREVIEW_REPO ska vara ett annat förråd"),
    ("symlink", "har annat än vanliga filer"),
])
def test_forged_or_unsafe_input_is_refused(world: dict, change: str, needle: str) -> None:
    repo = "kop-forhandsvisning/forhandsvisning"
    if change == "number":
        (world["state"] / "artifacts" / "pr-kommentar" / "nummer.txt").write_text("42; rm -rf /\n")
    elif change == "same-repo":
        repo = "org/kop"
    else:
        (world["site"] / "passwd").symlink_to("/etc/passwd")
    proc = _run(world, preview_repo=repo)
    assert proc.returncode == 1 and needle in proc.stdout, proc.stdout + proc.stderr
    assert "pr-42/index.html" not in _published(world)
