"""Keep the engine's finished HTML of a page and reuse it while nothing it is made from has changed.

Most pages of a build are the same as in the build before: a pull request edits one overview
or adds a reference, and every older version of every overview (:mod:`kop.features.versions`)
never changes at all. Rendering them again through the engine's Markdown and the theme's
templates is most of a warm build, so this plugin, added by :func:`kop.site.engine.run` for
full builds, keeps each selected page's output in ``.cache/kop/pages/<key>.html``.

Selected are the overviews and older versions' pages (:func:`is_independent_page`) and every
page that is not in the menu (the reference list's letter pages, the area pages, the guide's
pages, the catalogue's further pages: 69 of the medium benchmark site's 269, rendered on every warm
build before). No other page shows anything of a page outside the menu, so its output depends
only on the inputs below, as an overview's does. A page in the menu stays with the engine: every
page's menu is made from its title and metadata, which a cached page's stand-in does not have.

The key is a hash of everything the engine makes the page from:

* the page's own Markdown file and address;
* the site as the theme sees it: ``mkdocs.yml`` and the loaded site address and ``extra``,
  the engine and theme versions, every file in ``build/theme`` (the templates), and the menu
  (each entry's title and address; a title the engine reads from its page counts with that
  page's source). Other files of
  the site (stylesheets, exports, images) are only linked, never written into a page;
* the build's own code (:func:`kop.core.fingerprint.package_fingerprint`).

On a hit, the page gets the same stand-in as a page rendered by the parallel worker
(:func:`kop.site.engine.parallel_pages._stand_in`): the engine reads and renders nothing for
it, keeps it in the sitemap, and the cached HTML is written to its place after the build.
Its anchors are restored from the cache, so the engine still checks links into it; and it is
served only while every site file it linked to still exists (else the engine renders it and
reports the broken link), so the list of files is not part of the key: a new overview or a
new page of the reference list leaves every other page in the cache.

A page's output is stored only when the whole build succeeds: new entries wait in a staging
directory that :meth:`PageCache.commit` moves into place (a page whose link the strict build
rejected is never cached as if it were fine). An outdated entry of a page goes then; one of a
page this build did not have (a build without the git history has no older versions) waits a
month (:func:`kop.core.fsutil.prune_cache`). The
cache is as untrusted as the checkout: entries are only ever copied to the page they were
made for, and the sanitiser (:mod:`kop.site.sanitize`) reads every page afterwards as before.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import posixpath
import re
import shutil
import uuid
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from kop.core.fingerprint import digest, package_fingerprint
from kop.core.fsutil import prune_cache, touch
from kop.site.engine import api
from kop.site.engine.parallel_pages import FROM_CACHE, _stand_in, is_independent_page

CACHE_VERSION = "2"
# Installed packages whose code shapes a page besides the engine's own
_PACKAGES = ("mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "babel")


def _versions(names: tuple[str, ...]) -> list[str]:
    out = []
    for name in names:
        try:
            out.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name}=-")
    return out


_LINK = re.compile(r'(?:href|src)="([^"]*)"')


def _site_links(html: str, dest_uri: str) -> set[str]:
    """The site files a page's relative links point at (``x/`` is ``x/index.html``)."""
    base = posixpath.dirname(dest_uri)
    out = set()
    for link in _LINK.findall(html):
        link = link.split("#", 1)[0].split("?", 1)[0]
        if not link or link.startswith(("/", "\\")) or ":" in link.split("/", 1)[0]:
            continue
        target = posixpath.normpath(posixpath.join(base, link))
        if link.endswith("/") or target == ".":
            target = posixpath.join(target, "index.html") if target != "." else "index.html"
        out.add(target)
    return out


def menu_pages(nav: Any) -> set[str]:
    """The source paths of the pages in the menu (every level of it)."""
    return {str(page.file.src_uri) for page in getattr(nav, "pages", []) if getattr(page, "file", None) is not None}


class PageCache:
    """See the module docstring. A plugin by shape (like :class:`ParallelPages`), for both engines."""

    def __init__(self, cache_dir: Path, theme_dir: Path, engine: api.Engine | None = None,
                 select: Callable[[str], bool] = is_independent_page, outside_menu: bool = True) -> None:
        self.dir = cache_dir
        self.theme_dir = theme_dir
        self.engine = engine
        self.select = select
        self.outside_menu = outside_menu  # also every page that is not in the menu (module docstring)
        self.keys: dict[str, str] = {}  # src_uri -> key, for every selected page
        self.hits: dict[str, str] = {}  # src_uri -> key, pages served from the cache
        self.targets: list[tuple[str, str]] = []  # (dest_uri, key) of the hits
        self.anchors: dict[str, Any] = {}  # src_uri -> anchor ids of a hit, from its entry
        self.dests: set[str] = set()  # every file the site has, by its path in the site
        self.staging: Path | None = None
        self.stored = 0

    @property
    def log(self) -> logging.Logger:
        return logging.getLogger(f"{self.engine.logger if self.engine else 'mkdocs'}.plugins.kop")

    # --- the key -------------------------------------------------------------------------------------

    def _site_key(self, config: Any, nav: Any) -> str:
        parts: list[bytes | str] = [CACHE_VERSION, package_fingerprint()]
        if self.engine is not None:
            parts += [self.engine.name, self.engine.version, *_versions(_PACKAGES)]
        config_file = getattr(config, "config_file_path", None) or ""
        with contextlib.suppress(OSError):
            parts.append(Path(config_file).read_bytes())
        parts.append(json.dumps({"site_url": config.get("site_url"), "extra": config.get("extra"),
                                 "site_name": config.get("site_name")}, sort_keys=True, default=str))
        if self.theme_dir.is_dir():
            for path in sorted(self.theme_dir.rglob("*")):
                if path.is_file():
                    parts += [path.relative_to(self.theme_dir).as_posix(), path.read_bytes()]
        # The menu on every page: each entry's title and address; an entry whose title the engine
        # reads from the page itself (no title in mkdocs.yml) counts with that page's source.
        for page in getattr(nav, "pages", []):
            parts += [str(getattr(page, "url", "")), str(getattr(page, "title", None))]
            source = getattr(getattr(page, "file", None), "abs_src_path", None)
            if getattr(page, "title", None) is None and source:
                with contextlib.suppress(OSError):
                    parts.append(Path(source).read_bytes())
        return digest(*parts)

    # --- the plugin events ------------------------------------------------------------------------------

    def on_nav(self, nav: Any, *, config: Any, files: Any) -> Any:
        """Key every selected page; give each cache hit a stand-in (before the parallel worker forks)."""
        if self.engine is None or self.engine.page_internals():
            return nav
        self.dir.mkdir(parents=True, exist_ok=True)
        self.dests = {f.dest_uri for f in files}
        site = self._site_key(config, nav)
        stand_in = _stand_in(self.engine.pages.Page)
        in_menu = menu_pages(nav)
        for f in files.documentation_pages():
            if not (self.select(f.src_uri) or (self.outside_menu and f.src_uri not in in_menu)) or not f.abs_src_path:
                continue
            try:
                source = Path(f.abs_src_path).read_bytes()
            except OSError:
                continue
            key = digest(site, f.src_uri, f.dest_uri, source)
            self.keys[f.src_uri] = key
            entry = self._entry(key)
            if entry is not None and (self.dir / f"{key}.html").is_file() and self._links_hold(entry):
                self.hits[f.src_uri] = key
                self.anchors[f.src_uri] = entry.get("anchors")
                touch(self.dir / f"{key}.json")
                self.targets.append((f.dest_uri, key))
                setattr(stand_in(None, f, config), FROM_CACHE, True)
        self.staging = self.dir / f".staging-{uuid.uuid4().hex}"
        return nav

    def _entry(self, key: str) -> dict[str, Any] | None:
        try:
            entry = json.loads((self.dir / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return entry if isinstance(entry, dict) else None

    def _links_hold(self, entry: dict[str, Any]) -> bool:
        """Every file the page linked to when it was rendered is still part of the site.

        The engine checks a page's links while rendering it; a cached page is not rendered, so a
        link to a page removed since (a deleted overview) must send it back to the engine, which
        then reports the link as it would have.
        """
        links = entry.get("links")
        return isinstance(links, list) and all(isinstance(x, str) and x in self.dests for x in links)

    def on_env(self, env: Any, *, config: Any, files: Any) -> Any:
        """Every page has been read: give the cached ones back their anchors, for the engine's link check."""
        for f in files.documentation_pages():
            if f.src_uri not in self.hits or f.page is None:
                continue
            anchors = self.anchors.get(f.src_uri)
            f.page.present_anchor_ids = {str(a) for a in anchors} if isinstance(anchors, list) else None
        return env

    def on_post_page(self, output: str, *, page: Any, config: Any) -> str:
        """Stage a rendered page's HTML (in whichever process rendered it)."""
        uri = page.file.src_uri
        key = self.keys.get(uri)
        if key is None or uri in self.hits or not output.strip() or self.staging is None:
            return output
        self.staging.mkdir(parents=True, exist_ok=True)
        anchors = sorted(page.present_anchor_ids or ())
        links = sorted(_site_links(output, page.file.dest_uri) & self.dests)
        (self.staging / f"{key}.html").write_bytes(output.encode("utf-8", errors="xmlcharrefreplace"))
        entry = {"owner": uri, "anchors": anchors, "links": links}
        (self.staging / f"{key}.json").write_text(json.dumps(entry), encoding="utf-8")
        return output

    def on_post_build(self, *, config: Any) -> None:
        """Write the cached pages where the engine would have."""
        site = Path(config["site_dir"])
        for dest_uri, key in self.targets:
            target = site / dest_uri
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.dir / f"{key}.html", target)

    # --- after the build ---------------------------------------------------------------------------------

    def commit(self, succeeded: bool) -> None:
        """Move this build's new entries into the cache if it succeeded; drop outdated ones (:func:`prune_cache`)."""
        staging, self.staging = self.staging, None
        if staging is None:
            return
        try:
            if succeeded and staging.is_dir():
                for entry in staging.iterdir():
                    os.replace(entry, self.dir / entry.name)
                    self.stored += entry.suffix == ".html"
                prune_cache(self.dir, self.keys, (".html",))
        except OSError:  # a cache that cannot be written only costs time
            pass
        finally:
            shutil.rmtree(staging, ignore_errors=True)
