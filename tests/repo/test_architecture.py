"""The shape of ``scripts/kop/``: layers, no import cycles, the engine boundary, small modules.

Every module is parsed with :mod:`ast` (nothing is imported) and EVERY import is collected:
top-level, inside functions and methods, under ``if TYPE_CHECKING:``, relative forms
(``from . import x``, ``from ..core import y``), ``import kop.x.y`` and string literals passed to
``importlib.import_module`` / ``__import__``. Each is resolved to a kop module: ``from kop.x import y``
is an edge to ``kop.x.y`` when ``y`` is a submodule, otherwise to the package ``kop.x`` (a package's
``__init__`` is a module of its own). The last test runs the checker on a small synthetic tree with a
deliberate cycle and a deliberate upward import, so these tests are known to be able to fail.
"""

from __future__ import annotations

import ast
import functools
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = REPO / "scripts"
TOP = "kop"

# Layer ranks (the first component after ``kop.``). A package may import only packages with a
# LOWER rank; packages of equal rank (sources and bib) must not import each other.
LAYER_RANKS: dict[str, int] = {
    "core": 0,      # what everyone shares (model, messages + catalogue, slugs, urls, escaping); imports no layer
    "schema": 1,    # the front-matter schema: needs only core's model and messages
    "sources": 2,   # reading overviews (front matter, cache): core + schema
    "bib": 2,       # reading references.bib: core only; a peer of sources, neither needs the other
    "cite": 3,      # citations join sources (the text) and bib (the entries)
    "check": 4,     # the validation pipeline runs every reader and the citation checks
    "render": 5,    # turns checked overviews into pages; never validates by itself
    "features": 6,  # optional outputs (feeds, search, seminars, permalinks, …) built from rendered pages
    "site": 7,      # the whole-site build: MkDocs engine, lock, sanitiser; orchestrates everything below
    "dev": 8,       # bench, synthetic corpora, browser helpers: tools that drive a site build
    "cli": 9,       # the Swedish command line: the only entry point, imports whatever it needs
}
# ``kop/__init__.py`` and ``kop/__main__.py`` sit above every layer and may import cli only.
ENTRY_MAY_IMPORT = "cli"

ENGINE_PACKAGE = ("site", "engine")  # kop/site/engine/: the only place that talks to the site engine
ENGINE_MODULES = {"mkdocs", "properdocs", "material", "markdown"}  # top-level names; markdown = Python-Markdown

MAX_LINES = 600
CODE = re.compile(r"KOP\d{3}")


# ---------------------------------------------------------------------------------------------------------
# The checker (plain functions over a directory, so the synthetic test can run it on tmp_path)


@dataclass(frozen=True)
class Module:
    name: str  # kop.site.build; a package's __init__ is the package's name
    path: Path
    is_package: bool
    tree: ast.Module


@dataclass(frozen=True)
class Import:
    source: str  # importing module
    path: Path
    line: int
    target: str  # fully qualified name as imported (kop module, or any other top-level module)
    statement: str  # the import as written, for failure messages

    @property
    def top(self) -> str:
        return self.target.split(".")[0]


def load_modules(root: Path, top: str = TOP) -> dict[str, Module]:
    """Every ``.py`` file under ``root/top``, parsed (the real tree once per session)."""
    if root == SCRIPTS and top == TOP:
        return _real_tree()
    return _parse_tree(root, top)


@functools.cache
def _real_tree() -> dict[str, Module]:
    return _parse_tree(SCRIPTS, TOP)


def _parse_tree(root: Path, top: str) -> dict[str, Module]:
    modules: dict[str, Module] = {}
    for path in sorted((root / top).rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        parts = list(path.relative_to(root).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        name = ".".join(parts)
        modules[name] = Module(name, path, is_package, ast.parse(path.read_text(encoding="utf-8"), str(path)))
    return modules


def _is_import_module_call(node: ast.Call) -> bool:
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
    return name in ("import_module", "__import__")


def _str_arg(node: ast.Call, index: int, keyword: str) -> str | None:
    arg = node.args[index] if len(node.args) > index else next(
        (k.value for k in node.keywords if k.arg == keyword), None)
    return arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None


def _relative_base(module: Module, level: int) -> str:
    package = module.name if module.is_package else module.name.rpartition(".")[0]
    for _ in range(level - 1):
        package = package.rpartition(".")[0]
    return package


def raw_imports(module: Module) -> Iterator[Import]:
    """Every import in the module, anywhere in it, with the imported name fully qualified."""
    def make(node: ast.AST, target: str) -> Import:
        return Import(module.name, module.path, node.lineno, target, ast.unparse(node))

    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield make(node, alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                prefix = _relative_base(module, node.level)
                base = f"{prefix}.{base}" if base else prefix
            for alias in node.names:
                # ``from a import b``: b may be a submodule (a.b) or a name in a; resolve() decides
                yield make(node, base if alias.name == "*" else f"{base}.{alias.name}")
        elif isinstance(node, ast.Call) and _is_import_module_call(node):
            name = _str_arg(node, 0, "name")
            if name is None:
                continue
            if name.startswith("."):
                package = _str_arg(node, 1, "package")
                if package is None:
                    continue
                level = len(name) - len(name.lstrip("."))
                base = package
                for _ in range(level - 1):
                    base = base.rpartition(".")[0]
                name = f"{base}.{name.lstrip('.')}".rstrip(".")
            yield make(node, name)


def resolve(target: str, modules: dict[str, Module]) -> str | None:
    """The kop module an import lands on: the longest known module that prefixes ``target``."""
    parts = target.split(".")
    for n in range(len(parts), 0, -1):
        candidate = ".".join(parts[:n])
        if candidate in modules:
            return candidate
    return None


def kop_edges(modules: dict[str, Module]) -> list[Import]:
    """Imports between kop modules, ``target`` resolved to a module name (self-imports dropped)."""
    edges: list[Import] = []
    for module in modules.values():
        for imp in raw_imports(module):
            target = resolve(imp.target, modules)
            if target is not None and target != module.name:
                edges.append(Import(imp.source, imp.path, imp.line, target, imp.statement))
    return edges


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm (iterative); components with more than one module, or a self-loop."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph.get(node, ()):
                    out.append(sorted(component))
    return sorted(out)


def _one_cycle(start: str, members: set[str], graph: dict[str, set[str]]) -> list[str]:
    """A shortest path start -> … -> start inside one component (BFS)."""
    parents: dict[str, str] = {}
    frontier = [start]
    seen = {start}
    while frontier:
        nxt = []
        for node in frontier:
            for child in sorted(graph.get(node, ())):
                if child == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(parents[path[-1]])
                    return [start, *reversed(path[:-1]), start] if node != start else [start, start]
                if child in members and child not in seen:
                    seen.add(child)
                    parents[child] = node
                    nxt.append(child)
        frontier = nxt
    return [start]


def find_cycles(root: Path, top: str = TOP) -> list[str]:
    modules = load_modules(root, top)
    edges = kop_edges(modules)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    where: dict[tuple[str, str], Import] = {}
    for e in edges:
        graph[e.source].add(e.target)
        where.setdefault((e.source, e.target), e)
    problems = []
    for component in strongly_connected(graph):
        cycle = _one_cycle(component[0], set(component), graph)
        steps = "\n".join(
            f"    {where[a, b].path.relative_to(root)}:{where[a, b].line}: {a} -> {b}   ({where[a, b].statement})"
            for a, b in itertools.pairwise(cycle))
        problems.append(f"import cycle among {len(component)} modules: {', '.join(component)}\n"
                        f"  e.g. {' -> '.join(cycle)}\n{steps}")
    return problems


def _layer(name: str, top: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == top else None


def layer_violations(root: Path, top: str = TOP, ranks: dict[str, int] = LAYER_RANKS) -> list[str]:
    modules = load_modules(root, top)
    entries = {top, f"{top}.__main__"}
    problems = []
    for e in kop_edges(modules):
        here = f"{e.path.relative_to(root)}:{e.line}: {e.source} imports {e.target}   ({e.statement})"
        src, dst = _layer(e.source, top), _layer(e.target, top)
        if e.source in entries:
            if dst != ENTRY_MAY_IMPORT:
                problems.append(f"{here}: {e.source} may import {top}.{ENTRY_MAY_IMPORT} only")
            continue
        if e.target in entries:
            problems.append(f"{here}: the entry module {e.target} sits above every layer")
            continue
        for layer in (src, dst):
            if layer not in ranks:
                problems.append(f"{here}: package {top}.{layer} has no rank in LAYER_RANKS")
        if src in ranks and dst in ranks and src != dst and not ranks[dst] < ranks[src]:
            problems.append(f"{here}: {src} (rank {ranks[src]}) may not import {dst} (rank {ranks[dst]})")
    return sorted(set(problems))


def engine_violations(root: Path, top: str = TOP) -> list[str]:
    modules = load_modules(root, top)
    engine = (top, *ENGINE_PACKAGE)
    problems = []
    for module in modules.values():
        if tuple(module.name.split(".")[:len(engine)]) == engine:
            continue
        for imp in raw_imports(module):
            if imp.top in ENGINE_MODULES:
                problems.append(f"{imp.path.relative_to(root)}:{imp.line}: {imp.statement}   "
                                f"(only {'/'.join(engine)}/ may import {imp.top})")
    return sorted(problems)


# ---------------------------------------------------------------------------------------------------------
# The tests on the real tree


def _rel(path: Path) -> str:
    return str(path.relative_to(REPO))


def _report(title: str, problems: Iterable[str]) -> str:
    problems = list(problems)
    return f"{title} ({len(problems)}):\n" + "\n".join(problems)


def test_imports_are_collected_in_every_form():
    """Guards the collector: the real tree has function-level and TYPE_CHECKING imports it must see."""
    modules = load_modules(SCRIPTS)
    assert f"{TOP}.core" in modules and f"{TOP}.cli.main" in modules
    edges = kop_edges(modules)
    assert any(e.source == f"{TOP}.__main__" and e.target == f"{TOP}.cli.main" for e in edges)
    assert any(e.source == f"{TOP}.core.catalogue" and e.target == f"{TOP}.core.catalogue.bib" for e in edges), \
        "`from kop.core.catalogue import bib` must be an edge to the submodule kop.core.catalogue.bib"


def test_no_import_cycles():
    problems = find_cycles(SCRIPTS)
    assert not problems, _report("import cycles in scripts/kop (paths under scripts/)", problems)


def test_layers_import_only_downwards():
    problems = layer_violations(SCRIPTS)
    assert not problems, _report("imports against the layer order (see LAYER_RANKS; paths under scripts/)", problems)


def test_only_the_engine_package_imports_the_site_engine():
    problems = engine_violations(SCRIPTS)
    assert not problems, _report("site-engine imports outside kop/site/engine/ (paths under scripts/)", problems)


def test_modules_are_small():
    modules = load_modules(SCRIPTS)
    long = []
    for m in modules.values():
        with m.path.open("rb") as fh:
            lines = sum(1 for _ in fh)
        if lines > MAX_LINES:
            long.append(f"{_rel(m.path)}: {lines} lines")
    assert not long, _report(f"modules over {MAX_LINES} lines", sorted(long))


def test_top_level_holds_only_entry_modules_and_packages():
    pkg = SCRIPTS / TOP
    stray = sorted(p.name for p in pkg.glob("*.py") if p.name not in ("__init__.py", "__main__.py"))
    assert not stray, f"scripts/kop/ may hold only __init__.py, __main__.py and packages; found {stray}"
    missing = sorted(_rel(d) for d in pkg.rglob("*") if d.is_dir() and "__pycache__" not in d.parts
                     and any(d.glob("*.py")) and not (d / "__init__.py").is_file())
    assert not missing, f"directories with Python code but no __init__.py (namespace packages): {missing}"
    unranked = sorted(d.name for d in pkg.iterdir() if (d / "__init__.py").is_file() and d.name not in LAYER_RANKS)
    assert not unranked, f"packages without a rank in LAYER_RANKS: {unranked}"


def _call_name(node: ast.Call) -> str | None:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None


def test_messages_come_from_the_catalogue_not_from_import_side_effects():
    from kop.core.catalogue import CATALOGUE

    problems = []
    for m in load_modules(SCRIPTS).values():
        for node in ast.walk(m.tree):
            where = f"{_rel(m.path)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Call):
                name = _call_name(node)
                if name == "define":
                    problems.append(f"{where}: {ast.unparse(node)[:100]}   (messages are data in kop.core.catalogue)")
                if name == "message" and node.args and isinstance(node.args[0], ast.Constant):
                    code = node.args[0].value
                    if isinstance(code, str) and CODE.fullmatch(code) and code not in CATALOGUE:
                        problems.append(f"{where}: message({code!r}) is not in kop.core.catalogue.CATALOGUE")
                if (isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name)
                        and node.func.value.id == "CATALOGUE"
                        and node.func.attr in ("update", "setdefault", "__setitem__")):
                    problems.append(f"{where}: {ast.unparse(node)[:100]}   (CATALOGUE is built once, not added to)")
            elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store | ast.Del) \
                    and isinstance(node.value, ast.Name) and node.value.id == "CATALOGUE":
                problems.append(f"{where}: {ast.unparse(node)}   (CATALOGUE is built once, not added to)")
            elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "CATALOGUE" \
                    and isinstance(node.slice, ast.Constant) and node.slice.value not in CATALOGUE:
                problems.append(f"{where}: CATALOGUE[{node.slice.value!r}] is not in the catalogue")
    assert not problems, _report("message registration outside the catalogue", problems)


def _is_message_text(node: ast.AST) -> bool:
    """``d.message`` (or ``d.message.lower()`` and the like): the Swedish text of a diagnostic."""
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        node = node.func.value
    return isinstance(node, ast.Attribute) and node.attr in ("message", "hint")


def text_comparisons(trees: Iterable[tuple[str, ast.Module]]) -> list[str]:
    problems = []
    for where, tree in trees:
        for node in ast.walk(tree):
            hit = False
            if isinstance(node, ast.Compare):
                operands = [node.left, *node.comparators]
                hit = any(isinstance(op, ast.Eq | ast.NotEq | ast.In | ast.NotIn) for op in node.ops) \
                    and any(_is_message_text(o) for o in operands)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                # d.message.startswith(...), re.search(pattern, d.message), …
                hit = (node.func.attr in ("startswith", "endswith", "find", "index", "count", "__contains__")
                       and _is_message_text(node.func.value)) or \
                      (node.func.attr in ("match", "search", "fullmatch", "findall", "finditer")
                       and any(_is_message_text(a) for a in node.args))
            if hit:
                problems.append(f"{where}:{node.lineno}: {ast.unparse(node)[:120]}")
    return problems


def test_no_code_filters_diagnostics_by_their_swedish_text():
    """Diagnostics are told apart by code (and fields), never by comparing the translated message text."""
    problems = text_comparisons((_rel(m.path), m.tree) for m in load_modules(SCRIPTS).values())
    assert not problems, _report("comparisons against diagnostic message text (use .code)", problems)


# ---------------------------------------------------------------------------------------------------------
# The checker on a synthetic tree: it must be able to fail


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_the_checker_reports_a_deliberate_cycle_and_an_upward_import(tmp_path):
    _write(tmp_path, {
        "kop/__init__.py": "",
        "kop/__main__.py": "from kop.cli import main\n",
        "kop/core/__init__.py": "",
        "kop/core/a.py": "def f():\n    import kop.render.x  # upward: core may not import render\n",
        "kop/core/b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from kop.core import a\n",
        "kop/render/__init__.py": "",
        "kop/render/x.py": "from . import y\n",  # relative import of a submodule: edge to kop.render.y
        "kop/render/y.py": "import importlib\n\ndef g():\n    return importlib.import_module('kop.render.x')\n",
        "kop/cli/__init__.py": "from kop.core.b import *\nfrom ..render import x\n",
        "kop/cli/main.py": "import markdown\n",
        "kop/site/engine/__init__.py": "import mkdocs.config\n",
        "kop/site/__init__.py": "",
    })
    cycles = find_cycles(tmp_path)
    assert len(cycles) == 1 and "kop.render.x, kop.render.y" in cycles[0], cycles
    assert "kop/render/x.py:1" in cycles[0] and "kop/render/y.py:4" in cycles[0], cycles

    layers = layer_violations(tmp_path)
    assert len(layers) == 1, layers
    assert layers[0].startswith("kop/core/a.py:2: kop.core.a imports kop.render.x"), layers
    assert "core (rank 0) may not import render (rank 5)" in layers[0]

    engine = engine_violations(tmp_path)
    assert engine == ["kop/cli/main.py:1: import markdown   (only kop/site/engine/ may import markdown)"], engine

    # a TYPE_CHECKING import closes a cycle too; the entry module may import cli only
    _write(tmp_path, {"kop/core/a.py": "from kop.core import b\n", "kop/__init__.py": "from kop.core import a\n"})
    cycles = find_cycles(tmp_path)
    assert any("kop.core.a, kop.core.b" in c for c in cycles), cycles
    assert any("kop/__init__.py:1: kop imports kop.core.a" in p and "may import kop.cli only" in p
               for p in layer_violations(tmp_path)), layer_violations(tmp_path)

    tree = ast.parse("def f(d, ds):\n    if d.message == 'x': pass\n    return [e for e in ds if 'y' in e.message]\n")
    assert [p.split(":")[1] for p in text_comparisons([("t.py", tree)])] == ["2", "3"]
