"""The preview build (``kop build --forhandsvisning``): a browsable site also when the check fails.

A pull request with a content error should still get a preview, so the writer and the
reviewers can see the pages, with the problems shown where they are. So this build is
not strict: pages with errors are built, each with a Swedish error banner at its top
listing its problems, and one page (``forhandsvisning/``) lists every problem of the run.

What the safety check refuses is never published, not even in a preview: an overview or a
seminar with active content (KOP4xx), a refused file (KOP150–152) or an unsafe value is left
out, and a reference with an unsafe link or control character is dropped (its citations
show as unknown). The rest of the build is the ordinary one, sanitiser included.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from kop.core.catalogue import message
from kop.core.html import esc
from kop.core.model import Diagnostic, Reference
from kop.core.results import CheckResult
from kop.render.fragments import block

PAGE_PATH = "forhandsvisning/index.md"
DROPPED = message("KOP617")
WRONG_TYPE = "KOP112"  # a value of the wrong type: left out of the preview so the page can be rendered

# Codes whose content must never reach a page: active content, refused files, unsafe values.
_UNSAFE_PREFIXES = ("KOP4",)
_UNSAFE_CODES = frozenset({"KOP150", "KOP151", "KOP152", "KOP141", "KOP220", "KOP221", "KOP222"})
_PAGE_FOLDERS = {"overviews/": "oversikter/", "seminars/": "seminarier/"}
_MAX_SHOWN = 100  # problems listed in one banner; the preview page has them all


def unsafe(diagnostic: Diagnostic) -> bool:
    """True for a problem whose content the site must refuse (so the preview leaves it out)."""
    return diagnostic.code in _UNSAFE_CODES or diagnostic.code.startswith(_UNSAFE_PREFIXES)


@dataclass
class Preview:
    """What the preview left out, and the problems by file (for the banners)."""

    by_file: dict[str, list[Diagnostic]] = field(default_factory=dict)
    dropped: dict[str, str] = field(default_factory=dict)  # display path -> why it is not in the preview
    pages: dict[str, str] = field(default_factory=dict)  # generated page path -> display path of its source


def restrict(result: CheckResult) -> Preview:
    """Remove from ``result`` what the preview must not show; return the problems by file.

    Left out: overviews and seminars with unsafe content or whose front matter could not
    be read (nothing to show), later overviews that repeat an id, and references with an
    unsafe value. ``result`` is changed in place; it is the preview's own copy of the check.
    """
    preview = Preview()
    by_file: dict[str, list[Diagnostic]] = defaultdict(list)
    for diagnostic in result.diagnostics:
        by_file[diagnostic.path].append(diagnostic)
    preview.by_file = {path: sorted(diags, key=lambda d: (d.line, d.column)) for path, diags in by_file.items()}
    project = result.project
    kept, ids = [], set()
    for ov in result.overviews:
        shown = result.displays.get(ov.slug, project.display(ov.path))
        reason = _reason(preview.by_file.get(shown, []), ov.meta)
        if reason is None and str(ov.meta.get("id")) in ids:
            reason = "en annan översikt har samma id"
        if reason is not None:
            preview.dropped[shown] = reason
            continue
        ids.add(str(ov.meta.get("id")))
        _drop_bad_values(ov, preview.by_file.get(shown, []))
        kept.append(ov)
        preview.pages[f"oversikter/{ov.slug}.md"] = shown
    result.overviews = kept
    seminars = result.feature_data.get("seminars")
    if isinstance(seminars, list):
        usable = []
        for sem in seminars:
            shown = project.display(sem.path)
            reason = _reason(preview.by_file.get(shown, []), sem.meta)
            if reason is not None:
                preview.dropped[shown] = reason
                continue
            usable.append(sem)
            preview.pages[f"seminarier/{sem.slug}.md"] = shown
        result.feature_data["seminars"] = usable
    bib = project.display(project.bib_path)
    for key in _unsafe_references(result.references, preview.by_file.get(bib, [])):
        del result.references[key]
        preview.dropped[f"{bib}#{key}"] = "referensen har ett värde som inte får publiceras"
    return preview


def collect(make: Callable[[], Iterable[tuple[str, str | bytes]]], result: CheckResult,
            preview: Preview) -> dict[str, str | bytes]:
    """Every generated file with banners; a page too broken to render is left out instead of failing the build.

    ``make`` runs the generator on ``result``. Overview pages are rendered one at a time after
    the shared pages, in :meth:`CheckResult.published` order, so a failure there is the first
    page not yet written: that one is dropped and the rest tried again. A failure before them
    (a listing that cannot show some page's fields) drops every page with errors at once.
    """
    for _ in range(len(result.overviews) + 2):
        files: dict[str, str | bytes] = {}
        try:
            for path, content in with_banners(make(), preview):
                files[path] = content
            return files
        except Exception:
            culprit = next((ov for ov in result.published() if f"oversikter/{ov.slug}.md" not in files), None)
            shown = result.displays.get(culprit.slug, "") if culprit is not None else ""
            if culprit is not None and "index.md" in files and _has_errors(preview, shown):
                preview.dropped[shown] = "sidan kunde inte byggas med de här felen"
                preview.pages.pop(f"oversikter/{culprit.slug}.md", None)
                result.overviews = [ov for ov in result.overviews if ov is not culprit]
            elif any(_has_errors(preview, shown) for shown in preview.pages.values()):
                drop_pages_with_errors(result, preview)
            else:
                raise  # nothing with errors left to blame: a real build error, reported as such
    raise RuntimeError("förhandsvisningen kunde inte byggas")


def _has_errors(preview: Preview, shown: str) -> bool:
    return any(d.severity == "error" for d in preview.by_file.get(shown, []))


def drop_pages_with_errors(result: CheckResult, preview: Preview) -> None:
    """The fallback when a page could not be rendered: leave out every page whose source has an error."""
    def broken(shown: str) -> bool:
        return _has_errors(preview, shown)

    reason = "sidan kunde inte byggas med de här felen"
    for page, shown in list(preview.pages.items()):
        if broken(shown):
            preview.dropped[shown] = reason
            del preview.pages[page]
    project = result.project
    result.overviews = [ov for ov in result.overviews
                        if not broken(result.displays.get(ov.slug, project.display(ov.path)))]
    seminars = result.feature_data.get("seminars")
    if isinstance(seminars, list):
        result.feature_data["seminars"] = [s for s in seminars if not broken(project.display(s.path))]


def _reason(problems: list[Diagnostic], meta: dict) -> str | None:
    """Why a page cannot be in the preview, or None."""
    if any(unsafe(d) for d in problems):
        return "innehållet stoppas av säkerhetskontrollen"
    if not meta:
        return "fälten överst i filen kunde inte läsas"
    if not isinstance(meta.get("id"), str) or not meta["id"].strip():
        return "fältet id saknas eller är inte en text, så sidan har ingen adress"
    return None


def _drop_bad_values(doc: Any, problems: list[Diagnostic]) -> None:
    """Remove the values of the wrong type (KOP112) from ``doc.meta`` so the page can still be rendered.

    A title of the wrong type becomes the file name, so the page keeps a heading.
    """
    at = {position: path for path, position in getattr(doc, "positions", {}).items()}
    for diagnostic in problems:
        path = at.get((diagnostic.line, diagnostic.column)) if diagnostic.code == WRONG_TYPE else None
        if not path:
            continue
        parent: Any = doc.meta
        for part in path[:-1]:
            parent = parent[part] if isinstance(parent, dict | list) and _has(parent, part) else None
        if isinstance(parent, dict) and path[-1] in parent:
            del parent[path[-1]]
        elif isinstance(parent, list) and _has(parent, path[-1]):
            parent[path[-1]] = None
    title = doc.meta.get("title")
    if not isinstance(title, str) or not title.strip():
        doc.meta["title"] = doc.slug


def _has(container: Any, part: Any) -> bool:
    if isinstance(container, dict):
        return part in container
    return isinstance(part, int) and 0 <= part < len(container)


def _unsafe_references(references: dict[str, Reference], problems: list[Diagnostic]) -> list[str]:
    """Keys of the entries an unsafe bibliography problem points into (entry = last start at or above it)."""
    starts = sorted((ref.line, key) for key, ref in references.items())
    out: list[str] = []
    for diagnostic in problems:
        if not unsafe(diagnostic):
            continue
        owner = None
        for line, key in starts:
            if line > diagnostic.line:
                break
            owner = key
        if owner is not None and owner not in out:
            out.append(owner)
    return out


def with_banners(files: Iterable[tuple[str, str | bytes]], preview: Preview) -> Iterator[tuple[str, str | bytes]]:
    """The generated files with an error banner on every page whose source has problems, plus the summary page."""
    for path, content in files:
        shown = preview.pages.get(path)
        problems = preview.by_file.get(shown, []) if shown else []
        if problems and isinstance(content, str):
            content = _insert(content, banner(shown or "", problems))
        elif path == "index.md" and isinstance(content, str) and preview.by_file:
            content = _insert(content, summary_banner(preview))
        yield path, content
    yield PAGE_PATH, summary_page(preview)


def _insert(page: str, html: str) -> str:
    """Put ``html`` right after the page's front matter (the top of the page body)."""
    if page.startswith("---\n"):
        end = page.find("\n---\n", 4)
        if end >= 0:
            cut = end + len("\n---\n")
            return page[:cut] + block(html) + page[cut:]
    return block(html) + page


def _problem_items(problems: list[Diagnostic], limit: int = _MAX_SHOWN) -> str:
    items = []
    for d in problems[:limit]:
        kind = "fel" if d.severity == "error" else "varning"
        where = f"rad {d.line}, kolumn {d.column}" if d.column else f"rad {d.line}"
        hint = f'<br><span class="kop-preview-hint">→ {esc(d.hint)}</span>' if d.hint else ""
        items.append(f"<li><strong>{esc(kind)}</strong> ({esc(where)}): {esc(d.message)} "
                     f"<code>{esc(d.code)}</code>{hint}</li>")
    if len(problems) > limit:
        items.append(f"<li>… och {len(problems) - limit} till.</li>")
    return "".join(items)


def banner(shown: str, problems: list[Diagnostic]) -> str:
    """The red box at the top of a page whose source file has problems."""
    errors = sum(d.severity == "error" for d in problems)
    warnings = len(problems) - errors
    counts = ", ".join(part for part in (_count(errors, "fel", "fel"), _count(warnings, "varning", "varningar"))
                       if part)
    return (f'<div class="admonition failure kop-preview-errors" role="alert">'
            f'<p class="admonition-title">Förhandsvisning: {esc(shown)} har {esc(counts)}</p>'
            f"<p>Sidan visas så gott det går. Rätta problemen nedan i {esc(shown)}; rutan finns bara i "
            f"förhandsvisningen och försvinner när filen är rättad.</p>"
            f"<ul>{_problem_items(problems)}</ul></div>")


def _count(n: int, one: str, many: str) -> str:
    return "" if n == 0 else f"{n} {one if n == 1 else many}"


def summary_banner(preview: Preview) -> str:
    """The box on the start page: how many problems there are, and where they are all listed."""
    total = sum(len(v) for v in preview.by_file.values())
    return (f'<div class="admonition warning kop-preview-errors" role="alert">'
            f'<p class="admonition-title">Förhandsvisning med {total} problem</p>'
            f'<p>Det här är en förhandsvisning som inte är publicerad. '
            f'<a href="forhandsvisning/">Se alla problem och vad som inte kunde visas</a>.</p></div>')


def summary_page(preview: Preview) -> str:
    """``forhandsvisning/``: every problem of the run by file, and what was left out and why."""
    parts = ["---\ntitle: Förhandsvisning\nsearch:\n  exclude: true\n---\n\n# Förhandsvisning\n\n",
             "Den här webbplatsen är en förhandsvisning av en ändring och är inte publicerad. "
             "Sidor med fel har en röd ruta överst.\n"]
    if preview.dropped:
        rows = "".join(f"<li><code>{esc(path)}</code>: {esc(DROPPED.text.format(reason=reason))}</li>"
                       for path, reason in sorted(preview.dropped.items()))
        parts.append(block(f'<section class="kop-preview-dropped"><h2>Visas inte</h2><ul>{rows}</ul>'
                           f"<p>{esc(DROPPED.hint)}</p></section>"))
    if not preview.by_file:
        parts.append("\nKontrollen hittade inga problem.\n")
    for path, problems in sorted(preview.by_file.items()):
        parts.append(block(f"<section><h2><code>{esc(path)}</code></h2><ul>{_problem_items(problems, 2000)}</ul>"
                           f"</section>"))
    return "".join(parts)
