"""The GitHub workflows, issue forms and pre-commit hooks are valid and safe.

zizmor (a GitHub Actions security linter, offline) must report nothing at medium
severity or above; check-jsonschema validates each file against GitHub's schemas (as
vendored in check-jsonschema). On top of that, the rules of our developers' guide are
checked directly: pull_request only, read-only token, full-SHA pins, no event text in
shell commands, deploy only from main with Pages rights on the deploy job alone.
"""

from __future__ import annotations

import json
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
    ("vendor.github-workflows", ["pr.yml", "pr-kommentar.yml", "pr-forhandsvisning.yml", "deploy.yml",
                                "veckovis.yml"]),
    ("custom.github-workflows-require-timeout", ["pr.yml", "pr-kommentar.yml", "pr-forhandsvisning.yml", "deploy.yml",
                                                "veckovis.yml"]),
    ("vendor.github-issue-forms", ["foresla-oversikt.yml", "fel-i-oversikt.yml", "problem-med-webbplatsen.yml"]),
    ("vendor.github-issue-config", ["config.yml"]),
    ("vendor.dependabot", ["dependabot.yml"]),
])
def test_files_match_githubs_schemas(schema: str, files: list[str]) -> None:
    folder = WORKFLOWS if "workflows" in schema else REPO / ".github" if "dependabot" in schema else FORMS
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
    jobs = wf["jobs"]
    assert set(jobs) == {"changes", "content", "code"}
    # the fast path: check + strict build (links) + the report, for every pull request
    content_runs = [step["run"] for step in jobs["content"]["steps"] if "run" in step]
    assert content_runs[:2] == ["make check", "make site"]
    assert "kop build --forhandsvisning" in content_runs[2]  # a preview also when the check fails
    assert "kop kommentar" in content_runs[3]
    assert "content" not in jobs["content"].get("needs", []) and "if" not in jobs["content"]
    # the full path only when code changed; skipped counts as passed for a required check
    assert jobs["code"]["needs"] == "changes" and jobs["code"]["if"] == "needs.changes.outputs.code == 'true'"
    code_runs = [step["run"] for step in jobs["code"]["steps"] if "run" in step]
    assert code_runs[0] == "make test"
    assert "KOP_ENGINE=properdocs make site" in code_runs[1] and "diff -r" in code_runs[1]
    uses = [step for _, step in _steps(wf) if "uses" in step]
    for step in uses:
        if step["uses"].startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False
        if step["uses"].startswith("actions/setup-python@"):
            assert step["with"]["python-version"] == "3.11"
    artifacts = {step["with"]["name"]: step["with"]["path"] for step in uses
                 if step["uses"].startswith("actions/upload-artifact@")}
    assert artifacts == {"webbplats-forhandsvisning": "site/", "pr-kommentar": "pr-kommentar/"}


def test_comment_workflow_never_runs_pull_request_code() -> None:
    wf = _load(WORKFLOWS / "pr-kommentar.yml")
    assert wf["on"] == {"workflow_run": {"workflows": ["Kontroll av pull request"], "types": ["completed"]}}
    assert wf["name"] != _load(WORKFLOWS / "pr.yml")["name"] and wf["on"]["workflow_run"]["workflows"] == [
        _load(WORKFLOWS / "pr.yml")["name"]]
    assert wf["permissions"] == {}
    (job,) = wf["jobs"].values()
    assert job["permissions"] == {"actions": "read", "pull-requests": "write"}
    assert all("uses" not in step for step in job["steps"]), "no checkout, no third-party action"
    assert "checkout" not in (WORKFLOWS / "pr-kommentar.yml").read_text(encoding="utf-8").split("jobs:", 1)[1]


def test_deploy_workflow_follows_the_rules() -> None:
    wf = _load(WORKFLOWS / "deploy.yml")
    assert wf["on"]["push"] == {"branches": ["main"]}
    assert set(wf["on"]) == {"push", "schedule", "workflow_dispatch"}  # nightly: seminars follow the calendar
    assert len(wf["on"]["schedule"]) == 1
    assert wf["permissions"] == {"contents": "read"}
    jobs = wf["jobs"]
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert [name for name, job in jobs.items() if "permissions" in job] == ["deploy"]
    deploy_uses = [step["uses"].split("@")[0] for step in jobs["deploy"]["steps"]]
    assert "actions/deploy-pages" in deploy_uses
    build_uses = {step.get("uses", "").split("@")[0]: step for step in jobs["build"]["steps"]}
    assert build_uses["actions/checkout"]["with"]["persist-credentials"] is False
    assert build_uses["actions/checkout"]["with"]["fetch-depth"] == 0  # older versions come from the history
    # the deploy reuses its own build caches: keyed per run, restored from the newest
    assert build_uses["actions/cache"]["with"]["path"] == ".cache/kop"
    assert build_uses["actions/cache"]["with"]["restore-keys"] == "kop-bygge-"
    (site,) = [step for step in jobs["build"]["steps"] if step.get("run") == "make site"]
    assert site["env"] == {"KOP_PUBLISH": "1"}  # the placeholder address can never be published


def test_every_workflow_is_checked() -> None:
    assert sorted(p.name for p in WORKFLOWS.glob("*.yml")) == ["deploy.yml", "pr-forhandsvisning.yml",
                                                              "pr-kommentar.yml", "pr.yml", "veckovis.yml"]


def test_weekly_workflow_runs_the_full_suite_on_a_schedule_only() -> None:
    wf = _load(WORKFLOWS / "veckovis.yml")
    assert set(wf["on"]) == {"schedule", "workflow_dispatch"}  # never pull request code
    (cron,) = [entry["cron"] for entry in wf["on"]["schedule"]]
    _, _, day, month, weekday = cron.split()
    assert (day, month) == ("*", "*") and weekday.isdigit()  # once a week
    assert wf["permissions"] == {"contents": "read"}
    assert [step.get("run") for _, step in _steps(wf) if "run" in step] == ["make test"]
    checkout = [step for _, step in _steps(wf) if step.get("uses", "").startswith("actions/checkout@")]
    assert checkout[0]["with"]["persist-credentials"] is False


def test_dependabot_updates_pip_npm_and_actions_weekly_in_groups() -> None:
    config = yaml.safe_load((REPO / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    updates = {entry["package-ecosystem"]: entry for entry in config["updates"]}
    assert set(updates) == {"pip", "npm", "github-actions"}
    for entry in updates.values():
        assert entry["schedule"]["interval"] == "weekly"
        assert entry["groups"] and all(group["patterns"] == ["*"] for group in entry["groups"].values())


def test_lock_has_hashes_for_every_package_and_pins_every_direct_dependency() -> None:
    lock = (REPO / "requirements.lock").read_text(encoding="utf-8")
    blocks = [block for block in re.split(r"\n(?=[A-Za-z0-9])", lock) if "==" in block]
    assert blocks and all("--hash=sha256:" in block for block in blocks), "run uv pip compile --generate-hashes"
    locked = {re.split(r"[=\[ ]", block, maxsplit=1)[0].lower().replace("_", "-") for block in blocks}
    direct = [line.split("#")[0].strip() for line in (REPO / "requirements.txt").read_text().splitlines()]
    for pin in filter(None, direct):
        assert "==" in pin, f"requirements.txt: not pinned: {pin}"
        assert re.split(r"[=\[]", pin)[0].lower().replace("_", "-") in locked, f"not in requirements.lock: {pin}"
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "scripts/install-python-deps.sh $(PY) requirements.lock" in makefile
    installer = (REPO / "scripts" / "install-python-deps.sh").read_text(encoding="utf-8")
    # uv and the pip fallback both check every hash; uv itself comes from the lock, hash-checked by pip
    assert installer.count("--require-hashes") == 3 and '-r "$lock"' in installer


@pytest.mark.parametrize("name", ["pr.yml", "pr-kommentar.yml", "pr-forhandsvisning.yml", "deploy.yml",
                                  "veckovis.yml"])
def test_actions_pinned_and_no_event_text_in_shell(name: str) -> None:
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    code = "\n".join(line.split("#", 1)[0] for line in text.splitlines())
    assert "pull_request_target" not in code
    assert ("workflow_run" in code) == (name in ("pr-kommentar.yml", "pr-forhandsvisning.yml"))
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


def _script(workflow: str, step_name: str) -> str:
    (step,) = [step for _, step in _steps(_load(WORKFLOWS / workflow)) if step.get("name") == step_name]
    return step["run"]


def _git(cwd: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin", "HOME": str(cwd)}
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize(("changed", "code"), [
    (["overviews/ny.md", "references.bib"], "false"),
    (["seminars/s.md", "docs/bidra/index.md"], "false"),
    (["docs/bidra/överblick för alla.md"], "false"),  # non-ASCII and spaces: git must not quote the path
    (["overviews/ny.md", "scripts/kop/cli/main.py"], "true"),
    (["mkdocs.yml"], "true"),
    ([".github/workflows/pr.yml"], "true"),
    (["overviews-old/x.md"], "true"),
])
def test_fast_path_classifies_the_merge_commit(tmp_path: Path, changed: list[str], code: str) -> None:
    """The `changes` job's own script, on a real merge commit like the one GitHub checks out."""
    _git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "README.md").write_text("x\n")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "base")
    _git(tmp_path, "checkout", "-q", "-b", "pr")
    for path in changed:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("ändrad\n")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "pr")
    _git(tmp_path, "checkout", "-q", "main")
    _git(tmp_path, "merge", "-q", "--no-ff", "-m", "merge", "pr")
    output = tmp_path / "github-output"
    proc = subprocess.run(["bash", "-e", "-c", _script("pr.yml", "Bara innehåll, eller också kod?")], cwd=tmp_path,
                          env={"GITHUB_OUTPUT": str(output), "PATH": "/usr/bin:/bin"}, capture_output=True,
                          text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert output.read_text() == f"code={code}\n"


def test_fast_path_takes_the_full_path_without_history(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "overviews").mkdir()
    (tmp_path / "overviews" / "a.md").write_text("x\n")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "only commit")  # no HEAD^1 to compare with
    output = tmp_path / "github-output"
    proc = subprocess.run(["bash", "-e", "-c", _script("pr.yml", "Bara innehåll, eller också kod?")], cwd=tmp_path,
                          env={"GITHUB_OUTPUT": str(output), "PATH": "/usr/bin:/bin"}, capture_output=True,
                          text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert output.read_text() == "code=true\n"


def _report(make_project, tmp_path: Path) -> Path:
    """The report step's own script, run on a project with one broken overview: the saved report."""
    root = make_project({"trasig.md": "---\ntitle: [\n---\n"})
    (root / "scripts").symlink_to(REPO / "scripts")
    (root / ".venv").symlink_to(REPO / ".venv")
    env = {"PATH": "/usr/bin:/bin", "KOP_HEAD_SHA": "a" * 40, "PR_NUMBER": "42", "SITE_OUTCOME": "skipped",
           "RUN_URL": "https://github.com/org/kop/actions/runs/7", "GITHUB_REPOSITORY": "org/kop",
           "GITHUB_STEP_SUMMARY": str(tmp_path / "step-summary.md")}
    proc = subprocess.run(["bash", "-e", "-c", _script("pr.yml", "Skriv rapporten till kommentaren")], cwd=root,
                          env=env, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root / "pr-kommentar"


def test_report_step_writes_the_number_and_a_swedish_comment(make_project, tmp_path: Path) -> None:
    report = _report(make_project, tmp_path)
    assert (report / "nummer.txt").read_text() == "42\n"
    body = (report / "kommentar.md").read_text(encoding="utf-8")
    assert body.startswith("<!-- kop-pr-kommentar -->\n")
    link = "(https://github.com/org/kop/blob/" + "a" * 40 + "/overviews/trasig.md#L2)"
    assert "[**overviews/trasig.md:2:" in body and link in body and "(KOP105)" in body
    assert "Så rättar du:" in body and "Webbplatsen byggdes inte" in body
    assert (tmp_path / "step-summary.md").read_text(encoding="utf-8") == body  # also on the run's summary page


FAKE_GH = r'''#!/usr/bin/env python3
"""A stand-in for the GitHub CLI: serves a saved report and canned API answers, logs every call."""
import json, os, shutil, sys
from pathlib import Path
args = sys.argv[1:]
state = Path(os.environ["FAKE_GH_STATE"])
with (state / "calls.log").open("a") as log:
    log.write(json.dumps(args) + "\n")
if args[:2] == ["run", "download"]:
    shutil.copytree(state / "artifact", args[args.index("--dir") + 1])
elif args[0] == "api" and "/pulls/" in args[-3 if "--jq" in args else -1]:
    print(os.environ["FAKE_GH_HEAD"])
elif args[0] == "api" and "--paginate" in args:
    print(os.environ.get("FAKE_GH_EXISTING", ""))
elif args[0] == "api" and "--method" in args:
    (state / "posted.json").write_text(sys.stdin.read())
'''


def _post(tmp_path: Path, report: Path, head: str, existing: str = "") -> tuple[subprocess.CompletedProcess[str], Path]:
    state = tmp_path / "gh-state"
    state.mkdir(exist_ok=True)
    shutil.copytree(report, state / "artifact", dirs_exist_ok=True)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "gh").write_text(FAKE_GH)
    (bin_dir / "gh").chmod(0o755)
    runner = tmp_path / "runner"
    shutil.rmtree(runner, ignore_errors=True)
    runner.mkdir()
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "FAKE_GH_STATE": str(state), "FAKE_GH_HEAD": head,
           "FAKE_GH_EXISTING": existing, "GH_REPO": "org/kop", "RUN_ID": "7", "HEAD_SHA": "a" * 40,
           "RUNNER_TEMP": str(runner), "GH_TOKEN": "unused"}
    proc = subprocess.run(["bash", "-c", _script("pr-kommentar.yml", "Hämta rapporten och skriv kommentaren")],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=False)
    return proc, state


@pytest.mark.skipif(not shutil.which("jq"), reason="jq (preinstalled on GitHub's runners) is not installed here")
def test_comment_job_posts_once_then_updates_the_same_comment(make_project, tmp_path: Path) -> None:
    report = _report(make_project, tmp_path)
    proc, state = _post(tmp_path, report, head="a" * 40)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    calls = [json.loads(line) for line in (state / "calls.log").read_text().splitlines()]
    assert calls[-1][:4] == ["api", "--method", "POST", "repos/org/kop/issues/42/comments"]
    posted = json.loads((state / "posted.json").read_text(encoding="utf-8"))
    assert posted["body"] == (report / "kommentar.md").read_text(encoding="utf-8")
    (state / "calls.log").unlink()
    proc, state = _post(tmp_path, report, head="a" * 40, existing="991")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    calls = [json.loads(line) for line in (state / "calls.log").read_text().splitlines()]
    assert calls[-1][:4] == ["api", "--method", "PATCH", "repos/org/kop/issues/comments/991"]
    assert "uppdaterades" in proc.stdout


@pytest.mark.skipif(not shutil.which("jq"), reason="jq (preinstalled on GitHub's runners) is not installed here")
def test_comment_job_refuses_stale_or_forged_reports(make_project, tmp_path: Path) -> None:
    report = _report(make_project, tmp_path)
    proc, state = _post(tmp_path, report, head="b" * 40)  # a newer push: this report is out of date
    assert proc.returncode == 0 and not (state / "posted.json").exists(), proc.stdout + proc.stderr
    (report / "nummer.txt").write_text("42; rm -rf /\n")
    proc, state = _post(tmp_path, report, head="a" * 40)
    assert proc.returncode == 1 and "ogiltigt" in proc.stdout and not (state / "posted.json").exists()
    (report / "nummer.txt").write_text("42\n")
    (report / "kommentar.md").write_text("Hej @everyone\n", encoding="utf-8")  # no marker: not our report
    proc, state = _post(tmp_path, report, head="a" * 40)
    assert proc.returncode == 1 and not (state / "posted.json").exists(), proc.stdout + proc.stderr


def test_every_third_party_import_is_a_direct_pin() -> None:
    """pylatexenc was imported but only pulled in by bibtexparser; every import must be pinned itself."""
    import ast
    from importlib.metadata import packages_distributions

    provided = packages_distributions()
    text = (REPO / "requirements.txt").read_text(encoding="utf-8")
    lines = [line.split("#")[0].strip() for line in text.splitlines()]
    direct = {re.split(r"[=\[]", line)[0].lower().replace("_", "-") for line in lines if line}
    direct |= {f"{name}-{extra}" for name, extra in re.findall(r"^([\w.-]+)\[([\w-]+)\]", (REPO / "requirements.txt")
                                                             .read_text(encoding="utf-8"), re.M)}  # pagefind[bin]
    missing = set()
    for path in (REPO / "scripts" / "kop").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else []
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top == "kop" or top not in provided:
                    continue
                if not {d.lower().replace("_", "-") for d in provided[top]} & direct:
                    missing.add(f"{top} ({path.relative_to(REPO)})")
    assert not missing, f"imported but not pinned in requirements.txt: {sorted(missing)}"
