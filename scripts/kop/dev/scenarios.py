"""The everyday changes ``kop bench`` times: a new reference cited, one overview edited, a save in ``kop serve``.

Each changes a generated corpus the way a contributor would (new entries are synthetic, under
the 10.5555 test DOI prefix, like the rest of the corpus) and returns what to wait for. The
live preview is measured against a real ``kop serve`` process: from writing the file to the
page being served with the change, which is what the author sees after the browser reloads.
"""

from __future__ import annotations

import contextlib
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

from kop.dev.corpus import require_corpus
from kop.sources.frontmatter import decode_text, split_front_matter


def published_overviews(corpus: Path) -> list[Path]:
    """The corpus's overviews that are on the site (not drafts), in name order."""
    out = []
    for path in sorted((corpus / "overviews").glob("*.md")):
        fm = split_front_matter(decode_text(path.read_bytes(), path.name))
        if fm.meta.get("status") != "utkast":
            out.append(path)
    return out


def add_reference(corpus: Path, n: int) -> str:
    """Append one new entry to references.bib and cite it in one overview (a typical pull request)."""
    require_corpus(corpus)  # never the checkout: the entry is made up
    key = f"nybenchreferens{n}"
    entry = (f"\n@article{{{key},\n"
             f"  author = {{Sj{{\\\"o}}berg, Anna and {{\\AA}}kesson, Erik and Ny-Referens{n}, Karin}},\n"
             f"  title = {{Ny studie {n} om samverkan kring {{\\\"a}}ldre med hemtj{{\\\"a}}nst}},\n"
             "  journal = {Socialvetenskaplig tidskrift},\n  year = {2025},\n  volume = {32},\n"
             f"  pages = {{1--{10 + n}}},\n  doi = {{10.5555/kop-bench.ny{n}}}\n}}\n")
    with (corpus / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write(entry)
    target = published_overviews(corpus)[0]
    with target.open("a", encoding="utf-8") as ov:
        ov.write(f"\nEn ny studie visar samma sak [@{key}, s. {n + 2}].\n")
    return key


def edit_overview(corpus: Path, n: int) -> Path:
    """Append a sentence to one overview (the commonest edit)."""
    require_corpus(corpus)
    target = published_overviews(corpus)[2]
    with target.open("a", encoding="utf-8") as ov:
        ov.write(f"\nEn redigerad mening nummer {n} utan nya källor.\n")
    return target


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


_LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never a proxy for 127.0.0.1


def _get(url: str) -> str | None:
    try:
        with _LOCAL.open(url, timeout=10) as resp:
            return resp.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError, ValueError):
        return None


def serve_reload(corpus: Path, runs: int, env: dict[str, str], site_url: str = "/") -> list[float]:
    """Seconds from saving one overview to ``kop serve`` serving its page with the change, per run."""
    require_corpus(corpus)
    port = _free_port()
    log = corpus / ".serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "kop", "serve", "--root", str(corpus), "--addr",
                                 f"127.0.0.1:{port}"], stdout=out, stderr=subprocess.STDOUT, env=env, cwd=corpus)
    target = published_overviews(corpus)[1]
    text = target.read_text(encoding="utf-8")
    base = urlparse(site_url).path or "/"
    url = f"http://127.0.0.1:{port}{base}oversikter/{target.stem}/"
    times: list[float] = []
    try:
        deadline = time.monotonic() + 1800
        while _get(url) is None:  # the first full preparation and build
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"kop serve startade inte: {log.read_text(encoding='utf-8')[-2000:]}")
            time.sleep(0.5)
        for i in range(runs):
            marker = f"Sparad mening nummer {i} i förhandsvisningen."
            start = time.perf_counter()
            target.write_text(text + "\n" + marker + "\n", encoding="utf-8")
            while marker not in (_get(url) or ""):
                if time.perf_counter() - start > 600 or proc.poll() is not None:
                    raise RuntimeError(f"ändringen syntes aldrig: {log.read_text(encoding='utf-8')[-2000:]}")
                time.sleep(0.02)
            times.append(time.perf_counter() - start)
            time.sleep(1.0)  # let the preview settle before the next save
    finally:
        target.write_text(text, encoding="utf-8")
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        with contextlib.suppress(OSError):
            log.unlink()
    return times


def fresh_clone(repo: Path, target: Path, env: dict[str, str]) -> tuple[float, str]:
    """Seconds from ``git clone`` to a built shipped site (venv, locked install, ``kop build``), and how.

    Clones the committed state of ``repo`` (not the working tree) and installs the locked
    requirements with uv when the checkout's venv has it (pip otherwise); the package caches
    of this machine are used, as on a CI runner with a warm cache.
    """
    import shutil

    shutil.rmtree(target, ignore_errors=True)
    uv = repo / ".venv" / "bin" / "uv"
    start = time.perf_counter()
    steps = [["git", "clone", "--quiet", "--depth", "1", f"file://{repo}", str(target)]]
    if uv.is_file():
        steps += [[str(uv), "venv", "--quiet", "--python", sys.executable, str(target / ".venv")],
                  [str(uv), "pip", "install", "--quiet", "--python", str(target / ".venv" / "bin" / "python"),
                   "--require-hashes", "-r", str(target / "requirements.lock")]]
        how = "git clone, uv venv, uv pip install --require-hashes, kop build"
    else:
        steps += [[sys.executable, "-m", "venv", str(target / ".venv")],
                  [str(target / ".venv" / "bin" / "pip"), "install", "--quiet", "--require-hashes", "-r",
                   str(target / "requirements.lock")]]
        how = "git clone, python -m venv, pip install --require-hashes, kop build"
    build_env = {k: v for k, v in env.items() if k != "PYTHONPATH"}
    build_env["PYTHONPATH"] = str(target / "scripts")
    steps.append([str(target / ".venv" / "bin" / "python"), "-m", "kop", "build", "--root", str(target)])
    for step in steps:
        proc = subprocess.run(step, capture_output=True, text=True, env=build_env, cwd=target.parent, check=False)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(step[:3])} misslyckades: {(proc.stderr or proc.stdout)[-1500:]}")
    return time.perf_counter() - start, how


def make_history(corpus: Path, target: Path, versions: int = 5) -> int:
    """A git repository of ``corpus`` in which every published overview has ``versions`` versions.

    Each commit raises every published overview's version and moves one finding's certainty,
    so each version differs in what "Vad har ändrats" compares. The working tree ends as the
    last version, and the objects are packed as in a clone. Returns the number of commits
    (issue 19: history scanning must stay cheap).
    """
    import re
    import shutil

    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(corpus, target, ignore=shutil.ignore_patterns("site", "build", ".cache", ".git"))
    env = {"GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.org", "GIT_COMMITTER_NAME": "Bench",
           "GIT_COMMITTER_EMAIL": "bench@example.org", "HOME": str(target), "PATH": "/usr/bin:/bin"}

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(target), *args], check=True, capture_output=True, env=env)

    git("init", "-q", "-b", "main")
    files = published_overviews(target)
    originals = {path: path.read_text(encoding="utf-8") for path in files}
    levels = ("mycket låg", "låg", "måttlig", "hög")
    for v in range(1, versions + 1):
        for path, text in originals.items():
            text = re.sub(r'^version: ".*"$', f'version: "{v}.0"', text, count=1, flags=re.M)
            text = re.sub(r"level: (mycket låg|låg|måttlig|hög)", f"level: {levels[v % len(levels)]}", text, count=1)
            path.write_text(text, encoding="utf-8")
        git("add", "-A")
        git("commit", "-q", "-m", f"Version {v}")
    git("gc", "-q")  # packed, as every clone is: a fresh `git init` keeps loose objects, three times slower to read
    return versions
