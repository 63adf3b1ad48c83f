"""``kop bench``: measure check, build and live-preview rebuild on generated corpora.

For each scale the benchmark generates a deterministic corpus (:mod:`kop.dev.corpus`, synthetic
data, written under ``--out``, git-ignored), then runs every measured command in a fresh
child process so that wall time, CPU time and peak memory (``ru_maxrss`` of that child and
everything it waited for, Pandoc and Pagefind included) belong to one run only. Medians of
``--runs`` runs are reported next to the reference: the same pages built by plain MkDocs +
Material (raw Markdown, citations left unresolved, default navigation listing every page).

Every target of issue 18 is a row with the target, the measured value (a ratio to plain
MkDocs measured in the same run where the target is one, so a loaded machine still gives a
fair figure) and whether it is met (:data:`TARGETS`): cold and warm build, a pull request
that adds one reference and cites it, editing one overview, the live preview (save → the
page served with the change, measured against a real ``kop serve``), check cold and warm,
peak memory, the largest page, large ÷ medium for every step, and (``--fresh-clone``) a
fresh clone to a built site including the install.

It is a benchmark, not a test: nothing here asserts a time. ``tests/dev/test_bench.py`` only
checks that it runs and prints its table.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

from kop.dev.browser import CHROMIUM_ARGS, chromium_path
from kop.dev.corpus import SCALES, generate

# Runs one command as a child and prints its wall time and resource usage as JSON. Being a
# fresh process itself, RUSAGE_CHILDREN covers exactly that one command (and its children).
_PROBE = textwrap.dedent("""
    import json, resource, subprocess, sys, time
    start = time.perf_counter()
    proc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "rss_kb": ru.ru_maxrss,
                      "rc": proc.returncode, "stderr": proc.stderr.decode("utf-8", "replace")[-2000:]}))
""")

# Loads the built search page in headless Chromium, runs one query for a common word with
# Pagefind's own client and sums the bytes of everything fetched from /pagefind/.
_SEARCH_PROBE = textwrap.dedent("""
    import functools, http.server, json, sys, threading
    from playwright.sync_api import sync_playwright

    site, query = sys.argv[1], sys.argv[2]
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=site)
    handler.log_message = lambda *a, **k: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    fetched = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=sys.argv[3], args=json.loads(sys.argv[4]))
        page = browser.new_page()
        def on_response(resp):
            if "/pagefind/" in resp.url and resp.url not in fetched:
                try:
                    fetched[resp.url] = len(resp.body())
                except Exception:
                    pass
        page.on("response", on_response)
        page.goto(base + "sok/", wait_until="networkidle")
        page.evaluate('''async (q) => {
            const pf = await import("/pagefind/pagefind.js");
            await pf.init();
            const search = await pf.search(q);
            await Promise.all(search.results.slice(0, 5).map((r) => r.data()));
        }''', query)
        page.wait_for_load_state("networkidle")
        browser.close()
    server.shutdown()
    print(json.dumps({"bytes": sum(fetched.values()), "files": len(fetched)}))
""")

QUERY = "samverkan"  # a word in most generated overviews: the worst case for chunks and fragments


@dataclass
class Measure:
    """Medians over runs of one command."""

    wall: float
    cpu: float
    rss_mb: float
    runs: list[float] = field(default_factory=list)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    scripts = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = scripts + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def _probe(cmd: list[str], cwd: Path | None = None) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", _PROBE, *cmd], capture_output=True, text=True, env=_env(),
                         cwd=cwd, check=True)
    data = json.loads(out.stdout)
    if data["rc"] != 0:  # the generated corpus is valid: any failure is a bug worth seeing
        raise RuntimeError(f"{' '.join(cmd)} failed ({data['rc']}): {data['stderr']}")
    return data


def measure(cmd: list[str], runs: int, before: list[Path] | None = None, cwd: Path | None = None) -> Measure:
    """Median wall/CPU time and peak RSS of ``runs`` fresh runs; ``before`` paths are removed first."""
    walls, cpus, rss = [], [], []
    for _ in range(runs):
        for path in before or []:
            shutil.rmtree(path, ignore_errors=True)
        data = _probe(cmd, cwd)
        walls.append(data["wall"])
        cpus.append(data["cpu"])
        rss.append(data["rss_kb"] / 1024)
    return Measure(statistics.median(walls), statistics.median(cpus), statistics.median(rss), walls)


def tree_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# The page budget a phone on a slow connection can live with (issue 14): every HTML page.
PAGE_BUDGET_GZIP = 100 * 1024
PAGE_BUDGET_NODES = 3000

_NOT_MARKUP = re.compile(rb"<!--.*?-->|<(script|style|textarea)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_START_TAG = re.compile(rb"<[A-Za-z][^\s/>]*")


@dataclass(frozen=True)
class PageSize:
    """One built HTML page: raw bytes, gzip bytes (level 9, as a web server would serve it) and elements."""

    path: str
    bytes: int
    gzip: int
    nodes: int


def element_count(html: bytes) -> int:
    """Elements in a page (the DOM size Lighthouse reports): start tags outside comments, scripts and styles.

    Script, style and textarea elements count as one each; their contents are not markup.
    """
    rest = _NOT_MARKUP.sub(lambda m: b"<x>" if m.group(1) else b"", html)
    return len(_START_TAG.findall(rest))


def page_sizes(site: Path) -> list[PageSize]:
    """Every ``*.html`` page of a built site, measured (the search index and assets are not pages)."""
    out = []
    for path in sorted(site.rglob("*.html")):
        data = path.read_bytes()
        out.append(PageSize(path.relative_to(site).as_posix(), len(data), len(gzip.compress(data, 9, mtime=0)),
                            element_count(data)))
    return out


def largest_pages(site: Path) -> str:
    """One line: the largest page by bytes, by gzip and by element count, and whether all fit the budget."""
    sizes = page_sizes(site)
    if not sizes:
        return "inga HTML-sidor"
    by_bytes = max(sizes, key=lambda p: p.bytes)
    by_gzip = max(sizes, key=lambda p: p.gzip)
    by_nodes = max(sizes, key=lambda p: p.nodes)
    over = [p for p in sizes if p.gzip > PAGE_BUDGET_GZIP or p.nodes > PAGE_BUDGET_NODES]
    budget = f"{PAGE_BUDGET_GZIP // 1024} KB gzip, {PAGE_BUDGET_NODES:,} element"
    verdict = (f"alla {len(sizes)} sidor inom budget ({budget})" if not over else
               f"{len(over)} av {len(sizes)} sidor över budget ({budget}), till exempel {over[0].path}")
    return (f"största sidan {by_bytes.path}: {by_bytes.bytes / 1024:.0f} KB, {by_bytes.gzip / 1024:.0f} KB gzip, "
            f"{by_bytes.nodes:,} element; mest gzip {by_gzip.path} ({by_gzip.gzip / 1024:.0f} KB); "
            f"flest element {by_nodes.path} ({by_nodes.nodes:,}); {verdict}")


def plain_project(corpus: Path, target: Path) -> Path:
    """The reference: the published overviews' raw Markdown in a plain MkDocs + Material project."""
    from kop.sources.frontmatter import decode_text, split_front_matter

    if target.exists():
        shutil.rmtree(target)
    docs = target / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Start\n", encoding="utf-8")
    for path in sorted((corpus / "overviews").glob("*.md")):
        fm = split_front_matter(decode_text(path.read_bytes(), path.name))
        if fm.meta.get("status") == "utkast":
            continue
        (docs / path.name).write_text(f"# {fm.meta.get('title', path.stem)}\n\n{fm.body}", encoding="utf-8")
    (target / "mkdocs.yml").write_text(
        "site_name: Referens\ntheme:\n  name: material\n  language: sv\n  font: false\n"
        "plugins:\n  - search:\n      lang: sv\n", encoding="utf-8")
    return target


def search_payload(site: Path) -> str:
    """Bytes a browser fetches from /pagefind/ for one query, or '–' if the site has no Pagefind index."""
    if not (site / "pagefind" / "pagefind.js").is_file():
        return "–"
    browser = chromium_path()
    if browser is None:
        print("  sökmätningen hoppades över: Chromium saknas (make system-deps installerar det)", file=sys.stderr)
        return "–"
    probe = [sys.executable, "-c", _SEARCH_PROBE, str(site), QUERY, str(browser), json.dumps(CHROMIUM_ARGS)]
    try:
        out = subprocess.run(probe, capture_output=True, text=True, timeout=300, check=False)
        if out.returncode != 0:  # the reason, not the probe's whole script
            reason = (out.stderr.strip().splitlines() or [f"avslutningskod {out.returncode}"])[-1]
            print(f"  sökmätningen misslyckades: {reason}", file=sys.stderr)
            return "–"
        data = json.loads(out.stdout)
    except (subprocess.SubprocessError, ValueError, OSError) as exc:
        print(f"  sökmätningen misslyckades: {exc}", file=sys.stderr)
        return "–"
    return f"{data['bytes'] / 1024:.0f} KB ({data['files']} filer)"


@dataclass(frozen=True)
class Row:
    """One line of the table: a step, its measure, the issue's target, the value compared and the verdict."""

    scale: str
    step: str
    measure: Measure | None
    target: str = "–"
    value: str = "–"
    ok: bool | None = None

    def line(self, label: str) -> str:
        m = self.measure
        timing = (f"{m.wall:.2f} s | {m.cpu:.2f} s | {m.rss_mb:.0f} MB" if m else "– | – | –")
        verdict = {True: "ja", False: "**nej**", None: "–"}[self.ok]
        return f"| {label} | {self.step} | {timing} | {self.target} | {self.value} | {verdict} |"


def _ratio_row(scale: str, step: str, m: Measure, ref: float, limit: float, of: str = "ren MkDocs") -> Row:
    ratio = m.wall / ref
    return Row(scale, step, m, f"≤ {limit:.1f}× {of}", f"{ratio:.2f}×", ratio <= limit)


def _seconds_row(scale: str, step: str, m: Measure | None, seconds: float, limit: float | None) -> Row:
    if limit is None:
        return Row(scale, step, m, "–", f"{seconds:.2f} s", None)
    return Row(scale, step, m, f"≤ {limit:g} s", f"{seconds:.2f} s", seconds <= limit)


#: Issue 18's targets that depend on the scale (None: the issue sets none for that scale).
COLD_BUILD = {"medium": 2.0, "large": 1.5}
CHECK_COLD = {"medium": 1.5, "large": 5.0}
CHECK_WARM = {"medium": 0.5}
SERVE_RELOAD = {"medium": 1.0}
PEAK_MB = {"large": 500}
HISTORY_SCAN = 1.0  # seconds: reading five versions per overview of the medium corpus from git (issue 19)
WARM_BUILD, ONE_REFERENCE, ONE_EDIT, GROWTH, FRESH_CLONE = 1.0, 1.2, 1.2, 5.5, 60.0


def _site_url(corpus: Path) -> str:
    for line in (corpus / "mkdocs.yml").read_text(encoding="utf-8").splitlines():
        if line.startswith("site_url:"):
            return line.split(":", 1)[1].strip()
    return "/"


def run(scales: list[str], runs: int, out: Path, seed: int = 1, log=print,  # type: ignore[no-untyped-def]
        fresh_clone: bool = False) -> str:
    """Run the benchmark and return the Markdown table (also written to ``out/results.md``)."""
    from kop.dev import scenarios

    out = out.resolve()  # the probes change directory: a relative path would point elsewhere there
    out.mkdir(parents=True, exist_ok=True)
    kop = [sys.executable, "-m", "kop"]
    rows: list[Row] = []
    page_notes: list[str] = []
    walls: dict[str, dict[str, float]] = {}
    labels: dict[str, str] = {}
    for scale in scales:
        corpus = out / scale
        log(f"[{scale}] genererar korpus …")
        stats = generate(corpus, scale, seed)
        cache, site = corpus / ".cache", corpus / "site"
        build = [*kop, "build", "--root", str(corpus)]
        log(f"[{scale}] kop check (kall och varm cache) …")
        check_cold = measure([*kop, "check", "--root", str(corpus)], runs, before=[cache])
        check_warm = measure([*kop, "check", "--root", str(corpus)], runs)
        log(f"[{scale}] kop build (kall och varm cache) …")
        build_cold = measure(build, runs, before=[cache, corpus / "build"])
        build_warm = measure(build, runs)
        site_size = tree_size(site)
        sizes = page_sizes(site)
        pages_line = largest_pages(site)
        payload = search_payload(site)
        log(f"[{scale}] en ny referens som citeras, en redigerad översikt …")
        one_reference = _changed(build, runs, lambda n, c=corpus: scenarios.add_reference(c, n))
        one_edit = _changed(build, runs, lambda n, c=corpus: scenarios.edit_overview(c, n))
        log(f"[{scale}] ren MkDocs (referens) …")
        plain = plain_project(corpus, out / f"{scale}-plain")
        ref = measure([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(plain / "mkdocs.yml")], runs)
        ref_size = tree_size(plain / "site")
        reload = None
        if scale != "large" or len(scales) == 1:
            log(f"[{scale}] kop serve: från sparad fil till sidan med ändringen …")
            reload = statistics.median(scenarios.serve_reload(corpus, max(runs, 1), _env(), _site_url(corpus)))
        walls[scale] = {"kop check, kall cache": check_cold.wall, "kop check, varm cache": check_warm.wall,
                        "kop build, kall cache": build_cold.wall, "kop build, varm cache": build_warm.wall,
                        "en ny referens som citeras": one_reference.wall, "en redigerad översikt": one_edit.wall,
                        "ren MkDocs + Material (referens)": ref.wall}
        labels[scale] = f"{scale} ({stats.overviews} översikter, {stats.references} referenser, {stats.words:,} ord)"
        biggest = max(sizes, key=lambda p: p.gzip) if sizes else None
        rows += [
            _seconds_row(scale, "kop check, kall cache", check_cold, check_cold.wall, CHECK_COLD.get(scale)),
            _seconds_row(scale, "kop check, varm cache", check_warm, check_warm.wall, CHECK_WARM.get(scale)),
            _ratio_row(scale, "kop build, kall cache", build_cold, ref.wall, COLD_BUILD.get(scale, 2.0)),
            _ratio_row(scale, "kop build, varm cache", build_warm, ref.wall, WARM_BUILD),
            _ratio_row(scale, "en ny referens som citeras (bygge)", one_reference, build_warm.wall, ONE_REFERENCE,
                       "varmt bygge"),
            _ratio_row(scale, "en redigerad översikt (bygge)", one_edit, build_warm.wall, ONE_EDIT, "varmt bygge"),
            Row(scale, "ren MkDocs + Material (referens)", ref, "–", "1.00×"),
        ]
        if reload is not None:
            rows.append(_seconds_row(scale, "kop serve: sparad fil → sidan med ändringen", None, reload,
                                     SERVE_RELOAD.get(scale)))
        peak = max(check_cold.rss_mb, build_cold.rss_mb, build_warm.rss_mb, one_reference.rss_mb)
        limit = PEAK_MB.get(scale)
        rows.append(Row(scale, "toppminne (största av raderna ovan)", None, f"≤ {limit} MB" if limit else "–",
                        f"{peak:.0f} MB", peak <= limit if limit else None))
        if biggest is not None:
            fits = all(p.gzip <= PAGE_BUDGET_GZIP and p.nodes <= PAGE_BUDGET_NODES for p in sizes)
            by_nodes = max(sizes, key=lambda p: p.nodes)
            rows.append(Row(scale, f"största sidan ({biggest.path})", None,
                            f"≤ {PAGE_BUDGET_GZIP // 1024} KB gzip, ≤ {PAGE_BUDGET_NODES:,} element",
                            f"{biggest.bytes / 1024:.0f} KB, {biggest.gzip / 1024:.0f} KB gzip; flest element "
                            f"{by_nodes.nodes:,} ({by_nodes.path})", fits))
        if scale == "medium":
            rows += _history_rows(scale, out, corpus, kop, runs, log)
        page_notes.append(f"Sidstorlek, {scale}: {pages_line}.")
        page_notes.append(f"Storlek, {scale}: site/ {site_size / 1e6:.1f} MB (ren MkDocs {ref_size / 1e6:.1f} MB); "
                          f"sökning, en fråga: {payload}.")
    if "medium" in walls and "large" in walls:
        for step, medium_wall in walls["medium"].items():
            growth = walls["large"][step] / medium_wall
            if step.startswith("ren MkDocs"):  # the reference has no target: shown for comparison
                rows.append(Row("large", f"stor ÷ mellan: {step}", None, "–", f"{growth:.2f}", None))
                continue
            rows.append(Row("large", f"stor ÷ mellan: {step}", None, f"≤ {GROWTH}", f"{growth:.2f}",
                            growth <= GROWTH))
    if fresh_clone:
        log("ny klon → byggd webbplats (med installation) …")
        try:
            seconds, how = scenarios.fresh_clone(Path(__file__).resolve().parents[3], out / "fresh-clone", _env())
            rows.append(Row("", f"ny klon → byggd webbplats ({how})", None, f"≤ {FRESH_CLONE:g} s",
                            f"{seconds:.1f} s", seconds <= FRESH_CLONE))
        except (RuntimeError, OSError) as exc:
            rows.append(Row("", "ny klon → byggd webbplats", None, f"≤ {FRESH_CLONE:g} s", f"misslyckades: {exc}"[:200],
                            False))
    header = [
        f"Mätt med {runs} körning(ar) per rad (median), {os.cpu_count()} kärnor, "
        f"belastning vid start {os.getloadavg()[0]:.2f}. Tid = väggklocka; CPU = user+sys för processen och "
        "dess barn (Pandoc, Pagefind). Mål i kvoter jämförs med ren MkDocs (eller det varma bygget) mätt i samma "
        "körning.",
        "",
        "| Korpus | Steg | Tid | CPU | Toppminne | Mål | Utfall | Klarar |",
        "|---|---|---|---|---|---|---|---|",
    ]
    lines, seen = [], set()
    for row in rows:
        label = labels.get(row.scale, row.scale) if row.scale not in seen else ""
        seen.add(row.scale)
        lines.append(row.line(label))
    table = "\n".join(header + lines + ["", *page_notes]) + "\n"
    (out / "results.md").write_text(table, encoding="utf-8")
    return table


def _history_rows(scale: str, out: Path, corpus: Path, kop: list[str], runs: int,  # type: ignore[no-untyped-def]
                  log) -> list[Row]:
    """Issue 19: five versions per overview in git; reading them must add at most HISTORY_SCAN seconds.

    The scan (one ``git log`` and one ``git cat-file --batch``) is timed on its own; the warm
    build with and without the history shows the whole cost, older versions' pages included.
    """
    from kop.dev import scenarios
    from kop.sources.history import read_history

    log(f"[{scale}] historik: fem versioner per översikt i git …")
    repo = out / f"{scale}-historik"
    scenarios.make_history(corpus, repo, 5)
    from kop.core.project import load_project
    from kop.site.checking import check

    # as the build reads it: the working tree's current versions are not parsed again
    current = {str(ov.meta["id"]): str(ov.meta["version"]) for ov in check(load_project(repo)).overviews
               if ov.meta.get("id") and ov.meta.get("version")}
    t = time.perf_counter()
    history = read_history(repo, current=current)
    scan = time.perf_counter() - t
    older = sum(max(0, len(v) - 1) for v in history.versions.values())
    build = [*kop, "build", "--root", str(repo)]
    measure(build, 1)  # the cold build; the rows compare warm builds
    with_history = measure(build, runs)
    (repo / ".git").rename(repo / ".git-undan")
    try:
        measure(build, 1)
        without = measure(build, runs)
    finally:
        (repo / ".git-undan").rename(repo / ".git")
    return [
        _seconds_row(scale, f"historik: läsa versionerna ur git ({older} äldre versioner)", None, scan, HISTORY_SCAN),
        Row(scale, "historik: varmt bygge med historik (äldre versioners sidor inräknade)", with_history,
            "–", f"+{with_history.wall - without.wall:.2f} s mot utan historik ({without.wall:.2f} s)", None),
    ]


def _changed(build: list[str], runs: int, change) -> Measure:  # type: ignore[no-untyped-def]
    """Median build after ``change(n)`` before each run (the caches warm from the build before)."""
    walls, cpus, rss = [], [], []
    for n in range(runs):
        change(n)
        data = _probe(build)
        walls.append(data["wall"])
        cpus.append(data["cpu"])
        rss.append(data["rss_kb"] / 1024)
    return Measure(statistics.median(walls), statistics.median(cpus), statistics.median(rss), walls)


def main(scales: str, runs: int, out: Path, fresh_clone: bool = False) -> int:
    names = [s.strip() for s in scales.split(",") if s.strip()]
    unknown = [s for s in names if s not in SCALES]
    if unknown or runs < 1:
        print(f"kop bench: okänd skala {', '.join(unknown)}; välj bland {', '.join(SCALES)}." if unknown
              else "kop bench: --runs måste vara minst 1.", file=sys.stderr)
        return 2
    start = time.perf_counter()
    table = run(names, runs, out, log=lambda msg: print(msg, file=sys.stderr), fresh_clone=fresh_clone)
    print(table)
    print(f"Resultatet skrevs till {out / 'results.md'} ({time.perf_counter() - start:.0f} s).", file=sys.stderr)
    return 0
