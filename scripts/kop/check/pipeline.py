"""Load and validate a whole content tree: the first two steps of the pipeline.

load -> validate -> (format citations -> render -> publish live in kop.site).
The bibliography is parsed once per run here and handed on, never re-read per page.
Checks that belong to features (seminars, permanent links, the address registry) come
in as hooks (:mod:`kop.check.hooks`); :func:`kop.site.checking.check` passes them all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from kop.bib import load as bibliography
from kop.bib.memo import Memo, is_kept
from kop.check import limits
from kop.check.fields import cross_diagnostics
from kop.check.hooks import CheckContext, CheckHook
from kop.check.one_file import SCHEMA_SLOT, key_checks, load_overview, local_checks, schema_slot
from kop.check.readability import lix_limit
from kop.cite.keys import cited_keys
from kop.core.catalogue import message
from kop.core.collector import collection_paused
from kop.core.project import Project, today
from kop.core.results import CheckResult
from kop.sources.cache import ContentCache, cached_bibliography, cached_overviews
from kop.sources.documents import overview_files

__all__ = ["check", "load_overview", "overview_files"]

UNUSED_REFERENCE = message("KOP210")


def check(project: Project, hooks: Sequence[CheckHook] = (),
          addresses: Callable[[CheckResult], set[str]] | None = None,
          cache: ContentCache | None = None) -> CheckResult:
    """Validate every overview and references.bib, then run each hook's check; collect every problem.

    File-local work is cached by content hash (see :mod:`kop.sources.cache`); checks across files,
    against the bibliography and against today's date always run. ``addresses`` predicts the
    site's addresses for hooks that need them (the registry); without it they see none.
    """
    with collection_paused():  # the tree's objects all live until the end: see kop.core.collector
        return _check(project, hooks, addresses, cache)


def _check(project: Project, hooks: Sequence[CheckHook],
           addresses: Callable[[CheckResult], set[str]] | None, cache: ContentCache | None) -> CheckResult:
    result = CheckResult(project)
    cache = cache if cache is not None else ContentCache(project.cache_dir)
    bib_display = project.display(project.bib_path)

    def read_bibliography() -> None:  # while the overviews that are not in the cache load on the other cores
        if project.bib_path.exists():
            result.references, bib_diags = cached_bibliography(
                cache, project.bib_path, bib_display,
                lambda p, kept: bibliography.load_bibliography(p, display=bib_display, memo=kept),
                (Memo, Memo.used, is_kept))
            result.diagnostics.extend(bib_diags)
            result.diagnostics.extend(limits.check_bibliography(result.references, bib_display))  # KOP423–424

    files = [(path, project.display(path)) for path in overview_files(project)]
    # Forked workers use the schema slots of the files they load; the slots of every file are kept.
    cache.mark_used(SCHEMA_SLOT, (f"{schema_slot(cache, display)}.pickle" for _, display in files))
    loaded = cached_overviews(cache, files, partial(local_checks, slots=cache), meanwhile=read_bibliography)
    keys = set(result.references) | bibliography.unreadable_keys(result.diagnostics)  # root cause: KOP231 only
    now = today()
    lix_max = lix_limit(project.settings)  # extra.kop.lix_max in mkdocs.yml
    cited: set[str] = set()
    for (path, display), (ov, diags) in zip(files, loaded, strict=True):
        ov.path = path
        result.displays[ov.slug] = display
        result.overviews.append(ov)
        result.diagnostics.extend(diags)
        result.diagnostics.extend(key_checks(ov, display, keys, now, lix_max))
        cited |= cited_keys(ov)
    result.diagnostics.extend(cross_diagnostics(result.overviews, result.displays, now))
    ctx = CheckContext(result, now, (lambda: addresses(result)) if addresses else set)
    for hook in hooks:  # seminars, aliases, withdrawals, published-urls.txt …
        outcome = hook.check(ctx)
        result.feature_data[hook.name] = outcome.data
        result.diagnostics.extend(outcome.diagnostics)
    cache.prune()
    cited |= _parents(cited, result)
    for key, ref in sorted(result.references.items()):
        if key not in cited:
            result.diagnostics.append(UNUSED_REFERENCE.at(bib_display, ref.line, 1, key=key))
    return result


def _parents(cited: set[str], result: CheckResult) -> set[str]:
    """Entries that cited entries inherit from through ``crossref`` (a parent lent its fields: not unused)."""
    out: set[str] = set()
    todo = [key for key in cited if key in result.references]
    while todo:
        parent = result.references[todo.pop()].fields.get("crossref", "").strip()
        if parent in result.references and parent not in out and parent not in cited:
            out.add(parent)
            todo.append(parent)
    return out
