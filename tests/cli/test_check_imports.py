"""A warm `kop check` takes the bibliography from its cache: the parser and LaTeX decoder are not even imported.

Importing bibtexparser and pylatexenc was a sixth of a warm check on the medium corpus; the
check counts them only when a file has to be read again.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

SCRIPT = """
import json, sys
from kop.cli.main import main
try:
    code = main(["check", "--root", sys.argv[1]])
except SystemExit as exit:
    code = exit.code
print(json.dumps({"code": code, "loaded": sorted(m for m in ("bibtexparser", "pylatexenc") if m in sys.modules)}))
"""


def check(root: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO / "scripts")}
    env.pop("KOP_NO_CACHE", None)
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(root)], capture_output=True, text=True, env=env,
                          timeout=300, check=False)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_a_warm_check_does_not_import_the_bibliography_parser(make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project(overviews={p.name: p for p in sorted((REPO / "overviews").glob("*.md"))},
                        bib=REPO / "references.bib")
    cold = check(root)
    assert cold["loaded"] == ["bibtexparser", "pylatexenc"]  # the first check reads references.bib
    warm = check(root)
    assert warm == {"code": cold["code"], "loaded": []}
    (root / "references.bib").write_text((root / "references.bib").read_text(encoding="utf-8") + "\n",
                                         encoding="utf-8")
    assert check(root)["loaded"] == ["bibtexparser", "pylatexenc"]  # a changed file is read again
