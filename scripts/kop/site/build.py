"""Build the site: validate, format citations, generate pages, run the site engine, publish.

The generated Markdown tree (``build/docs``) is the only input of the site engine, so
the engine (:mod:`kop.site.engine`: MkDocs, or ProperDocs) is swappable. The finished site is
written to a temporary directory next to ``site/`` and swapped in only when every
step succeeded: a failed or interrupted build leaves the previous ``site/`` intact.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path

from kop.cite.apa import Formatted, FormattingError, format_all
from kop.core import safefs
from kop.core.catalogue import message
from kop.core.cores import can_fork
from kop.core.model import Citation, Diagnostic
from kop.core.project import Project
from kop.core.results import CheckResult, Timings
from kop.render.sof import document_citations
from kop.site import lock, sanitize, search_index
from kop.site.checking import check
from kop.site.engine import check as engine_check
from kop.site.engine import run as run_engine
from kop.site.generate import Rendered, generate, theme_files, write_tree
from kop.site.preview import Preview, collect, restrict
from kop.site.publish import publish
from kop.sources.committed import COMMITTED_GENERATED

ENGINE_FAILED = message("KOP901")
CITEPROC_FAILED = message("KOP902")

PREPARE_FAILED = message("KOP904")
NO_SITE_CONFIG = message("KOP903")
WRITE_FAILED = message("KOP961")



def all_citations(result: CheckResult) -> list[Citation]:
    """Body citations and one synthetic cluster per finding, for the single formatting run."""
    return [cit for cits in page_citations(result).values() for cit in cits]


def page_citations(result: CheckResult) -> dict[str, list[Citation]]:
    """Each published overview's citations (body and findings), by overview id: each is a document."""
    pages: dict[str, list[Citation]] = {}
    for ov in result.published():
        pages.setdefault(str(ov.meta.get("id")), []).extend(document_citations(ov))
    return pages


def prepare(project: Project, timings: Timings | None = None,
            preview: bool = False, keep: list[Rendered] | None = None) -> tuple[CheckResult, Formatted | None]:
    """Validate, format and write ``build/docs``; return the check result (and formatting if ok).

    ``preview`` (``kop build --forhandsvisning``) goes on despite errors: what the safety check
    refuses is left out, and every page with problems gets an error banner (:mod:`kop.site.preview`).
    ``keep`` receives what the live preview needs to render one page again (:class:`Rendered`).
    """
    timings = timings or Timings()
    t = time.perf_counter()
    result = check(project)
    timings.add("validera", t)
    if preview:
        return _prepare_preview(project, result, timings)
    if not result.ok:
        return result, None
    formatted = _format(project, result, timings)
    if formatted is None:
        return result, None
    t = time.perf_counter()
    write_tree(project.gen_docs_dir, generate(result, formatted, keep))
    write_tree(project.build_dir / "theme", theme_files())
    timings.add("skapa sidor", t)
    return result, formatted


def _format(project: Project, result: CheckResult, timings: Timings) -> Formatted | None:
    """Every page's citations and references in one formatting run; None (reported) if Pandoc failed."""
    t = time.perf_counter()
    try:
        pages = page_citations(result)
        formatted = format_all(result.references, [c for cits in pages.values() for c in cits], project.cache_dir,
                               pages=pages, prune=True)
    except FormattingError as exc:
        result.diagnostics.append(exc.at(project.display(project.bib_path), 1, 0))
        return None
    timings.add("formatera referenser", t)
    return formatted


def _prepare_preview(project: Project, result: CheckResult, timings: Timings) -> tuple[CheckResult, Formatted | None]:
    """:func:`prepare` for the preview: the check's problems become banners instead of stopping the build."""
    if any(d.code == COMMITTED_GENERATED.code for d in result.diagnostics):
        return result, None  # a committed .cache/ would be read as the build's own: no preview either (KOP183)
    shown = restrict(result)  # result now holds only what may be published; its diagnostics stay all
    return result, _write_preview(project, result, shown, timings)


def _write_preview(project: Project, result: CheckResult, shown: Preview, timings: Timings) -> Formatted | None:
    """Format the references and write the preview's ``build/docs``; None if formatting failed (reported)."""
    formatted = _format(project, result, timings)
    if formatted is None:
        return None
    t = time.perf_counter()
    write_tree(project.gen_docs_dir, collect(lambda: generate(result, formatted), result, shown))
    write_tree(project.build_dir / "theme", theme_files())
    timings.add("skapa sidor", t)
    return formatted


def _prepare_isolated(project: Project, timings: Timings, preview: bool = False) -> tuple[list[Diagnostic], bool]:
    """Run :func:`prepare` in a forked child; return its diagnostics and whether pages were written.

    Why: the pages are on disk once prepare() is done, and only its diagnostics are needed
    afterwards. Freed Python memory mostly stays with the process, so running prepare in
    the same process as MkDocs (which holds every page at once) adds the two peaks; in a
    child, its memory goes back to the system before MkDocs starts (large corpus: 584 MB
    -> about 420 MB). Forking is only safe in a single-threaded process, so with other
    threads running (a test harness, the live preview) prepare() simply runs in-process.
    """
    if not can_fork():
        full, formatted = prepare(project, timings, preview)
        return full.diagnostics, formatted is not None
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_prepare_child, args=(project, sender, preview))  # not daemonic: it may fork a pool
    child.start()
    sender.close()
    try:
        diagnostics, prepared, steps = receiver.recv()
    except (EOFError, OSError):
        diagnostics = [PREPARE_FAILED.at(project.display(project.mkdocs_yml), 1, 0,
                                         problem=f"delprocessen avslutades med kod {child.exitcode}")]
        prepared, steps = False, {}
    finally:
        child.join()
        receiver.close()
    timings.steps.update(steps)
    return diagnostics, prepared


def _prepare_child(project: Project, sender: Connection, preview: bool = False) -> None:
    """Child side of :func:`_prepare_isolated`: prepare, then send back what the parent needs."""
    timings = Timings()
    try:
        full, formatted = prepare(project, timings, preview)
        message = (full.diagnostics, formatted is not None, timings.steps)
    except OSError as exc:  # a full disk, a read-only build/ …: a plain message naming the path
        message = ([os_error(project, exc, project.gen_docs_dir)], False, {})
    except Exception as exc:  # reported as a diagnostic by the parent, never as a traceback
        problem = f"{type(exc).__name__}: {exc}"
        message = ([PREPARE_FAILED.at(project.display(project.mkdocs_yml), 1, 0, problem=problem)], False, {})
    sender.send(message)
    sender.close()


def build(project: Project, strict: bool = True, timings: Timings | None = None) -> CheckResult:
    """The whole build under the checkout's build lock (see :mod:`kop.site.lock`)."""
    return _locked(project, strict, timings, preview=False)[0]


def build_preview(project: Project, timings: Timings | None = None) -> tuple[CheckResult, bool]:
    """The preview build (not strict, banners on pages with problems); True if ``site/`` was replaced."""
    return _locked(project, False, timings, preview=True)


def _locked(project: Project, strict: bool, timings: Timings | None, preview: bool) -> tuple[CheckResult, bool]:
    try:
        with lock.build_lock(project.build_dir):
            lock.clean_stale(project.root, project.site_dir)  # leftovers of killed builds
            return _build(project, strict, timings, preview)
    except lock.BuildLocked as exc:
        result = CheckResult(project)
        result.diagnostics.append(lock.LOCKED.at(project.display(project.build_dir / ".lock"), 1, 0,
                                                 seconds=round(exc.waited)))
        return result, False
    except OSError as exc:  # ENOSPC, EACCES, EROFS, EMFILE …: never a traceback; site/ is untouched
        return CheckResult(project, diagnostics=[os_error(project, exc, project.site_dir)]), False


def os_error(project: Project, exc: OSError, default: Path) -> Diagnostic:
    """KOP961 for an OS error during the build, naming the path as the author knows it.

    A path inside the temporary ``.site-new-*/site`` is shown as the ``site/`` path it was
    going to have; a path outside the project is shown by its name only.
    """
    reason, advice = safefs.os_problem(exc)
    target = Path(os.fsdecode(exc.filename)) if exc.filename else default
    shown = safefs.shown(target, project.root)
    parts = shown.split("/")
    if parts[0].startswith((".site-new-", ".site-old-")):
        shown = "/".join(parts[1:]) or "site"
    return WRITE_FAILED.at(shown, 1, 0, file=shown, reason=reason, advice=advice)


def _build(project: Project, strict: bool, timings: Timings | None, preview: bool) -> tuple[CheckResult, bool]:
    """The whole build; on any error the previous ``site/`` is left as it was. True if it was replaced."""
    timings = timings or Timings()
    if not project.mkdocs_yml.is_file():
        result = CheckResult(project)
        result.diagnostics.append(NO_SITE_CONFIG.at(project.display(project.mkdocs_yml), 1, 0,
                                                    root=project.root))
        return result, False
    if (unusable := engine_check(project)) is not None:  # unknown or missing engine: before any work
        return CheckResult(project, diagnostics=[unusable]), False
    diagnostics, prepared = _prepare_isolated(project, timings, preview)
    result = CheckResult(project, diagnostics=diagnostics)
    if not prepared:
        return result, False
    t = time.perf_counter()
    tmp_parent = Path(tempfile.mkdtemp(prefix=".site-new-", dir=project.root))
    try:
        new_site = tmp_parent / "site"
        problems = run_engine(project, new_site, strict=strict)
        timings.add("bygga webbplats", t)
        if problems:
            display = project.display(project.mkdocs_yml)
            for problem in problems:
                result.diagnostics.append(ENGINE_FAILED.at(display, 1, 0, problem=problem.strip()))
            return result, False
        t = time.perf_counter()
        # nh3 on every page's content: the second line of defence
        sanitize.sanitize_site(new_site, cache_dir=project.cache_dir / "sanitized")
        timings.add("sanera", t)
        if search_index.index_site(project, new_site, result, timings):  # Pagefind, before the swap
            return result, False
        t = time.perf_counter()
        publish(new_site, project.site_dir)
        timings.add("publicera", t)
    finally:
        shutil.rmtree(tmp_parent, ignore_errors=True)
    return result, True
