"""A PDF of every overview on the site, to print and take to a meeting: ``k/<id>/<id>.pdf``.

A4, Swedish (hyphenation included), with the title, status, question, summary, findings,
people, the body and the APA reference list the page shows (the same
:class:`~kop.cite.apa.Formatted`, per page), the example mark on every page of an
example, and on the first page the permanent address and a QR code to it. No LaTeX and
no browser: Pandoc (the pinned one that formats the references) turns the bodies into
Typst, and the ``typst`` package, with its embedded fonts only, sets them. Nothing is
fetched and no file is read while typesetting (:mod:`kop.features.pdf_compile`).

The address is under the permanent address (``k/<id>/``), not the page's, because a PDF
cannot redirect: a renamed overview keeps its PDF address, as it keeps ``/k/<id>/``.

Speed: each PDF is cached (``.cache/kop/pdf/``) by a hash of everything it is made from
(front matter, body, the formatted citations and entries it shows, the site's address and
name, the versions of Pandoc and Typst and the code and template that make it), computed
without making the PDF, so a warm build only hashes and reads files (about 2 ms an
overview). For the PDFs that are missing, all bodies go through ONE Pandoc run (``pandoc
lua``, each body read as a document of its own; each body's Typst is cached too, so a new
title costs no Pandoc), then Typst compiles them in one process per core.

Withdrawn overviews and drafts get no PDF. A PDF that cannot be made is an error
(KOP520) naming the overview; its page is published without the link.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from kop.cite.apa import Formatted
from kop.cite.pandoc import PANDOC_VERSION, FormattingError, run_pandoc
from kop.core import catalogue
from kop.core.cores import usable_cores
from kop.core.fsutil import prune_untouched, touch, write_atomic
from kop.core.html import esc
from kop.core.messages import Message
from kop.core.model import Overview
from kop.core.results import CheckResult
from kop.core.urls import absolute, is_withdrawn, on_site, permalink
from kop.features.base import BaseFeature, BuildContext, Files
from kop.render import pdf as document
from kop.render.overview import PageParts

RENDERER_VERSION = "1"
BODIES_PER_RUN = 8  # bodies before a second Pandoc process pays for its start (about 0.1 s)
LEGEND_PATH = "evidensstyrka/"
COMPILER = Path(__file__).resolve().with_name("pdf_compile.py")


def pdf_path(oid: str) -> str:
    """Site-relative address of an overview's PDF."""
    return f"{permalink(oid)}{oid}.pdf"


def printed(overviews: list[Overview]) -> list[Overview]:
    """Overviews that get a PDF: the published ones (status publicerad), to take to a meeting.

    A draft, an overview under review and an outdated or withdrawn one get none: a printed copy
    outlives its page's status banner, so only a finished, current text is printed.
    """
    return [ov for ov in published_for_print(overviews) if not too_large(ov)]


def published_for_print(overviews: list[Overview]) -> list[Overview]:
    return [ov for ov in on_site(overviews) if not is_withdrawn(ov) and ov.meta.get("status") == "publicerad"]


MAX_PDF_BODY_CHARS = 200_000  # a real overview is 20-100 kB; typesetting grows fast beyond this
MAX_PDF_CITATIONS = 1_000


def too_large(ov: Overview) -> bool:
    """Too long to typeset within a bounded time: the page is published, the PDF left out (KOP522).

    A size rule, not a time limit, so whether an overview gets a PDF is decided by its text alone
    and the check can predict the address.
    """
    return len(ov.body) > MAX_PDF_BODY_CHARS or len(ov.citations) > MAX_PDF_CITATIONS


def size_words(size: int) -> str:
    """A file size as Swedish readers write it: ``84 kB``, ``1,2 MB``."""
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} kB"
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")


def link_html(oid: str, size: int) -> str:
    """The header card's download link, relative to the page ``oversikter/<slug>/``."""
    return (f'<p class="kop-pdf"><a class="md-button kop-pdf__link" href="../../{esc(pdf_path(oid))}" '
            f'type="application/pdf">Ladda ner som PDF ({esc(size_words(size))})</a></p>')


def _message(code: str) -> Message:
    return catalogue.message(code)


@lru_cache(maxsize=1)
def typst_version() -> str:
    try:
        return version("typst")
    except PackageNotFoundError:
        return "missing"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """The versions of Pandoc and Typst and the code that makes a PDF: part of every cache key."""
    files = [document.CODE_FILES, (Path(__file__).resolve(), COMPILER)]
    code = [path.read_text(encoding="utf-8") for group in files for path in group]
    return _hash(RENDERER_VERSION, PANDOC_VERSION, typst_version(), document.READER, *code)


def _hash(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


def bodies_to_typst(jobs: list[dict[str, object]], workers: int | None = None) -> list[str]:
    """Each job's body as Typst, in one Pandoc run per core (FormattingError if Pandoc fails).

    Why one run per core: a first build converts every overview (about 2.4 s in one process
    for 200 overviews); the script converts each body as a document of its own, so the shares
    give exactly the single run's output.
    """
    if not jobs:
        return []
    workers = max(1, min(workers or usable_cores(), len(jobs) // BODIES_PER_RUN or 1))
    shares = [list(range(w, len(jobs), workers)) for w in range(workers)]

    def run(share: list[int]) -> list[str]:
        payload = json.dumps({"reader": document.READER, "docs": [jobs[i] for i in share]}, ensure_ascii=False)
        out = json.loads(run_pandoc(["lua", str(document.CONVERTER_FILE)], payload))
        if not isinstance(out, list) or len(out) != len(share) or not all(isinstance(t, str) for t in out):
            raise FormattingError("KOP907", problem="Pandoc gav inte en Typst-text per översikt")
        return out

    if workers == 1:
        return run(shares[0])
    with ThreadPoolExecutor(max_workers=workers) as pool:  # the work is in the Pandoc processes
        parts = list(pool.map(run, shares))
    out = [""] * len(jobs)
    for share, texts in zip(shares, parts, strict=True):
        for i, text in zip(share, texts, strict=True):
            out[i] = text
    return out


def compile_all(sources: list[str], workers: int | None = None) -> list[tuple[bytes | None, str]]:
    """(PDF, "") or (None, Typst's message) per source, in ``workers`` processes (one per core).

    OSError if the compiler processes cannot run at all.
    """
    if not sources:
        return []
    workers = max(1, min(workers or usable_cores(), len(sources)))
    with tempfile.TemporaryDirectory(prefix="kop-pdf-") as tmp:
        work = Path(tmp)
        (work / "root").mkdir()
        files = []
        for i, source in enumerate(sources):
            path = work / f"{i}.typ"
            path.write_text(source, encoding="utf-8")
            files.append(path)
        # deal the jobs out largest first, so the processes finish at about the same time
        order = sorted(range(len(files)), key=lambda i: -len(sources[i]))
        shares = [[str(files[i]) for i in order[w::workers]] for w in range(workers)]
        procs = [subprocess.Popen([sys.executable, str(COMPILER), str(work / "root"), *share],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for share in shares if share]
        failures = [err.decode("utf-8", "replace").strip() for proc in procs
                    for _, err in [proc.communicate()] if proc.returncode != 0]
        if failures and not any(p.with_suffix(".pdf").is_file() or p.with_suffix(".err").is_file() for p in files):
            raise OSError(failures[0].splitlines()[-1][:500] if failures[0] else "Typst kunde inte köras")
        results: list[tuple[bytes | None, str]] = []
        for path in files:
            pdf, err = path.with_suffix(".pdf"), path.with_suffix(".err")
            if pdf.is_file():
                results.append((pdf.read_bytes(), ""))
            elif err.is_file():
                results.append((None, err.read_text(encoding="utf-8")))
            else:
                results.append((None, (failures[0] if failures else "Typst avslutades utan resultat")[-500:]))
        return results


class PdfFeature(BaseFeature):
    """One PDF per overview page, linked from its header card and from ``citation_pdf_url``."""

    name = "pdf"

    def __init__(self) -> None:
        self.pdfs: dict[str, bytes] = {}  # overview id -> PDF
        self.compiled: list[str] = []  # ids compiled (not from the cache) in this build

    def addresses(self, result: CheckResult) -> set[str]:
        return {pdf_path(str(ov.meta["id"])) for ov in printed(result.overviews)}

    def prepare(self, ctx: BuildContext) -> None:
        if ctx.formatted is None:  # outside a full build there is nothing to cite with
            return
        for ov in published_for_print(ctx.result.overviews):
            if too_large(ov):
                display = ctx.result.displays.get(ov.slug, str(ov.path))
                ctx.result.diagnostics.append(_message("KOP522").at(
                    display, 1, 0, chars=len(ov.body), citations=len(ov.citations),
                    max_chars=MAX_PDF_BODY_CHARS, max_citations=MAX_PDF_CITATIONS))
        overviews = printed(ctx.result.overviews)
        cache = ctx.result.project.cache_dir / "pdf" if ctx.result.project.cache_dir else None
        keys = [self._key(ov, ctx) for ov in overviews]
        missing: list[int] = []
        for i, (ov, key) in enumerate(zip(overviews, keys, strict=True)):
            cached = cache / f"{key}.pdf" if cache else None
            if cached and cached.is_file():
                self.pdfs[str(ov.meta["id"])] = cached.read_bytes()
                touch(cached)
            else:
                missing.append(i)
        if missing:
            self._compile(ctx, overviews, keys, missing, cache)
        if cache:  # after this build's reads: PDFs and Typst bodies unused for a month (each edit keeps new ones)
            prune_untouched(cache, lambda name: name.endswith((".pdf", ".typ")))

    def _compile(self, ctx: BuildContext, overviews: list[Overview], keys: list[str], missing: list[int],
                 cache: Path | None) -> None:
        """Make the PDFs the cache did not have (``missing``: indexes into ``overviews`` and ``keys``)."""
        assert ctx.formatted is not None
        todo = [overviews[i] for i in missing]
        try:
            bodies = self._bodies([self._body_input(ov, ctx.formatted, ctx.site_url) for ov in todo], cache)
            made = compile_all([self._source(ov, ctx, body) for ov, body in zip(todo, bodies, strict=True)])
        except FormattingError as exc:
            self._fail_all(ctx, str(exc.fields.get("problem") or exc))
            return
        except OSError as exc:
            self._fail_all(ctx, str(exc))
            return
        for i, (pdf, problem) in zip(missing, made, strict=True):
            ov = overviews[i]
            if pdf is None:
                display = ctx.result.displays.get(ov.slug, str(ov.path))
                ctx.result.diagnostics.append(_message("KOP520").at(display, 1, 0, problem=problem.strip()[:500]))
                continue
            self.pdfs[str(ov.meta["id"])] = pdf
            self.compiled.append(str(ov.meta["id"]))
            if cache:
                write_atomic(cache / f"{keys[i]}.pdf", pdf)

    def _key(self, ov: Overview, ctx: BuildContext) -> str:
        """A hash of everything the PDF is made from, computed without making it (a warm build's only work)."""
        assert ctx.formatted is not None
        oid = str(ov.meta["id"])
        meta = json.dumps(ov.meta, ensure_ascii=False, sort_keys=True, default=str)
        reads = document.formatted_reads(ov, ctx.formatted.for_page(oid))
        return _hash(code_fingerprint(), meta, ov.body if isinstance(ov.body, str) else "", ov.slug, ctx.site_url,
                     ctx.site_name, *reads)

    def _body_input(self, ov: Overview, formatted: Formatted, site_url: str) -> dict[str, object]:
        own = formatted.for_page(str(ov.meta.get("id")))
        _, labels = document.document_parts(ov, own)
        body, cites = document.body_markdown(ov, own, labels)
        base = absolute(site_url, f"oversikter/{ov.slug}/") if site_url else ""
        return {"body": body, "cites": cites, "base": base}

    def _bodies(self, inputs: list[dict[str, object]], cache: Path | None) -> list[str]:
        """Each body's Typst: from the cache, or from one Pandoc run for all that are missing."""
        fingerprint = _hash(PANDOC_VERSION, document.READER, document.converter())
        keys = [_hash(fingerprint, json.dumps(job, ensure_ascii=False, sort_keys=True)) for job in inputs]
        out: list[str | None] = []
        for key in keys:
            cached = cache / f"body-{key}.typ" if cache else None
            if cached and cached.is_file():
                out.append(cached.read_text(encoding="utf-8"))
                touch(cached)  # used: kept by prune_untouched like the PDFs
            else:
                out.append(None)
        missing = [i for i, text in enumerate(out) if text is None]
        for i, text in zip(missing, bodies_to_typst([inputs[i] for i in missing]), strict=True):
            out[i] = text
            if cache:
                write_atomic(cache / f"body-{keys[i]}.typ", text)
        return [text or "" for text in out]

    def _source(self, ov: Overview, ctx: BuildContext, body: str) -> str:
        assert ctx.formatted is not None
        oid = str(ov.meta["id"])
        return document.overview_document(
            ov, ctx.formatted.for_page(oid), body, address=absolute(ctx.site_url, permalink(oid)),
            legend=absolute(ctx.site_url, LEGEND_PATH) if ctx.site_url else "", site_name=ctx.site_name)

    def _fail_all(self, ctx: BuildContext, problem: str) -> None:
        display = ctx.result.project.display(ctx.result.project.mkdocs_yml)
        ctx.result.diagnostics.append(_message("KOP521").at(display, 1, 0, problem=problem.strip()[:500]))

    def files(self, ctx: BuildContext) -> Files:
        return {pdf_path(oid): pdf for oid, pdf in self.pdfs.items()}

    def page_parts(self, ov: Overview, ctx: BuildContext) -> PageParts:
        oid = str(ov.meta.get("id"))
        pdf = self.pdfs.get(oid)
        if pdf is None:
            return PageParts()
        return PageParts(head={"pdf": pdf_path(oid)}, header=[link_html(oid, len(pdf))])
