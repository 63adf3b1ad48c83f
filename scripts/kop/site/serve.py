"""Live preview: regenerate ``build/docs`` when sources change; the site engine reloads the browser.

The engine's own server (:func:`kop.site.engine.serve`: MkDocs or ProperDocs) watches only its
docs_dir (our generated tree). A watchdog observer here re-runs validation and page generation
when ``overviews/``, ``references.bib`` or ``docs/`` change; only changed generated files are
rewritten, so the engine's dirty reload rebuilds just those pages. When only the text of
overviews changed, only their pages are made again (:mod:`kop.site.live_page`); once the
author has paused for :data:`SETTLE_S` seconds, everything is prepared once more, so that
what the fast path leaves alone (the overview's PDF) catches up.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from kop.core.project import Project
from kop.core.report import print_diagnostics
from kop.site import engine
from kop.site.build import prepare
from kop.site.generate import Rendered
from kop.site.live_page import rerender, warm_up

SETTLE_S = 2.0  # quiet seconds after a fast update before the whole preparation runs once


def _tree(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``folder`` with its size and modification time: did a preparation write anything?"""
    out: dict[str, tuple[int, int]] = {}
    for root, _, names in os.walk(folder):
        for name in names:
            with contextlib.suppress(OSError):
                info = os.stat(os.path.join(root, name))
                out[os.path.join(root, name)] = (info.st_size, info.st_mtime_ns)
    return out


def _regenerate(project: Project, state: list[Rendered]) -> bool:
    """Prepare everything; ``state`` then holds what the fast path needs (empty after a failure)."""
    start = time.perf_counter()
    state.clear()
    result, formatted = prepare(project, keep=state)
    print_diagnostics(result.diagnostics)
    if formatted is None:
        state.clear()
        print("Förhandsvisningen visar senaste fungerande version tills felen är rättade.", file=sys.stderr)
        return False
    print(f"Uppdaterat på {time.perf_counter() - start:.2f} s.", file=sys.stderr)
    return True


def _scratch(path: Path) -> bool:
    """An editor's temporary or backup file (``.x.swp``, ``x.md~``, vim's ``4913``), not a source."""
    return path.name.startswith(".") or path.suffix in {".swp", ".tmp"} or path.name.endswith("~") \
        or path.name.isdigit()


def _update(project: Project, state: list[Rendered], changed: set[Path]) -> tuple[bool, bool]:
    """The changed overviews' pages alone when that is exact (:func:`rerender`), else everything.

    (whether the generated tree may have changed, whether only the fast path ran).
    """
    start = time.perf_counter()
    done = rerender(project, state[0], changed) if state else None
    if done is None:
        return _regenerate(project, state), False
    diagnostics, written = done
    print_diagnostics(diagnostics)
    names = ", ".join(project.display(p) for p in sorted(changed))
    pages = "ingen sida behövde skrivas om" if not written else (
        "1 sida skrevs om" if len(written) == 1 else f"{len(written)} sidor skrevs om")
    print(f"Uppdaterat på {time.perf_counter() - start:.2f} s (bara texten i {names} ändrades; {pages}).",
          file=sys.stderr)
    return bool(written), True


def serve(project: Project, addr: str) -> int:
    """Prepare once, start watching sources, then run the site engine's development server."""
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    if (unusable := engine.check(project)) is not None:
        print_diagnostics([unusable])
        return 1
    print(f"Förhandsvisning på http://{addr}/ – avsluta med Ctrl+C.", file=sys.stderr)
    state: list[Rendered] = []
    if not _regenerate(project, state):
        print("Rätta felen ovan och starta igen.", file=sys.stderr)
        return 1
    warm_up(state[0])

    pending = threading.Event()
    changed: set[Path] = set()  # what changed since the last update (the fast path needs to know)
    lock = threading.Lock()
    rebuild: list[Callable[[], None]] = []  # the engine's "rebuild now", once its server runs

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            # Reading files also produces (opened/closed) events; only changes matter.
            if event.event_type not in {"created", "modified", "moved", "deleted", "closed"}:
                return
            path = Path(str(getattr(event, "dest_path", "") or event.src_path))
            if _scratch(path):
                return
            sources = (project.overviews_dir.resolve(), project.docs_dir.resolve(),
                       (project.root / "seminars").resolve())
            resolved = path.resolve()
            files = (project.bib_path.resolve(), (project.root / "published-urls.txt").resolve())
            if resolved in files or any(resolved.is_relative_to(s) for s in sources):
                with lock:
                    if not event.is_directory:  # a folder's own event comes with its files' events
                        changed.add(path)
                    source = Path(str(event.src_path))
                    if event.event_type == "moved" and not _scratch(source) and not event.is_directory:
                        changed.add(source)  # a file renamed away is a change too (an editor's temporary file is not)
                pending.set()

    def worker() -> None:
        settle = False  # a fast update happened: prepare everything once the author pauses
        while True:
            if not pending.wait(timeout=SETTLE_S if settle else None):
                settle = False
                try:
                    before = _tree(project.gen_docs_dir)
                    if _regenerate(project, state) and rebuild and _tree(project.gen_docs_dir) != before:
                        rebuild[0]()
                except Exception as exc:  # keep the preview alive whatever happens
                    state.clear()
                    print(f"Fel vid uppdatering: {exc}", file=sys.stderr)
                continue
            time.sleep(0.1)  # let editors finish writing
            pending.clear()
            with lock:
                paths = set(changed)
                changed.clear()
            try:
                written, settle = _update(project, state, paths)
                if written and rebuild:
                    rebuild[0]()  # at once: the engine does not poll build/docs (kop.site.engine.serve)
            except Exception as exc:  # keep the preview alive whatever happens
                state.clear()  # the next save prepares everything again
                settle = False
                print(f"Fel vid uppdatering: {exc}", file=sys.stderr)

    observer = Observer()
    source_handler = Handler()
    for watched in (project.overviews_dir, project.docs_dir, project.root / "seminars"):
        if watched.is_dir():
            observer.schedule(source_handler, str(watched), recursive=True)
    observer.schedule(source_handler, str(project.root), recursive=False)  # references.bib, published-urls.txt
    observer.start()
    threading.Thread(target=worker, daemon=True).start()
    try:
        engine.serve(project, addr, ready=rebuild.append)  # not strict, see there
    except KeyboardInterrupt:
        pass
    except (Exception, SystemExit) as exc:  # the engine reports config problems as exceptions
        print(f"Förhandsvisningen kunde inte starta: {exc}", file=sys.stderr)
        return 1
    finally:
        observer.stop()
    return 0
