"""A hash of the build's own code, for caches whose entries a code change must invalidate.

A cache keyed only by its inputs would serve a page rendered by last week's code after an
upgrade. Hashing every file of the ``kop`` package (Python, Lua filters, templates, styles,
scripts) is a few milliseconds, once per process, and errs on the safe side: any change to
the code, even a comment, starts the caches that use it afresh.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]  # scripts/kop
_SKIP_DIRS = {"__pycache__"}


@lru_cache(maxsize=1)
def package_fingerprint() -> str:
    """sha256 over every file of the package (path and content), in a stable order."""
    return tree_fingerprint(PACKAGE)


@lru_cache(maxsize=8)
def tree_fingerprint(root: Path) -> str:
    """sha256 over every file under ``root`` (path and content, no bytecode), in a stable order.

    For a cache that only one part of the code can change (the formatting caches: the
    ``kop.cite`` package), so that editing another part keeps them.
    """
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if not path.is_file() or _SKIP_DIRS & set(path.relative_to(root).parts) or path.suffix == ".pyc":
            continue
        digest.update(path.relative_to(root).as_posix().encode("utf-8"))
        digest.update(b"\x00")
        digest.update(path.read_bytes())
        digest.update(b"\x00")
    return digest.hexdigest()


def digest(*parts: bytes | str) -> str:
    """sha256 over ``parts``, each length-prefixed: no two different lists of parts hash alike (cache keys)."""
    out = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        out.update(len(data).to_bytes(8, "big"))
        out.update(data)
    return out.hexdigest()
