"""The live preview's fast path: an overview whose text alone changed gets only its own page again.

The commonest save while writing is a sentence in an overview's text. Validating the whole
tree, formatting and generating every page takes over a second on a medium site, although
nothing but that page can change: its front matter is what it was, and its citations are the
same clusters, so the formatting, the listings, the feeds and every feature's view of the site
are those of the last whole preparation. Then the file gets its own checks (as ``kop check``
makes them) and its page is rendered with the kept state (:func:`kop.site.generate.overview_page`).

Anything else (a new or removed file, changed front matter or citations, an error, another
folder) answers None, and the caller prepares everything as before.
"""

from __future__ import annotations

from pathlib import Path

from kop.bib.load import unreadable_keys
from kop.check.one_file import key_checks, local_checks
from kop.check.readability import lix_limit
from kop.core.fsutil import write_atomic
from kop.core.model import Diagnostic, Overview
from kop.core.project import Project, today
from kop.core.urls import is_withdrawn
from kop.render.kept_pages import canonical_json
from kop.render.pdf import formatted_needs
from kop.site.generate import Rendered, overview_page


def _same_except_text(new: Overview, old: Overview) -> bool:
    """Whether ``new`` differs from ``old`` only in its text, with the same citation clusters and slug."""
    # the needs name every citation cluster in the text, in order, and every key the page lists
    return (new.slug == old.slug and canonical_json(new.meta) == canonical_json(old.meta)
            and formatted_needs(new) == formatted_needs(old))


def rerender(project: Project, state: Rendered, changed: set[Path]) -> tuple[list[Diagnostic], list[str]] | None:
    """Write the pages of the ``changed`` overview files again; their diagnostics and pages, or None.

    None means the fast path does not apply (see the module doc) and nothing was written.
    """
    folder = project.overviews_dir.resolve()
    current = {ov.path.resolve(): ov for ov in state.result.published() if not is_withdrawn(ov)}  # not tombstones
    if not changed or any(path.resolve().parent != folder or path.resolve() not in current or not path.is_file()
                          for path in changed):
        return None
    if state.ctx.today != today():
        return None  # a new day: the stale-search banners are worked out again
    keys = set(state.result.references) | unreadable_keys(state.result.diagnostics)
    updates: list[tuple[Overview, Overview, str]] = []
    diagnostics: list[Diagnostic] = []
    for path in sorted(changed):
        old = current[path.resolve()]
        display = project.display(path)
        new, diags = local_checks(path, display)
        diags += key_checks(new, display, keys, state.ctx.today, lix_limit(project.settings))
        if any(d.severity == "error" for d in diags) or not _same_except_text(new, old):
            return None
        new.path = old.path
        updates.append((old, new, f"oversikter/{new.slug}.md"))
        diagnostics += diags
    written: list[str] = []
    for old, new, rel in updates:
        page = overview_page(state, new)
        target = project.gen_docs_dir / rel
        if not target.is_file() or target.read_text(encoding="utf-8") != page:
            write_atomic(target, page.encode("utf-8"))
            written.append(rel)
        overviews = state.result.overviews
        overviews[next(i for i, o in enumerate(overviews) if o is old)] = new  # the next save compares with this
        state.ctx.by_id[str(new.meta.get("id"))] = new
    return diagnostics, written


def warm_up(state: Rendered) -> None:
    """Check one overview once, discarding the result, so the first save is as fast as the next.

    The whole preparation takes every file from the check's cache; the fast path checks the
    saved file itself, and its first run would load the schema validators first.
    """
    for ov in state.result.published():
        if ov.path.is_file():
            local_checks(ov.path, state.result.project.display(ov.path))
            return
