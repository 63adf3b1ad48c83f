"""The PDF of each overview: what it says (pdftotext), the link to it, and its cache.

Real builds of a small project (MkDocs, Pandoc and Typst included); the text is read back
from the PDF with Poppler's ``pdftotext`` and the QR code with ``zbarimg``.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from kop.cite.apa import Formatted
from kop.core.model import Overview
from kop.features.pdf import compile_all, pdf_path, size_words
from kop.render.pdf import EXAMPLE_MARK, body_markdown
from kop.render.typst import from_html, literal
from tests.conftest import FIXTURES, REPO

SITE_URL = "https://kop.example.org/"
HOSTILE = "Text med #read(/etc/passwd) och ]] och [ och $x$ och // ingen kommentar och = ingen rubrik"

OVERVIEW = """---
id: kop-2024-001
title: Testöversikt om samverkan
example: true
question: Vad säger forskningen om samverkan mellan myndigheter?
question_from:
  - organisation: Testkommunens socialförvaltning
    role: frågeställare
summary: Samverkan tar tid. Den här texten är kort.
authors:
  - name: Testforskare A
    affiliation: Testlärosätet
    role: forskare
area:
  - samverkan och organisering
status: publicerad
published: "2024-03-15"
method: forskningssammanställning
findings:
  - statement: Samverkan tar tid att bygga upp.
    references: [danermark1999samverkan]
    certainty:
      level: måttlig
      assessed_by: Författarna
    studies: 3
license: CC-BY-4.0
---

## Bakgrund

Samverkan beskrivs som välfärdsstatens nya arbetsform [@danermark1999samverkan].
Ahgren och Axelsson beskriver ett decennium av integration @ahgren2011decade [s. 3].

!!! note "Om exemplet"
    Det här är en ruta.

::: inte en pandoc-div

BODY_LINE
"""


def overview(oid: str, title: str, *, example: bool = True, status: str = "publicerad", extra: str = "") -> str:
    text = (OVERVIEW.replace("kop-2024-001", oid).replace("Testöversikt om samverkan", title)
            .replace("BODY_LINE", HOSTILE))
    if not example:
        text = text.replace("example: true\n", "")
    text = text.replace("status: publicerad", f"status: {status}")
    return text.replace("license: CC-BY-4.0", extra + "license: CC-BY-4.0")


WITHDRAWN = 'withdrawn:\n  date: "2025-01-10"\n  reason: Sökningen innehöll ett allvarligt fel.\n'


def make_pdf_project(root: Path) -> Path:
    (root / "overviews").mkdir(parents=True)
    files = {
        "exempel.md": overview("kop-2024-001", "Testöversikt om samverkan"),
        "riktig.md": overview("kop-2024-002", "En riktig översikt", example=False),
        "tillbakadragen.md": overview("kop-2024-003", "En tillbakadragen översikt", extra=WITHDRAWN),
        "utkast.md": overview("kop-2024-004", "Ett utkast", status="utkast"),
    }
    for name, text in files.items():
        (root / "overviews" / name).write_text(text, encoding="utf-8")
    shutil.copy(FIXTURES / "project" / "references.bib", root / "references.bib")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "docs", root / "docs")
    return root


def pandoc_counter(tmp: Path) -> tuple[Path, Path]:
    """A KOP_PANDOC wrapper that logs each run's first argument, then runs the bundled Pandoc."""
    from kop.cite.pandoc import pandoc_path

    log = tmp / "pandoc-runs.log"
    wrapper = tmp / "pandoc-counting"
    wrapper.write_text(f'#!/bin/sh\necho "$1" >> "{log}"\nexec "{pandoc_path()}" "$@"\n', encoding="utf-8")
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    return wrapper, log


def lua_runs(log: Path) -> int:
    return log.read_text(encoding="utf-8").split().count("lua") if log.is_file() else 0


def build_site(root: Path) -> None:
    from kop.core.project import load_project
    from kop.site.build import build

    result = build(load_project(root))
    assert result.ok, [d for d in result.diagnostics if d.severity == "error"]


def pdftotext(pdf: Path, page: int | None = None) -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.fail("pdftotext saknas: kör scripts/install-system-deps.sh (make test gör det)")
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run([exe, *pages, str(pdf), "-"], capture_output=True, text=True, check=True, timeout=60).stdout
    return " ".join(re.sub("\u00ad\\s*", "", out).split())  # undo hyphenation at line ends, one line


def page_count(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True, timeout=60).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.MULTILINE).group(1))


@pytest.fixture(scope="module")
def pdf_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(project root, Pandoc run log) after one cold build."""
    tmp = tmp_path_factory.mktemp("pdf")
    root = make_pdf_project(tmp / "project")
    wrapper, log = pandoc_counter(tmp)
    old = os.environ.get("KOP_PANDOC")
    os.environ["KOP_PANDOC"] = str(wrapper)
    try:
        build_site(root)
    finally:
        if old is None:
            os.environ.pop("KOP_PANDOC", None)
        else:
            os.environ["KOP_PANDOC"] = old
    return root, log


# ---------------------------------------------------------------- what the PDF says


@pytest.mark.slow
def test_pdf_has_title_address_findings_and_the_pages_references(pdf_site):
    root, _ = pdf_site
    pdf = root / "site" / pdf_path("kop-2024-001")
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = pdftotext(pdf)
    assert "Testöversikt om samverkan" in text and "Publicerad" in text
    assert "Permanent adress: https://kop.example.org/k/kop-2024-001/" in text
    assert "Vad säger forskningen om samverkan mellan myndigheter?" in text
    assert "Testforskare A, Testlärosätet" in text
    assert "Samverkan tar tid att bygga upp." in text and "Evidensstyrka: Måttlig" in text
    # the body's citations and the reference list, as the page formats them
    assert "arbetsform (Danermark & Kullberg, 1999)." in text
    assert "Ahgren & Axelsson (2011, s. 3)" in text
    assert "Referenser Ahgren, B., & Axelsson, R. (2011). A decade of integration" in text
    assert "Danermark, B., & Kullberg, C. (1999). Samverkan: välfärdsstatens nya arbetsform. Studentlitteratur." in text
    page = BeautifulSoup((root / "site" / "oversikter" / "exempel" / "index.html").read_text(encoding="utf-8"),
                         "html.parser")
    entries = page.select(".kop-references li")
    assert len(entries) == 2
    for entry in entries:  # the same list as the page (a URL may break at a line end)
        assert "".join(entry.get_text().split()) in "".join(text.split())


@pytest.mark.slow
def test_contributor_text_is_printed_never_run_as_typst_or_pandoc_syntax(pdf_site):
    root, _ = pdf_site
    text = pdftotext(root / "site" / pdf_path("kop-2024-001"))
    assert HOSTILE in text
    assert "::: inte en pandoc-div" in text  # printed as the site prints it
    assert "Om exemplet Det här är en ruta." in text  # the admonition is a box with its title


@pytest.mark.slow
def test_example_mark_is_on_every_page_and_only_on_examples(pdf_site):
    root, _ = pdf_site
    pdf = root / "site" / pdf_path("kop-2024-001")
    pages = page_count(pdf)
    assert pages >= 1
    for number in range(1, pages + 1):
        assert EXAMPLE_MARK in pdftotext(pdf, number)
    assert "Detta är ett demonstrationsexempel, inte en riktig kunskapsöversikt." in pdftotext(pdf, 1)
    real = pdftotext(root / "site" / pdf_path("kop-2024-002"))
    assert "En riktig översikt" in real and "demonstrationsexempel" not in real.lower()


@pytest.mark.slow
def test_qr_code_on_the_first_page_leads_to_the_permanent_address(pdf_site, tmp_path):
    root, _ = pdf_site
    zbar = shutil.which("zbarimg")
    if zbar is None:
        pytest.fail("zbarimg saknas: kör scripts/install-system-deps.sh (make test gör det)")
    pdf = root / "site" / pdf_path("kop-2024-001")
    subprocess.run(["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "p")],
                   check=True, timeout=60)
    (png,) = tmp_path.glob("p*.png")
    decoded = subprocess.run([zbar, "--raw", "-q", str(png)], capture_output=True, text=True, timeout=60)
    assert decoded.stdout.strip() == "https://kop.example.org/k/kop-2024-001/"


@pytest.mark.slow
def test_pdf_is_a4_swedish_with_title_metadata(pdf_site):
    root, _ = pdf_site
    info = subprocess.run(["pdfinfo", str(root / "site" / pdf_path("kop-2024-001"))], capture_output=True, text=True,
                          check=True, timeout=60).stdout
    assert re.search(r"^Page size:\s+595\.\d* x 841\.\d* pts \(A4\)", info, re.MULTILINE), info
    assert re.search(r"^Title:\s+Testöversikt om samverkan$", info, re.MULTILINE), info
    assert b"/Lang(sv-SE)" in (root / "site" / pdf_path("kop-2024-001")).read_bytes()


# ---------------------------------------------------------------- the link, and who gets none


@pytest.mark.slow
def test_page_links_the_pdf_with_its_size_and_names_it_in_citation_pdf_url(pdf_site):
    root, _ = pdf_site
    page_file = root / "site" / "oversikter" / "exempel" / "index.html"
    page = BeautifulSoup(page_file.read_text(encoding="utf-8"), "html.parser")
    link = page.select_one("a.kop-pdf__link")
    assert link is not None
    pdf = (page_file.parent / link["href"]).resolve()
    assert pdf == (root / "site" / pdf_path("kop-2024-001")).resolve() and pdf.is_file()
    assert link.get_text() == f"Ladda ner som PDF ({size_words(pdf.stat().st_size)})"
    assert link["type"] == "application/pdf"
    meta = page.select_one('meta[name="citation_pdf_url"]')
    real = BeautifulSoup((root / "site" / "oversikter" / "riktig" / "index.html").read_text(encoding="utf-8"),
                         "html.parser")
    real_meta = real.select_one('meta[name="citation_pdf_url"]')
    # examples get no citation_* tags at all (issue 13); a real overview names its PDF
    assert meta is None
    assert real_meta is not None and real_meta["content"] == SITE_URL + pdf_path("kop-2024-002")


@pytest.mark.slow
def test_withdrawn_overviews_and_drafts_get_no_pdf(pdf_site):
    root, _ = pdf_site
    site = root / "site"
    assert not (site / pdf_path("kop-2024-003")).exists()
    assert not (site / pdf_path("kop-2024-004")).exists()
    tomb = (site / "oversikter" / "tillbakadragen" / "index.html").read_text(encoding="utf-8")
    assert "kop-pdf" not in tomb and ".pdf" not in tomb
    assert sorted(p.name for p in site.rglob("*.pdf")) == ["kop-2024-001.pdf", "kop-2024-002.pdf"]


# ---------------------------------------------------------------- speed: one Pandoc run, and the cache


@pytest.mark.slow
def test_one_pandoc_run_for_all_bodies_then_the_cache(pdf_site, monkeypatch):
    root, log = pdf_site
    assert lua_runs(log) == 1  # both overviews' bodies in one Pandoc run
    cache = root / ".cache" / "kop" / "pdf"
    # a recompiled PDF is a new file (written atomically): a new inode; a reused one is only touched
    cached = {p: (p.stat().st_ino, p.read_bytes()) for p in cache.glob("*.pdf")}
    assert len(cached) == 2
    before = (root / "site" / pdf_path("kop-2024-001")).read_bytes()
    (root.parent / "warm").mkdir()
    wrapper, log2 = pandoc_counter(root.parent / "warm")
    monkeypatch.setenv("KOP_PANDOC", str(wrapper))
    build_site(root)  # warm: nothing changed
    assert lua_runs(log2) == 0
    assert {p: (p.stat().st_ino, p.read_bytes()) for p in cache.glob("*.pdf")} == cached  # nothing recompiled
    assert (root / "site" / pdf_path("kop-2024-001")).read_bytes() == before
    # a new title: the body comes from the cache (no Pandoc), only that PDF is compiled again; the
    # bodies are old, unread for 40 days, yet the one this build reads is neither pruned first nor left old
    old = time.time() - 40 * 86400
    bodies = sorted(cache.glob("body-*.typ"))
    assert len(bodies) == 2
    for body in bodies:
        os.utime(body, (old, old))
    source = root / "overviews" / "exempel.md"
    source.write_text(source.read_text(encoding="utf-8").replace("title: Testöversikt om samverkan",
                                                                  "title: Ny titel om samverkan"), encoding="utf-8")
    build_site(root)
    assert lua_runs(log2) == 0
    now = {p: (p.stat().st_ino, p.read_bytes()) for p in cache.glob("*.pdf")}
    assert set(cached) < set(now) and len(now) == 3
    assert all(now[p] == cached[p] for p in cached)
    assert "Ny titel om samverkan" in pdftotext(root / "site" / pdf_path("kop-2024-001"))
    read = [body for body in bodies if body.is_file() and body.stat().st_mtime > old + 86400]
    assert len(read) == 1  # the re-used body was touched; the other, unread for 40 days, was pruned
    assert [body for body in bodies if body.is_file()] == read


# ---------------------------------------------------------------- the pieces


def test_typst_literals_escape_quotes_and_backslashes():
    assert literal('a "b" \\c\nd') == '"a \\"b\\" \\\\c\\nd"'


def test_apa_html_becomes_typst_with_links_only_to_known_labels():
    html = ('Ahgren &amp; Axelsson (<a href="#ref-a" role="doc-biblioref">2011</a>), <em>Tidskrift</em>, '
            '<a href="#ref-okand">x</a> <a href="javascript:alert(1)">y</a> <a href="https://doi.org/1">z</a>')
    typst = from_html(html, {"ref-a"})
    assert '#link(<ref-a>)[#"2011";];' in typst and '#emph[#"Tidskrift";];' in typst
    assert "ref-okand" not in typst and "javascript" not in typst
    assert '#link("https://doi.org/1")[#"z";];' in typst
    assert '#"Ahgren & Axelsson (";' in typst


def test_body_markdown_marks_admonitions_and_keeps_div_fences_as_text():
    body = '!!! warning "Obs"\n    Inne i rutan.\n\n::: x\n\n```\n::: i kod\n```\n'
    ov = Overview(Path("a.md"), "a", {"id": "kop-2024-009"}, body, 1)
    text, cites = body_markdown(ov, Formatted(), set())
    assert "::: kop-admonition\n**Obs**\n\nInne i rutan." in text
    assert "\n\\::: x\n" in text and "\n::: i kod\n" in text
    assert cites == []


def test_size_words_are_swedish():
    assert (size_words(84_321), size_words(1_260_000), size_words(10)) == ("84 kB", "1,3 MB", "1 kB")


def test_typst_runs_sandboxed_and_reports_errors_per_source(tmp_path):
    hostile = 'Titel "med" ] [ #read("/etc/passwd") \\ slut'
    sources = [
        "#let x = 1\n#x.foo\n",  # a Typst error: reported for this source only
        '#read("/etc/passwd")\n',  # no file outside the empty root can be read
        from_html(f"<em>{hostile}</em>") + "\n",  # APA text is printed, never run
    ]
    (bad, bad_msg), (passwd, passwd_msg), (good, _) = compile_all(sources, workers=2)
    assert bad is None and "cannot access fields" in bad_msg
    assert passwd is None and "file not found" in passwd_msg
    assert good is not None and good.startswith(b"%PDF-")
    (tmp_path / "g.pdf").write_bytes(good)
    assert hostile in pdftotext(tmp_path / "g.pdf")


def test_an_overview_too_long_to_typeset_gets_no_pdf_but_keeps_its_page():
    """A size rule, not a timeout: the hostile 1 MB overview took minutes to typeset (issue 16's worst case)."""
    from kop.core.model import Overview
    from kop.features.pdf import MAX_PDF_BODY_CHARS, printed, too_large

    meta = {"id": "kop-2024-001", "status": "publicerad"}
    small = Overview(Path("a.md"), "a", meta, "Text.", 1)
    big = Overview(Path("b.md"), "b", {**meta, "id": "kop-2024-002"}, "x" * (MAX_PDF_BODY_CHARS + 1), 1)
    assert not too_large(small) and too_large(big)
    assert printed([small, big]) == [small]


def test_bodies_converted_in_several_pandoc_runs_equal_one_run():
    """A first build converts the bodies in one Pandoc process per core; each body is its own document."""
    from kop.features.pdf import BODIES_PER_RUN, bodies_to_typst

    jobs = [{"body": f"## Del {i}\n\nText om *stöd* nummer {i} [länk](../a/){' och ```' if i == 3 else ''}.\n",
             "cites": [], "base": "https://example.org/oversikter/x/"} for i in range(3 * BODIES_PER_RUN + 1)]
    split = bodies_to_typst(jobs, workers=3)
    assert split == bodies_to_typst(jobs, workers=1)
    assert len(split) == len(jobs) and all(f"nummer {i}" in text for i, text in enumerate(split))
