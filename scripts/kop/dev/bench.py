"""``kop bench``: measure check, build and live-preview rebuild on generated corpora.

For each scale the benchmark generates a deterministic corpus (:mod:`kop.dev.corpus`, synthetic
data, written under ``--out``, git-ignored), then runs every measured command in a fresh
child process so that wall time, CPU time and peak memory (``ru_maxrss`` of that child and
everything it waited for, Pandoc and Pagefind included) belong to one run only. Medians of
``--runs`` runs are reported next to the reference: the same pages built by plain MkDocs +
Material (raw Markdown, citations left unresolved, default navigation listing every page).

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

# Measures the live preview's rebuild in-process with the functions `kop serve` uses:
# regenerate build/docs (kop.site.serve's prepare step), then the site engine's dirty build of what changed.
_SERVE_PROBE = textwrap.dedent("""
    import json, os, sys, time
    from pathlib import Path
    from kop.core.project import load_project
    from kop.site import engine as site_engine
    from kop.site.build import prepare

    root = Path(sys.argv[1]); site = Path(sys.argv[2])
    project = load_project(root)
    os.chdir(root)

    def engine(dirty):
        problems = site_engine.run(project, site, strict=False, parallel=False, dirty=dirty)
        assert not problems, problems

    prepare(project); engine(False)  # the state `make serve` is in after starting
    target = sorted((root / "overviews").glob("*.md"))[1]
    text = target.read_text(encoding="utf-8")
    times = []
    for i in range(int(sys.argv[3])):
        marker = f"Redigerad mening nummer {i} i förhandsvisningen."
        start = time.perf_counter()
        target.write_text(text + "\\n" + marker + "\\n", encoding="utf-8")
        result, formatted = prepare(project)
        assert formatted is not None, result.diagnostics
        engine(True)
        times.append(time.perf_counter() - start)
        page = site / "oversikter" / target.stem / "index.html"
        assert marker in page.read_text(encoding="utf-8"), "edit not in the rebuilt page"
    target.write_text(text, encoding="utf-8")
    print(json.dumps({"times": times}))
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
    try:
        probe = [sys.executable, "-c", _SEARCH_PROBE, str(site), QUERY, str(chromium_path()), json.dumps(CHROMIUM_ARGS)]
        out = subprocess.run(probe, capture_output=True,
                             text=True, timeout=300, check=True)
        data = json.loads(out.stdout)
    except (subprocess.SubprocessError, ValueError, OSError) as exc:
        print(f"  sökmätningen misslyckades: {exc}", file=sys.stderr)
        return "–"
    return f"{data['bytes'] / 1024:.0f} KB ({data['files']} filer)"


def serve_rebuild(corpus: Path, runs: int) -> float:
    """Median seconds from saving one overview to its page being rebuilt, as in `make serve`."""
    site = corpus / ".serve-site"
    try:
        out = subprocess.run([sys.executable, "-c", _SERVE_PROBE, str(corpus), str(site), str(runs)],
                             capture_output=True, text=True, env=_env(), check=True)
    finally:
        shutil.rmtree(site, ignore_errors=True)
    return statistics.median(json.loads(out.stdout)["times"])


def _fmt(m: Measure) -> str:
    return f"{m.wall:.2f} s"


def run(scales: list[str], runs: int, out: Path, seed: int = 1, log=print) -> str:  # type: ignore[no-untyped-def]
    """Run the benchmark and return the Markdown table (also written to ``out/results.md``)."""
    out = out.resolve()  # the probes change directory: a relative path would point elsewhere there
    out.mkdir(parents=True, exist_ok=True)
    kop = [sys.executable, "-m", "kop"]
    rows: list[str] = []
    page_notes: list[str] = []
    walls: dict[str, dict[str, float]] = {}
    for scale in scales:
        corpus = out / scale
        log(f"[{scale}] genererar korpus …")
        stats = generate(corpus, scale, seed)
        cache, site = corpus / ".cache", corpus / "site"
        log(f"[{scale}] kop check (kall och varm cache) …")
        check_cold = measure([*kop, "check", "--root", str(corpus)], runs, before=[cache])
        check_warm = measure([*kop, "check", "--root", str(corpus)], runs)
        log(f"[{scale}] kop build (kall och varm cache) …")
        build_cold = measure([*kop, "build", "--root", str(corpus)], runs, before=[cache, corpus / "build"])
        build_warm = measure([*kop, "build", "--root", str(corpus)], runs)
        site_size = tree_size(site)
        pages_line = largest_pages(site)
        payload = search_payload(site)
        log(f"[{scale}] ren MkDocs (referens) …")
        plain = plain_project(corpus, out / f"{scale}-plain")
        ref = measure([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(plain / "mkdocs.yml")], runs)
        ref_size = tree_size(plain / "site")
        serve = None
        if scale != "large" or len(scales) == 1:
            log(f"[{scale}] ombyggnad i make serve …")
            serve = serve_rebuild(corpus, max(runs, 1))
        walls[scale] = {"check": check_warm.wall, "build": build_cold.wall, "plain": ref.wall}
        label = f"{scale} ({stats.overviews} översikter, {stats.references} referenser, {stats.words:,} ord)"
        rows += [
            f"| {label} | kop check, kall cache | {_fmt(check_cold)} | {check_cold.cpu:.2f} s | "
            f"{check_cold.rss_mb:.0f} MB | – | – | – |",
            f"| | kop check, varm cache | {_fmt(check_warm)} | {check_warm.cpu:.2f} s | {check_warm.rss_mb:.0f} MB "
            "| – | – | – |",
            f"| | kop build, kall cache | {_fmt(build_cold)} | {build_cold.cpu:.2f} s | {build_cold.rss_mb:.0f} MB "
            f"| {site_size / 1e6:.1f} MB | {payload} | {build_cold.wall / ref.wall:.2f}× |",
            f"| | kop build, varm cache | {_fmt(build_warm)} | {build_warm.cpu:.2f} s | {build_warm.rss_mb:.0f} MB "
            f"| {site_size / 1e6:.1f} MB | {payload} | {build_warm.wall / ref.wall:.2f}× |",
            f"| | ren MkDocs + Material (referens) | {_fmt(ref)} | {ref.cpu:.2f} s | {ref.rss_mb:.0f} MB "
            f"| {ref_size / 1e6:.1f} MB | – | 1.00× |",
        ]
        if serve is not None:
            rows.append(f"| | make serve: ombyggnad efter ändrad översikt | {serve:.2f} s | – | – | – | – | – |")
        page_notes.append(f"Sidstorlek, {scale}: {pages_line}.")
    header = [
        f"Mätt med {runs} körning(ar) per rad (median), {os.cpu_count()} kärnor, "
        f"belastning vid start {os.getloadavg()[0]:.2f}. Tid = väggklocka; CPU = user+sys för processen och "
        "dess barn (Pandoc, Pagefind).",
        "",
        "| Korpus | Steg | Tid | CPU | Toppminne | Storlek site/ | Sökning, en fråga | Mot ren MkDocs |",
        "|---|---|---|---|---|---|---|---|",
    ]
    footer = ["", *page_notes]
    if "medium" in walls and "large" in walls:
        footer.append("")
        growth = walls["large"]["build"] / walls["medium"]["build"]
        footer.append(f"Tillväxt stor ÷ mellan (5× innehållet): kop build {growth:.2f}, "
                      f"kop check {walls['large']['check'] / walls['medium']['check']:.2f}, ren MkDocs "
                      f"{walls['large']['plain'] / walls['medium']['plain']:.2f}.")
    table = "\n".join(header + rows + footer) + "\n"
    (out / "results.md").write_text(table, encoding="utf-8")
    return table


def main(scales: str, runs: int, out: Path) -> int:
    names = [s.strip() for s in scales.split(",") if s.strip()]
    unknown = [s for s in names if s not in SCALES]
    if unknown or runs < 1:
        print(f"kop bench: okänd skala {', '.join(unknown)}; välj bland {', '.join(SCALES)}." if unknown
              else "kop bench: --runs måste vara minst 1.", file=sys.stderr)
        return 2
    start = time.perf_counter()
    table = run(names, runs, out, log=lambda msg: print(msg, file=sys.stderr))
    print(table)
    print(f"Resultatet skrevs till {out / 'results.md'} ({time.perf_counter() - start:.0f} s).", file=sys.stderr)
    return 0
