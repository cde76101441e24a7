"""The stages as packages, each with its layer contract: which package may import which (issue 19), no import cycles,
neighbours imported at the top.

The import graph is read with `ast` from every module under scripts/ (imports at the top and inside functions
alike), so a cycle cannot hide behind an in-function import. Commands are dispatched by name through
`importlib` in scripts/__main__.py (the CLI's table); that is not an import edge.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import REPO

SCRIPTS = REPO / "scripts"

# The loose modules at the top of scripts/. The foundation: small utilities every package may import; they import
# only each other. The stage commands that orchestrate the packages (and the CLI) may import any package but tools.
FOUNDATION = {"paths", "safefs", "yamlsafe", "gitref", "siteconfig", "workdir", "measure"}
ORCHESTRATORS = {"__main__", "build", "packages"}
MAX_LOOSE = 12  # modules loose at the top, __init__ included

# Each package: the packages it may import (besides FOUNDATION), in data-flow order. A package not listed here
# fails the test: say where a new package sits before adding it.
LAYERS: dict[str, set[str]] = {
    "messages": set(),                                          # every message, Chinese and English
    "model": {"messages"},                                      # catalogue, typed metadata, units, stages, checks
    "load": {"messages", "model"},                              # stage 1: the data tree read
    "validate": {"messages", "model", "load"},                  # stage 2: the gate
    "search": {"model", "load"},                                # the search index
    "site": {"messages", "model", "load", "validate"},          # stage 3: pages, templates, charts, shell
    "exports": {"model", "load", "site"},                       # stage 4's formats and files
    "release": {"model", "load", "validate", "site", "exports"},  # record, verify, diff, delta
    "editing": {"messages", "model", "load", "validate", "release"},  # new record, check-files, editor schemas
    "importer": {"messages", "model", "load", "validate", "site", "exports", "editing"},  # official attachments
    "tools": {"messages", "model", "load", "validate", "search", "site", "exports", "release", "editing",
              "importer", *ORCHESTRATORS},                      # not the product: benches, fixture, docs
}
ORCHESTRATOR_MAY_NOT = {"tools"}

# In-function imports of project modules, each with its reason. None today: every module imports its neighbours
# at the top. Add an entry only with a reason that holds (an import cycle is not one).
LAZY_IMPORTS: dict[str, str] = {}


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules(root: Path) -> dict[str, Path]:
    return {module_name(p, root): p for p in sorted(root.rglob("*.py")) if "__pycache__" not in p.parts}


def _targets(node: ast.AST, name: str, is_package: bool, modules: dict[str, Path], top: str) -> list[str]:
    """The project modules an import statement names (modules, not the names inside them): `from pkg import sub`
    is an edge to pkg.sub only, `from pkg import NAME` an edge to pkg (its __init__)."""
    found = []
    if isinstance(node, ast.Import):
        found = [a.name for a in node.names]
    else:
        if node.level:
            base = name if is_package else name.rsplit(".", 1)[0]
            for _ in range(node.level - 1):
                base = base.rsplit(".", 1)[0]
            module = f"{base}.{node.module}" if node.module else base
        else:
            module = node.module or ""
        subs = [f"{module}.{a.name}" for a in node.names if f"{module}.{a.name}" in modules]
        found = subs + ([module] if len(subs) < len(node.names) else [])
    # a module's own packages are loaded before it anyway: no edge to them
    return [m for m in found if m in modules and m.split(".")[0] == top and m != name
            and not name.startswith(m + ".")]


def import_graph(root: Path) -> tuple[dict[str, set[str]], list[tuple[str, int, str]]]:
    """({module: modules it imports}, [(module, line, statement) of project imports inside a function or class])."""
    modules = project_modules(root)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    nested: list[tuple[str, int, str]] = []
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        is_package = path.name == "__init__.py"

        def visit(node: ast.AST, inside: bool, name: str = name, is_package: bool = is_package) -> None:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, (ast.Import, ast.ImportFrom)):
                    targets = _targets(child, name, is_package, modules, root.name)
                    graph[name].update(targets)
                    if inside and targets:
                        nested.append((name, child.lineno, ast.unparse(child)))
                visit(child, inside or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                                                         ast.Lambda)))

        visit(tree, False)
    return graph, nested


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected component with more than one module (Tarjan), each as a sorted list."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return found


def reaches(graph: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, todo = set(), [start]
    while todo:
        v = todo.pop()
        if v == goal:
            return True
        if v not in seen:
            seen.add(v)
            todo += graph.get(v, ())
    return False


def package_of(module: str) -> str:
    """scripts.validate.cells -> validate; scripts.build -> build (a loose module is its own unit)."""
    return module.split(".")[1] if module.count(".") else ""


def package_graph(graph: dict[str, set[str]]) -> dict[str, dict[str, list[str]]]:
    """{package or loose module: {package it imports: [the module edges that do it]}}."""
    found: dict[str, dict[str, list[str]]] = {}
    for a, targets in graph.items():
        for b in sorted(targets):
            pa, pb = package_of(a), package_of(b)
            if pa and pb and pa != pb:
                found.setdefault(pa, {}).setdefault(pb, []).append(f"{a} -> {b}")
    return found


def loose_modules() -> list[str]:
    return sorted(p.stem for p in SCRIPTS.glob("*.py"))


def packages() -> list[str]:
    return sorted(p.name for p in SCRIPTS.iterdir() if (p / "__init__.py").is_file())


def test_no_import_cycles():
    graph, _ = import_graph(SCRIPTS)
    assert len(graph) > 40 and graph["scripts.packages"] >= {"scripts.release.record", "scripts.exports.downloads"}
    assert cycles(graph) == [], "import cycles (break them: move the shared part to a module both import)"


def test_every_package_keeps_its_layer_contract():
    graph, _ = import_graph(SCRIPTS)
    assert set(packages()) == set(LAYERS), "a package without a contract (or a contract without a package)"
    broken = []
    for unit, imports in sorted(package_graph(graph).items()):
        if unit in FOUNDATION:
            allowed = FOUNDATION
        elif unit in ORCHESTRATORS:
            allowed = set(LAYERS) | FOUNDATION | ORCHESTRATORS - ORCHESTRATOR_MAY_NOT
        else:
            allowed = LAYERS[unit] | FOUNDATION
        broken += [edge for target, edges in imports.items() if target not in allowed for edge in edges]
    assert broken == [], "imports across the layers (see LAYERS: which package may import which)"


def test_the_contracts_point_one_way():
    # the contracts themselves form no cycle, so the package graph cannot either
    assert cycles({p: {q for q in allowed if q in LAYERS} for p, allowed in LAYERS.items()}) == []
    graph, _ = import_graph(SCRIPTS)
    assert cycles({p: set(targets) for p, targets in package_graph(graph).items()}) == []
    assert reaches(graph, "scripts.release.record", "scripts.exports.downloads")
    for low, high in [("scripts.exports.downloads", "scripts.release.record"),
                      ("scripts.exports.downloads", "scripts.packages"),
                      ("scripts.release.record", "scripts.packages"), ("scripts.release.diff", "scripts.tools.bench"),
                      ("scripts.site.pages", "scripts.exports.formats"),
                      ("scripts.site.pages", "scripts.exports.downloads"),
                      ("scripts.site.dataset_pages", "scripts.site.programme_pages"),
                      ("scripts.site.context", "scripts.site.pages"),
                      ("scripts.site.context", "scripts.site.dataset_pages"),
                      ("scripts.model.roles", "scripts.model.catalog")]:
        assert not reaches(graph, low, high), f"{low} must not import {high}, directly or through another module"


def test_a_broken_contract_is_found(tmp_path):
    pkg = tmp_path / "scripts"
    for folder in ("model", "site"):
        (pkg / folder).mkdir(parents=True)
        (pkg / folder / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "model" / "catalog.py").write_text("from ..site import pages\n")
    (pkg / "site" / "pages.py").write_text("from ..model.catalog import X\n")
    graph, _ = import_graph(pkg)
    assert package_graph(graph) == {"model": {"site": ["scripts.model.catalog -> scripts.site.pages"]},
                                    "site": {"model": ["scripts.site.pages -> scripts.model.catalog"]}}
    assert cycles(graph) == [["scripts.model.catalog", "scripts.site.pages"]]
    assert "site" not in LAYERS["model"]


def test_few_modules_are_loose_at_the_top():
    loose = loose_modules()
    assert len(loose) <= MAX_LOOSE, f"{len(loose)} modules loose in scripts/: put them in the package of their stage"
    assert set(loose) == FOUNDATION | ORCHESTRATORS | {"__init__"}, "a loose module must be foundation or orchestrator"


def test_every_package_says_its_job_and_the_readme_names_it():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    layout = readme[readme.index(" / Layout\n"):]
    layout = layout[:layout.find("\n## ")]
    for name in packages():
        doc = ast.get_docstring(ast.parse((SCRIPTS / name / "__init__.py").read_text(encoding="utf-8")))
        assert doc and len(doc) > 40, f"scripts/{name}/__init__.py: say the package's job in its docstring"
        assert re.search(rf"`scripts/{name}/`", layout), f"README's layout table must name scripts/{name}/"


def test_project_modules_are_imported_at_the_top():
    _, nested = import_graph(SCRIPTS)
    unexplained = [f"{name}:{line}: {text}" for name, line, text in nested if f"{name}:{text}" not in LAZY_IMPORTS]
    assert unexplained == [], "import project modules at the top of the module (or list the import with its reason)"
    stale = sorted(set(LAZY_IMPORTS) - {f"{name}:{text}" for name, _line, text in nested})
    assert stale == [], f"LAZY_IMPORTS lists imports that are gone: {stale}"


def test_a_cycle_behind_an_in_function_import_is_found(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from .sub import c\n")
    (pkg / "sub" / "c.py").write_text("from .. import b\n")
    (pkg / "b.py").write_text("def f():\n    from .a import x\n    return x\n")
    (pkg / "d.py").write_text("import json\nfrom . import a\n")
    graph, nested = import_graph(pkg)
    assert graph["pkg.a"] == {"pkg.sub.c"} and graph["pkg.d"] == {"pkg.a"}
    assert cycles(graph) == [["pkg.a", "pkg.b", "pkg.sub.c"]]
    assert nested == [("pkg.b", 2, "from .a import x")]
