"""Give the new site hard links to the static files of ``build/docs`` instead of copies.

Why: the engine copies every file of ``build/docs`` that is not a page into the new site on
every build (the medium benchmark corpus: 1,010 files, 13 MB: the overviews' PDFs, link-preview
images, citation exports, feeds, permalink redirects; the large one: 5,000 files, about 170 MB).
A link writes none of those bytes again and the site takes no disk space for them. On a quiet
machine copying is cheap (medium: 0.09 s against 0.03 s for the links, no difference in the
engine step); when the disk is busy it is not (the same corpus: engine step 0.94 s copying,
0.61 s linking). The bytes in the site are the same.

A link shares its bytes with ``build/docs`` and, for a file that did not change, with the
published ``site/`` of the previous build. So nothing may write into such a file in place:

* ``build/docs`` is only ever written by :func:`kop.site.generate.write_tree` and the live
  preview, both atomically (a new file replaces the old one; the link keeps the old bytes);
* the new site's pages are rewritten by the sanitiser and the search step, atomically too
  (:func:`kop.core.fsutil.write_atomic`: a new file replaces the link), and Pagefind's folder is
  emptied before it runs;
* the engine writes its own outputs (pages, the theme's static templates such as ``404.html``
  and ``sitemap.xml``, the sitemap's ``.gz``, a search plugin's folder) with ``open(…, "w")``:
  a static file whose place in the site is one of those is copied as before, never linked.

Only regular files inside the engine's ``docs_dir`` are linked (never a symlink, never the
theme's own files from the installed packages), and only with the mode a copy would get
(:data:`kop.core.fsutil.FILE_MODE`: readable for the web server); where a link cannot be made
(another file system, no permission, too many links) the file is copied as before. Full builds only: the
live preview's dirty rebuilds keep the engine's own copying.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from kop.core.fsutil import FILE_MODE

#: Folders of the site that engines and their plugins write themselves (a search plugin,
#: Pagefind's bundle); a static file placed there is copied, not linked.
ENGINE_FOLDERS = ("search/", "pagefind/")
#: What MkDocs writes beside the theme's static templates.
ENGINE_FILES = ("sitemap.xml.gz",)


class LinkedFiles:
    """A plugin by shape (like :class:`kop.site.engine.page_cache.PageCache`), for both engines."""

    def __init__(self) -> None:
        self.linked = 0  # files linked by the last build (for the tests)
        self.copied = 0  # static files copied instead (no link possible, or not eligible)

    def on_files(self, files: Any, *, config: Any) -> Any:
        docs_dir = os.path.realpath(config["docs_dir"])
        written = {f.dest_uri for f in files.documentation_pages()}
        written |= set(getattr(config["theme"], "static_templates", ()) or ())
        written |= set(ENGINE_FILES)
        for file in files:
            if file.is_documentation_page() or getattr(file, "generated_by", None) is not None:
                continue
            src = getattr(file, "abs_src_path", None)
            if not src or file.dest_uri in written or file.dest_uri.startswith(ENGINE_FOLDERS):
                continue
            if os.path.commonpath([os.path.realpath(src), docs_dir]) != docs_dir:
                continue  # the theme's files: copied from the installed packages
            file.copy_file = _linking_copy(self, file, file.copy_file)
        return files


def _linking_copy(plugin: LinkedFiles, file: Any, copy: Any) -> Any:
    """``file.copy_file`` that links when it can and otherwise does what the engine does."""

    def copy_file(dirty: bool = False) -> None:
        src = file.abs_src_path
        dest = file.abs_dest_path
        if dirty or getattr(file, "_content", None) is not None or not _regular(src) or os.path.lexists(dest):
            plugin.copied += 1
            copy(dirty)
            return
        Path(dest).parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(src, dest, follow_symlinks=False)
            if not _regular(dest):  # the source was swapped for a symlink after the check: no link
                os.unlink(dest)
                raise OSError("not a regular file")
        except OSError:  # EXDEV, EPERM, EMLINK …: a copy, as without this plugin
            plugin.copied += 1
            copy(dirty)
            return
        plugin.linked += 1

    return copy_file


def _regular(path: str) -> bool:
    """A regular file with the mode a copy would have (a link shares the mode too)."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return False
    return stat.S_ISREG(mode) and stat.S_IMODE(mode) == FILE_MODE
