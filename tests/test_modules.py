"""One module, one job: no import cycles, neighbours imported at the top, no module over LIMIT lines (issue 11).

The import graph is read with `ast` from every module under scripts/ (imports at the top and inside functions
alike), so a cycle cannot hide behind an in-function import. Commands are dispatched by name through
`importlib` in scripts/__main__.py (the CLI's table); that is not an import edge.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

SCRIPTS = REPO / "scripts"
LIMIT = 400  # lines per module

# Modules still over LIMIT, each with why; an entry must go when its module is split (the test below says so).
KNOWN_OVER = {
}

# In-function imports of project modules, each with its reason. None today: every module imports its neighbours
# at the top. Add an entry only with a reason that holds (an import cycle is not one).
LAZY_IMPORTS: dict[str, str] = {}


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules(root: Path) -> dict[str, Path]:
    return {module_name(p, root): p for p in sorted(root.rglob("*.py")) if "__pycache__" not in p.parts}


def _targets(node: ast.AST, name: str, is_package: bool, modules: dict[str, Path], top: str) -> list[str]:
    """The project modules an import statement names (modules, not the names inside them)."""
    found = []
    if isinstance(node, ast.Import):
        found = [a.name for a in node.names]
    elif node.level:
        base = name if is_package else name.rsplit(".", 1)[0]
        for _ in range(node.level - 1):
            base = base.rsplit(".", 1)[0]
        module = f"{base}.{node.module}" if node.module else base
        found = [module] + [f"{module}.{a.name}" for a in node.names]
    elif node.module:
        found = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
    # a module's own packages are loaded before it anyway: `from . import x` is an edge to x, not to the package
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

        def visit(node: ast.AST, inside: bool) -> None:
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


def test_no_import_cycles():
    graph, _ = import_graph(SCRIPTS)
    assert len(graph) > 40 and graph["scripts.packages"] >= {"scripts.release", "scripts.downloads"}
    assert cycles(graph) == [], "import cycles (break them: move the shared part to a module both import)"


def test_layers_point_one_way():
    graph, _ = import_graph(SCRIPTS)
    assert reaches(graph, "scripts.release", "scripts.downloads")
    for low, high in [("scripts.downloads", "scripts.release"), ("scripts.downloads", "scripts.packages"),
                      ("scripts.release", "scripts.packages"), ("scripts.diff", "scripts.bench"),
                      ("scripts.pages", "scripts.formats"), ("scripts.pages", "scripts.downloads"),
                      ("scripts.dataset_pages", "scripts.programme_pages"), ("scripts.site_model", "scripts.pages"),
                      ("scripts.site_model", "scripts.dataset_pages"), ("scripts.roles", "scripts.model")]:
        assert not reaches(graph, low, high), f"{low} must not import {high}, directly or through another module"


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
    assert graph["pkg.a"] == {"pkg.sub", "pkg.sub.c"} and graph["pkg.d"] == {"pkg.a"}
    assert cycles(graph) == [["pkg.a", "pkg.b", "pkg.sub.c"]]
    assert nested == [("pkg.b", 2, "from .a import x")]


def test_no_module_is_over_the_limit():
    sizes = {p.relative_to(REPO).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
             for p in SCRIPTS.rglob("*.py") if "__pycache__" not in p.parts}
    over = {path: n for path, n in sizes.items() if n > LIMIT}
    unlisted = {path: n for path, n in over.items() if path not in KNOWN_OVER}
    assert unlisted == {}, f"modules over {LIMIT} lines: split them by job"
    done = sorted(path for path in KNOWN_OVER if sizes.get(path, 0) <= LIMIT)
    assert done == [], f"now at most {LIMIT} lines (or gone): remove them from KNOWN_OVER"
