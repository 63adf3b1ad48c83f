"""The site engine: the only code that imports MkDocs, ProperDocs, mkdocs-material or Python-Markdown.

The rest of the build writes ``build/docs`` and ``build/theme`` and calls :func:`run` (a build
into a directory) or :func:`serve` (the live preview). Two engines are supported and give
the same site byte for byte (``tests/site/test_engine.py``):

* ``mkdocs`` (the default): MkDocs 1.6;
* ``properdocs``: ProperDocs, the maintained continuation of MkDocs 1.x.

The engine is chosen by the environment variable ``KOP_ENGINE`` or, failing that, by
``extra.kop.engine`` in ``mkdocs.yml``. :func:`check` turns an unknown or missing engine into
a diagnostic (KOP910, KOP911) before anything is built. What differs between the engines'
internals, and how this package bridges it, is in :mod:`kop.site.engine.api`.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kop.core.catalogue import message
from kop.core.messages import did_you_mean
from kop.core.model import Diagnostic
from kop.core.project import Project
from kop.site.engine import api, rawhtml
from kop.site.engine.api import DEFAULT_ENGINE, ENGINES

ENV_VAR = "KOP_ENGINE"
SETTING = "engine"  # extra.kop.engine in mkdocs.yml
ENGINE_UNKNOWN = message("KOP910")
ENGINE_MISSING = message("KOP911")

__all__ = ["DEFAULT_ENGINE", "ENGINES", "ENV_VAR", "EngineUnavailable", "check", "engine_name", "ensure_rawhtml",
           "run", "serve"]


class EngineUnavailable(Exception):
    """The chosen engine is unknown or not installed; :attr:`diagnostic` says which and what to do."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def _choice(project: Project) -> tuple[str, str, str, int]:
    """The requested engine name, where it was set (for the message), its file and line."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return env, f"miljövariabeln {ENV_VAR}", project.display(project.mkdocs_yml), 1
    setting = project.setting(SETTING, None)
    if setting is None or str(setting).strip() == "":
        return DEFAULT_ENGINE, "standardvalet", project.display(project.mkdocs_yml), 1
    line = 1
    try:
        text = project.mkdocs_yml.read_text(encoding="utf-8")
        found = re.search(rf"^\s+{SETTING}\s*:", text, re.MULTILINE)
        line = text.count("\n", 0, found.start()) + 1 if found else 1
    except OSError:
        pass
    return str(setting).strip(), "extra.kop.engine i mkdocs.yml", project.display(project.mkdocs_yml), line


def engine_name(project: Project) -> str:
    """``mkdocs`` or ``properdocs``: from ``KOP_ENGINE``, else ``extra.kop.engine``, else ``mkdocs``.

    Raises :class:`EngineUnavailable` for an unknown name or an engine that is not installed.
    """
    requested, source, path, line = _choice(project)
    name = requested.lower()
    if name not in ENGINES:
        raise EngineUnavailable(ENGINE_UNKNOWN.at(path, line, 0, name=requested, source=source,
                                                  suggestion=did_you_mean(name, ENGINES),
                                                  choices=", ".join(ENGINES)))
    if not api.installed(name):
        raise EngineUnavailable(ENGINE_MISSING.at(path, line, 0, name=name, source=source))
    return name


def check(project: Project) -> Diagnostic | None:
    """The diagnostic for an unusable engine choice, or None when the engine can run."""
    try:
        engine_name(project)
    except EngineUnavailable as exc:
        return exc.diagnostic
    return None


def ensure_rawhtml(config: Any) -> None:
    """Generated pages need :mod:`kop.site.engine.rawhtml`; add it should a site's mkdocs.yml not list it."""
    if rawhtml.EXTENSION_NAME not in config["markdown_extensions"]:
        config["markdown_extensions"].insert(0, rawhtml.EXTENSION_NAME)


class _WarningCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _logging(engine: api.Engine, handler: logging.Handler) -> Iterator[None]:
    """``handler`` on the engine's logger; under ProperDocs the legacy ``mkdocs`` logger feeds into it,
    as ProperDocs' command line arranges, so plugins and themes that log there count for ``strict``."""
    logger = logging.getLogger(engine.logger)
    logger.addHandler(handler)
    legacy = logging.getLogger("mkdocs")
    saved = legacy.parent, legacy.propagate
    if engine.name != "mkdocs":
        legacy.parent, legacy.propagate = logger, True
    try:
        yield
    finally:
        logger.removeHandler(handler)
        legacy.parent, legacy.propagate = saved


@contextmanager
def _in_dir(path: Path) -> Iterator[None]:
    old = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def _add_builtin_plugins(engine: api.Engine, config: Any, parallel: Any, cache: Any = None,
                         linked: Any = None) -> None:
    if engine.name != "mkdocs":
        config["plugins"]["kop/same-generator"] = api.SameGenerator()
    if cache is not None:  # before the parallel worker: a cached page is neither rendered here nor there
        config["plugins"]["kop/page-cache"] = cache
    if parallel:
        from kop.site.engine.parallel_pages import ParallelPages

        plugin = ParallelPages() if parallel is True else parallel
        plugin.engine = engine
        config["plugins"]["kop/parallel-pages"] = plugin
    if linked is not None:  # last to see the files: every other plugin has added its own
        config["plugins"]["kop/linked-files"] = linked


def run(project: Project, site_dir: Path, strict: bool = True, parallel: Any = True, dirty: bool = False,
        cached: bool = True) -> list[str]:
    """Build ``build/docs`` into ``site_dir`` with the chosen engine; return warnings/errors (empty = success).

    ``cached`` reuses the finished HTML of overview pages and older versions' pages whose inputs
    are unchanged (:mod:`kop.site.engine.page_cache`); new entries are kept only if the build
    succeeds. ``parallel`` lets :mod:`kop.site.engine.parallel_pages` render most overview pages in a forked
    worker (it declines on its own when that is unsafe or not worth it); tests pass their
    own configured :class:`~kop.site.engine.parallel_pages.ParallelPages` instance, or False.
    ``dirty`` rebuilds only changed pages (the benchmark of the live preview). A full build
    links the static files of ``build/docs`` into the site (:mod:`kop.site.engine.linked_files`).
    """
    try:
        engine = api.load(engine_name(project))
    except EngineUnavailable as exc:
        return [exc.diagnostic.message]
    except api.EngineClash as exc:
        return [str(exc)]
    counter = _WarningCounter()
    failures: list[str] = []
    cache = linked = None
    if cached and not dirty:
        from kop.site.engine.page_cache import PageCache

        cache = PageCache(project.cache_dir / "pages", project.build_dir / "theme", engine)
    if not dirty:
        from kop.site.engine.linked_files import LinkedFiles

        linked = LinkedFiles()
    try:
        with _logging(engine, counter), _in_dir(project.root):
            config = engine.load_config(config_file=str(project.mkdocs_yml), site_dir=str(site_dir), strict=strict)
            ensure_rawhtml(config)
            _add_builtin_plugins(engine, config, parallel, cache, linked)
            engine.build(config, dirty=dirty)
    except engine.error as exc:  # includes the engine's Abort on strict warnings and on build errors
        failures.append(str(exc))
    except SystemExit as exc:
        failures.append(f"avbrutet ({exc})")
    finally:
        if cache is not None:  # only a build without a single warning keeps its pages
            cache.commit(succeeded=not failures and not counter.messages)
    # Not strict: warnings alone do not fail the build, but a failed build reports them as context
    return counter.messages + failures if strict or failures else []


def serve(project: Project, addr: str, ready: Callable[[Callable[[], None]], None] | None = None) -> None:
    """Run the chosen engine's development server on ``build/docs`` (blocks until stopped).

    Not strict: a preview must keep running while the author fixes a problem, and the dirty
    (changed-pages-only) rebuild itself logs a warning that strict mode would abort on.
    With ``ready``, the engine does not poll ``build/docs`` (every half second, over every
    file): ``ready`` gets a function that asks the server to rebuild, to be called each time
    the generated tree was written (:func:`kop.site.serve.serve` does). An engine whose server
    lacks what that needs (:func:`serve_trigger`) polls as before.
    Raises :class:`EngineUnavailable`, or whatever the engine raises on a bad configuration.
    """
    engine = api.load(engine_name(project))
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger(engine.logger)
    logger.setLevel(logging.INFO)
    module = engine.serve_module()
    base = module.LiveReloadServer
    docs = os.path.abspath(project.gen_docs_dir)

    class Server(base):  # type: ignore[misc,valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.kop_trigger = serve_trigger(self) if ready is not None else None
            if self.kop_trigger is not None and ready is not None:
                ready(self.kop_trigger)

        def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
            if self.kop_trigger is not None and os.path.abspath(path) == docs:
                return  # kop's own watcher writes build/docs and says when
            super().watch(path, func, recursive=recursive)

    module.LiveReloadServer = Server
    try:
        with _logging(engine, handler), _in_dir(project.root):
            engine.serve(config_file=str(project.mkdocs_yml), dev_addr=addr, livereload=True, build_type="dirty",
                         strict=False)
    finally:
        module.LiveReloadServer = base


def serve_trigger(server: Any) -> Callable[[], None] | None:
    """A function that makes the engine's live-reload server rebuild now, or None if it cannot.

    MkDocs 1.6 and ProperDocs 1.6 share the server: a file event sets ``_want_rebuild`` under
    ``_rebuild_cond`` and notifies its build loop. That is not public API, so it is checked
    here, and tests/site/test_engine.py checks it for both engines.
    """
    cond = getattr(server, "_rebuild_cond", None)
    if cond is None or not hasattr(server, "_want_rebuild") or not hasattr(cond, "notify_all"):
        return None

    def trigger() -> None:
        with cond:
            server._want_rebuild = True
            cond.notify_all()

    return trigger
