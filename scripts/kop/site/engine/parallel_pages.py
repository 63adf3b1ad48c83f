"""Render a share of the overview pages in a forked worker while the engine builds the rest.

MkDocs renders page after page on one core: on the benchmark corpora, Markdown and the
theme templates of the overview pages are most of the build. Overview pages are
independent of each other (the navigation never lists them, see mkdocs.yml), so a page
renders the same whichever process renders it. This plugin, added by
:func:`kop.site.engine.run` for full builds only, forks once the navigation is known:

* the worker reads, converts and writes its share (60 %) of the overview pages with the engine's own
  page functions, checks their anchor links, and sends back every warning it logged;
* the main process keeps the worker's pages in its file list (so the sitemap still lists
  them) but gives them a stand-in page (:func:`_stand_in`) that reads nothing and
  renders an empty template, so the engine writes nothing for them;
* after the build, the main process waits for the worker and logs its warnings as its
  own, so ``strict`` fails on them exactly as on warnings from the main process.

It also halves the memory the engine holds, since each process holds only its share of the
rendered pages. The built site is byte for byte the same as a one-process build
(``tests/site/test_parallel_pages.py``). One check a one-process build makes is skipped: the engine's
check of links to *anchors* in a page the other process rendered (it logs at INFO level
unless ``validation.anchors`` is raised in mkdocs.yml); links to pages are still checked.
Forking is only safe in a single-threaded process, so the plugin does nothing when other
threads run (a test harness, the live preview).

The plugin drives private engine functions (``_populate_page``, ``_build_page``) the same in
MkDocs 1.6 and ProperDocs 1.6. It is engine-neutral: every engine class it needs comes from
:attr:`ParallelPages.engine` (set by :func:`kop.site.engine.run`), and should a release change
those functions (:meth:`kop.site.engine.api.Engine.page_internals`), the plugin switches itself
off with an INFO message and the engine builds every page itself.
"""

from __future__ import annotations

import functools
import json
import logging
import os
from collections.abc import Callable
from typing import Any

from kop.core.cores import worker_count
from kop.site.engine import api

FROM_CACHE = "kop_from_cache"  # set on the stand-in of a page kop.site.engine.page_cache serves
EMPTY_TEMPLATE = "kop/rendered-elsewhere.html"  # in scripts/kop/site/theme; renders nothing
MIN_PAGES = 40  # below this a fork costs more than it saves
# The main process also builds every other page, copies the theme and writes the sitemap: with
# 60 % of the overview pages the worker finishes with it (measured on both benchmark scales).
WORKER_SHARE = 0.6


def is_overview_page(src_uri: str) -> bool:
    """Overview pages: ``oversikter/<slug>.md`` (not the catalogue, ``oversikter/index.md``)."""
    return src_uri.startswith("oversikter/") and src_uri.count("/") == 1 and src_uri != "oversikter/index.md"


def is_independent_page(src_uri: str) -> bool:
    """Pages no other page's rendering depends on, and many: overviews and older versions' pages.

    Older versions (``versioner/<id>-<version>/index.md``, :mod:`kop.features.versions`) are
    not in the navigation either.
    """
    return is_overview_page(src_uri) or (src_uri.startswith("versioner/") and src_uri.endswith("/index.md")
                                         and src_uri.count("/") == 2)


@functools.cache
def _stand_in(page_class: type) -> type:
    """The main process's stand-in for a page the worker renders: no reading, no Markdown."""

    class RenderedElsewhere(page_class):  # type: ignore[misc, valid-type]
        def read_source(self, config: Any) -> None:
            self.markdown, self.meta = "", {"template": EMPTY_TEMPLATE}

        def render(self, config: Any, files: Any) -> None:
            self.content = ""

    return RenderedElsewhere


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.levelno, record.getMessage()))


class ParallelPages:
    """See the module docstring. ``min_pages`` and ``select`` exist for the tests.

    A plugin by shape (the engines register any object's ``on_*`` methods), not a subclass of
    one engine's ``BasePlugin``, so the same class serves both engines.
    """

    def __init__(self, min_pages: int = MIN_PAGES, select: Callable[[str], bool] = is_independent_page,
                 engine: api.Engine | None = None) -> None:
        self.min_pages = min_pages
        self.select = select
        self.engine = engine  # set by kop.site.engine.run
        self.worker: tuple[int, int] | None = None  # (pid, read end of the pipe)
        self.delegated = 0
        self.declined: str | None = None  # why the plugin switched itself off, if it did

    @property
    def log(self) -> logging.Logger:
        return logging.getLogger(f"{self.engine.logger if self.engine else 'mkdocs'}.plugins.kop")

    def on_nav(self, nav: Any, *, config: Any, files: Any) -> Any:
        pages = [f for f in files.documentation_pages()  # pages from kop.site.engine.page_cache need no rendering
                 if self.select(f.src_uri) and not getattr(getattr(f, "page", None), FROM_CACHE, False)]
        if worker_count(len(pages), self.min_pages) < 2:
            return nav
        engine = self.engine
        self.declined = "ingen motor angiven" if engine is None else engine.page_internals()
        if self.declined or engine is None:
            self.log.info("Parallella sidor avstängda (%s): alla sidor byggs i en process.", self.declined)
            return nav
        # spread evenly (page sizes vary along the alphabet, not between neighbours)
        share = [f for i, f in enumerate(pages) if int((i + 1) * WORKER_SHARE) != int(i * WORKER_SHARE)]
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: never returns into MkDocs' build
            os.close(read_end)
            _work(engine, share, nav, config, files, write_end)
        os.close(write_end)
        self.worker = (pid, read_end)
        self.delegated = len(share)
        stand_in = _stand_in(engine.pages.Page)
        for file in share:
            stand_in(None, file, config)
        return nav

    def on_post_build(self, *, config: Any) -> None:
        self._collect(log_problems=True)

    def on_build_error(self, *, error: Exception) -> None:
        self._collect(log_problems=False)

    def _collect(self, log_problems: bool) -> None:
        if self.worker is None:
            return
        pid, read_end = self.worker
        self.worker = None
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        if not log_problems:
            return
        try:
            records = json.loads(data.decode("utf-8")) if data else None
        except ValueError:
            records = None
        for level, message in records or []:
            self.log.log(level, message)
        code = os.waitstatus_to_exitcode(status)
        if records is None or code != 0:  # as a one-process build would: the whole build fails
            assert self.engine is not None  # a worker ran, so on_nav had an engine
            raise self.engine.exceptions.PluginError(
                f"Delprocessen som byggde {self.delegated} översiktssidor misslyckades (kod {code}).")


def _work(engine: api.Engine, share: list[Any], nav: Any, config: Any, files: Any, write_end: int) -> None:
    """The worker's whole life: build ``share`` into site_dir, report warnings, exit."""
    status = 1
    capture = _Capture()
    try:
        build = engine.build_module
        engine_log = logging.getLogger(engine.logger)  # under ProperDocs, "mkdocs" logs into it too
        engine_log.handlers = [capture]  # reported through the parent, not printed twice
        engine_log.propagate = False
        env = config.plugins.on_env(config.theme.get_env(), config=config, files=files)
        for file in share:
            engine.pages.Page(None, file, config)
            build._populate_page(file.page, config, files)
        doc_files = files.documentation_pages(inclusion=engine.files.InclusionLevel.is_included)
        for file in share:
            build._build_page(file.page, config, doc_files, nav, env, excluded=file.inclusion.is_excluded())
        for file in share:
            file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
        status = 0
    except BaseException as exc:  # reported to the parent, which fails the build
        capture.records.append((logging.ERROR, f"{type(exc).__name__}: {exc}"))
    finally:
        try:
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(json.dumps(capture.records).encode("utf-8"))
        finally:
            os._exit(status)
