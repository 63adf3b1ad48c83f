"""Generated folders that a pull request committed (KOP183): ``build/``, ``site/`` and ``.cache/``.

The build writes these folders, and ``.gitignore`` keeps them out of the repository; but
``git add -f`` (or an upload on GitHub) can still commit them. A committed ``.cache/`` would
be read as if it were this build's own cache (a planted page, a planted parsed file), and a
committed ``site/`` or ``build/`` misleads every reader of the pull request. So the check
asks git which tracked files lie there and stops before anything is built; one error per
folder, at its first file. Without git (a copy of the tree) there is nothing to ask, and nothing
is reported.
"""

from __future__ import annotations

import subprocess

from kop.core.catalogue import message
from kop.core.model import Diagnostic
from kop.core.project import Project

COMMITTED_GENERATED = message("KOP183")
GENERATED_FOLDERS = ("build", "site", ".cache")
GIT_TIMEOUT_S = 30


def committed_generated(project: Project) -> list[Diagnostic]:
    """KOP183 for each generated folder that has files tracked by git."""
    try:
        proc = subprocess.run(["git", "-C", str(project.root), "ls-files", "-z", "--", *GENERATED_FOLDERS],
                              capture_output=True, timeout=GIT_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return []
    if proc.returncode != 0:  # not a git repository, or git missing: nothing to ask
        return []
    by_folder: dict[str, list[str]] = {}
    for raw in proc.stdout.split(b"\0"):
        path = raw.decode("utf-8", "replace")
        top = path.split("/", 1)[0]
        if top in GENERATED_FOLDERS and "/" in path:
            by_folder.setdefault(top, []).append(path)
    # at the first such file: a place on the pull request that GitHub can annotate
    return [COMMITTED_GENERATED.at(min(paths), 1, 0, folder=folder, example=min(paths),
                                   files=f"{len(paths)} {'fil' if len(paths) == 1 else 'filer'}")
            for folder, paths in sorted(by_folder.items())]
