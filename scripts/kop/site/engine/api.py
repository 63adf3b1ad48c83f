"""What the build needs from a site engine, looked up once per engine: MkDocs or ProperDocs.

ProperDocs (``properdocs``) is the maintained continuation of MkDocs 1.x: the same modules
under another top-level name, reading the same ``mkdocs.yml`` and themes. What differs and
matters here (ProperDocs 1.6.7 against MkDocs 1.6.1):

* its loggers are ``properdocs.*``; ``strict`` counts warnings on ``properdocs`` only, and
  its command line re-parents the legacy ``mkdocs`` logger (used by plugins and themes
  written for MkDocs) under it. :func:`kop.site.engine.run` does the same;
* its own preprocessor that collects the ids raw HTML defines is registered as
  ``properdocs_raw_html`` instead of ``mkdocs_raw_html`` (see :mod:`kop.site.engine.rawhtml`);
* its templates get ``mkdocs_version = "ProperDocs 1.6.7"``, which mkdocs-material prints
  in ``<meta name="generator">``; :class:`SameGenerator` keeps that line as MkDocs writes it;
* its command line installs an import alias (``properdocs.replacement``) so that plugins
  importing ``mkdocs.*`` get ProperDocs' modules. :func:`load` installs it too, but only
  while no real MkDocs module is loaded, since one process cannot hold both.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import sys
from dataclasses import dataclass
from types import ModuleType
from typing import Any

ENGINES = ("mkdocs", "properdocs")
DEFAULT_ENGINE = "mkdocs"
LABELS = {"mkdocs": "MkDocs", "properdocs": "ProperDocs"}
# The MkDocs release whose 1.x API ProperDocs 1.6 continues; written into the generator meta
# tag by both engines, so the two build the same bytes (see SameGenerator).
MKDOCS_API_VERSION = "1.6.1"


def installed(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


@dataclass(frozen=True)
class Engine:
    """One engine's modules, by role. ``build_module`` holds the private page functions."""

    name: str
    version: str
    package: ModuleType
    build_module: ModuleType
    config_module: ModuleType
    exceptions: ModuleType
    plugins: ModuleType
    pages: ModuleType
    files: ModuleType

    @property
    def label(self) -> str:
        return LABELS[self.name]

    @property
    def logger(self) -> str:
        """The engine's top-level logger; ``strict`` counts the warnings logged under it."""
        return self.name

    def build(self, config: Any, dirty: bool = False) -> None:
        self.build_module.build(config, dirty=dirty)

    def load_config(self, **kwargs: Any) -> Any:
        return self.config_module.load_config(**kwargs)

    @property
    def error(self) -> type[Exception]:
        """The base class of everything the engine raises on purpose (config errors, Abort on strict)."""
        return self.exceptions.ProperDocsException if self.name == "properdocs" else self.exceptions.MkDocsException

    def serve_module(self) -> ModuleType:
        """The module of the ``serve`` command (it creates the live-reload server)."""
        return importlib.import_module(f"{self.name}.commands.serve")

    def serve(self, **kwargs: Any) -> None:
        self.serve_module().serve(**kwargs)

    def page_internals(self) -> str | None:
        """Why :mod:`kop.site.engine.parallel_pages` cannot drive this engine's page functions, or None.

        It calls ``_populate_page``/``_build_page`` (private) and subclasses ``Page``; a release
        that renamed or reshaped them must switch the plugin off, not break the build.
        """
        expected = {  # positional parameters as called, then keyword ones
            "_populate_page": (("page", "config", "files"), ()),
            "_build_page": (("page", "config", "doc_files", "nav", "env"), ("excluded",)),
        }
        for function, (positional, keywords) in expected.items():
            found = getattr(self.build_module, function, None)
            if not callable(found):
                return f"{self.name}.commands.build.{function} saknas"
            names = tuple(inspect.signature(found).parameters)
            if names[: len(positional)] != positional or not set(keywords) <= set(names):
                return f"{self.name}.commands.build.{function} har parametrarna {', '.join(names)}"
        page = getattr(self.pages, "Page", None)
        for attr in ("read_source", "render", "validate_anchor_links"):
            if not callable(getattr(page, attr, None)):
                return f"{self.name}.structure.pages.Page.{attr} saknas"
        if not hasattr(getattr(self.files, "InclusionLevel", None), "is_included"):
            return f"{self.name}.structure.files.InclusionLevel saknas"
        return None


class EngineClash(Exception):
    """MkDocs was asked for in a process where ProperDocs' alias already stands in for it."""


_LOADED: dict[str, Engine] = {}


def load(name: str) -> Engine:
    """Import engine ``name`` (one of :data:`ENGINES`, installed; the caller checked)."""
    if name in _LOADED:
        return _LOADED[name]
    if name == "properdocs" and not any(m == "mkdocs" or m.startswith("mkdocs.") for m in sys.modules):
        importlib.import_module("properdocs.replacement")  # as its command line does: mkdocs.* -> properdocs.*
    package = importlib.import_module(name)
    if name == "mkdocs" and package.__name__ != "mkdocs":
        raise EngineClash("MkDocs kan inte köras i en process där ProperDocs redan har körts; kör bygget "
                          "i en ny process.")
    engine = Engine(
        name=name,
        version=str(package.__version__),
        package=package,
        build_module=importlib.import_module(f"{name}.commands.build"),
        config_module=importlib.import_module(f"{name}.config"),
        exceptions=importlib.import_module(f"{name}.exceptions"),
        plugins=importlib.import_module(f"{name}.plugins"),
        pages=importlib.import_module(f"{name}.structure.pages"),
        files=importlib.import_module(f"{name}.structure.files"),
    )
    _LOADED[name] = engine
    return engine


class SameGenerator:
    """A built-in plugin: the template variable ``mkdocs_version`` as MkDocs sets it.

    mkdocs-material writes ``<meta name="generator" content="mkdocs-{{ mkdocs_version }}, …">``
    on every page. MkDocs sets the variable to its version, ProperDocs to "ProperDocs 1.6.7",
    which would make every page differ between the two engines. Both build MkDocs 1.6's site
    from the same configuration, so the tag names that API version. Only added for ProperDocs.
    """

    def on_page_context(self, context: dict[str, Any], **_: Any) -> dict[str, Any]:
        return self._same(context)

    def on_template_context(self, context: dict[str, Any], **_: Any) -> dict[str, Any]:
        return self._same(context)

    @staticmethod
    def _same(context: dict[str, Any]) -> dict[str, Any]:
        if "mkdocs_version" in context:
            context["mkdocs_version"] = MKDOCS_API_VERSION
        return context
