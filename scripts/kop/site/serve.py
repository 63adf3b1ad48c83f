"""Live preview: regenerate ``build/docs`` when sources change; the site engine reloads the browser.

The engine's own server (:func:`kop.site.engine.serve`: MkDocs or ProperDocs) watches only its
docs_dir (our generated tree). A watchdog observer here re-runs validation and page generation
when ``overviews/``, ``references.bib`` or ``docs/`` change; only changed generated files are
rewritten, so the engine's dirty reload rebuilds just those pages.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

from kop.core.project import Project
from kop.core.report import print_diagnostics
from kop.site import engine
from kop.site.build import prepare


def _regenerate(project: Project) -> bool:
    start = time.perf_counter()
    result, formatted = prepare(project)
    print_diagnostics(result.diagnostics)
    if formatted is None:
        print("Förhandsvisningen visar senaste fungerande version tills felen är rättade.", file=sys.stderr)
        return False
    print(f"Uppdaterat på {time.perf_counter() - start:.2f} s.", file=sys.stderr)
    return True


def serve(project: Project, addr: str) -> int:
    """Prepare once, start watching sources, then run the site engine's development server."""
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    if (unusable := engine.check(project)) is not None:
        print_diagnostics([unusable])
        return 1
    print(f"Förhandsvisning på http://{addr}/ – avsluta med Ctrl+C.", file=sys.stderr)
    if not _regenerate(project):
        print("Rätta felen ovan och starta igen.", file=sys.stderr)
        return 1

    pending = threading.Event()

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            # Reading files also produces (opened/closed) events; only changes matter.
            if event.event_type not in {"created", "modified", "moved", "deleted", "closed"}:
                return
            path = Path(str(getattr(event, "dest_path", "") or event.src_path))
            if path.name.startswith(".") or path.suffix in {".swp", ".tmp"}:
                return
            sources = (project.overviews_dir.resolve(), project.docs_dir.resolve(),
                       (project.root / "seminars").resolve())
            resolved = path.resolve()
            files = (project.bib_path.resolve(), (project.root / "published-urls.txt").resolve())
            if resolved in files or any(resolved.is_relative_to(s) for s in sources):
                pending.set()

    def worker() -> None:
        while True:
            pending.wait()
            time.sleep(0.1)  # let editors finish writing
            pending.clear()
            try:
                _regenerate(project)
            except Exception as exc:  # keep the preview alive whatever happens
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
        engine.serve(project, addr)  # not strict, see there
    except KeyboardInterrupt:
        pass
    except (Exception, SystemExit) as exc:  # the engine reports config problems as exceptions
        print(f"Förhandsvisningen kunde inte starta: {exc}", file=sys.stderr)
        return 1
    finally:
        observer.stop()
    return 0
