"""The GitHub workflows, issue forms and pre-commit hooks are valid and safe.

zizmor (a GitHub Actions security linter, offline) must report nothing at medium
severity or above; check-jsonschema validates each file against GitHub's schemas (as
vendored in check-jsonschema). On top of that, the rules of our developers' guide are
checked directly: pull_request only, read-only token, full-SHA pins, no event text in
shell commands, deploy only from main with Pages rights on the deploy job alone.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from kop.schema.load import vocabulary_values

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = REPO / ".github" / "workflows"
FORMS = REPO / ".github" / "ISSUE_TEMPLATE"
BIN = Path(sys.executable).parent
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")


def _tool(name: str) -> str:
    path = BIN / name
    found = str(path) if path.exists() else shutil.which(name)
    assert found, f"{name} is not installed (it is in requirements.lock)"
    return found


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, cwd=REPO, timeout=120, check=False)


def _load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:  # YAML 1.1 reads the key `on` as a boolean
        data["on"] = data.pop(True)
    return data


def _steps(workflow: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(job_name, step) for job_name, job in workflow["jobs"].items() for step in job.get("steps", [])]


def test_zizmor_finds_nothing() -> None:
    proc = _run(_tool("zizmor"), "--offline", "--min-severity", "medium", str(WORKFLOWS))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "No findings" in proc.stdout + proc.stderr, proc.stdout + proc.stderr


@pytest.mark.parametrize(("schema", "files"), [
    ("vendor.github-workflows", ["pr.yml", "deploy.yml"]),
    ("custom.github-workflows-require-timeout", ["pr.yml", "deploy.yml"]),
    ("vendor.github-issue-forms", ["foresla-oversikt.yml", "fel-i-oversikt.yml", "problem-med-webbplatsen.yml"]),
    ("vendor.github-issue-config", ["config.yml"]),
])
def test_files_match_githubs_schemas(schema: str, files: list[str]) -> None:
    folder = WORKFLOWS if "workflows" in schema else FORMS
    paths = [str(folder / name) for name in files]
    proc = _run(_tool("check-jsonschema"), "--builtin-schema", schema, *paths)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ok -- validation done" in proc.stdout, proc.stdout + proc.stderr


def test_every_issue_form_is_checked() -> None:
    forms = sorted(p.name for p in FORMS.glob("*.yml") if p.name != "config.yml")
    assert forms == ["fel-i-oversikt.yml", "foresla-oversikt.yml", "problem-med-webbplatsen.yml"]


def test_pull_request_workflow_follows_the_rules() -> None:
    wf = _load(WORKFLOWS / "pr.yml")
    assert set(wf["on"]) == {"pull_request"}
    assert wf["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in wf["jobs"].values())
    runs = [step["run"] for _, step in _steps(wf) if "run" in step]
    assert runs[:3] == ["make check", "make test", "make site"]
    # then the engine comparison: the same site from MkDocs and ProperDocs (scripts/kop/site/engine)
    assert len(runs) == 4 and "KOP_ENGINE=properdocs make site" in runs[3] and "diff -r" in runs[3]
    uses = {step["uses"].split("@")[0]: step for _, step in _steps(wf) if "uses" in step}
    assert uses["actions/checkout"]["with"]["persist-credentials"] is False
    assert uses["actions/setup-python"]["with"]["python-version"] == "3.11"
    assert uses["actions/upload-artifact"]["with"]["path"] == "site/"


def test_deploy_workflow_follows_the_rules() -> None:
    wf = _load(WORKFLOWS / "deploy.yml")
    assert wf["on"] == {"push": {"branches": ["main"]}}
    assert wf["permissions"] == {"contents": "read"}
    jobs = wf["jobs"]
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert [name for name, job in jobs.items() if "permissions" in job] == ["deploy"]
    deploy_uses = [step["uses"].split("@")[0] for step in jobs["deploy"]["steps"]]
    assert "actions/deploy-pages" in deploy_uses
    build_uses = {step.get("uses", "").split("@")[0]: step for step in jobs["build"]["steps"]}
    assert build_uses["actions/checkout"]["with"]["persist-credentials"] is False


@pytest.mark.parametrize("name", ["pr.yml", "deploy.yml"])
def test_actions_pinned_and_no_event_text_in_shell(name: str) -> None:
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    code = "\n".join(line.split("#", 1)[0] for line in text.splitlines())
    assert "pull_request_target" not in code and "workflow_run" not in code
    for line in text.splitlines():
        if re.match(r"\s*-?\s*uses:", line):
            ref = line.split("uses:", 1)[1].split("#", 1)[0].strip()
            assert PINNED.match(ref), f"{name}: not pinned to a full commit SHA: {line.strip()}"
            assert re.search(r"#\s*v\d+(\.\d+)*\s*$", line), f"{name}: no version comment: {line.strip()}"
    for _, step in _steps(_load(WORKFLOWS / name)):
        assert "${{" not in step.get("run", ""), f"{name}: expression inside a run: script: {step['run']!r}"


def test_area_choices_in_the_proposal_form_follow_the_vocabulary() -> None:
    form = yaml.safe_load((FORMS / "foresla-oversikt.yml").read_text(encoding="utf-8"))
    (area,) = [item for item in form["body"] if item.get("id") == "area"]
    assert area["attributes"]["options"][:-1] == vocabulary_values("areas"), (
        "update the areas in .github/ISSUE_TEMPLATE/foresla-oversikt.yml to match vocabularies.yml")


def test_pre_commit_hooks_are_local_and_run(make_project) -> None:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    assert set(hooks) == {"kop-check", "ruff"}
    assert all(hook["language"] == "system" for hook in hooks.values())
    # Run the validator hook's own command on a throw-away project: it must find a real problem.
    root = make_project({"trasig.md": "---\ntitle: [\n---\n"})
    (root / "scripts").symlink_to(REPO / "scripts")
    (root / ".venv").symlink_to(REPO / ".venv")
    proc = subprocess.run(hooks["kop-check"]["entry"].split(), capture_output=True, text=True, cwd=root,
                          timeout=120, check=False)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "overviews/trasig.md:" in proc.stderr and "[KOP105]" in proc.stderr, proc.stderr
    proc = subprocess.run([*hooks["ruff"]["entry"].split(), "scripts/kop/cli/cmd_ny.py"], capture_output=True,
                          text=True, cwd=REPO, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
