"""The package's shape: no import cycle (lazy imports count), no module over 450 lines."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

SRC = REPO / "src"
PACKAGE = SRC / "fanpin_cli"


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports(name: str) -> set[str]:
    """The fanpin modules `name` imports anywhere in its text, at the top or in a function."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the package, up level - 1
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in MODULES else base)
    return {m for m in found if m in MODULES and m != name}


def test_no_import_cycle() -> None:
    graph = {name: imports(name) for name in MODULES}
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(name: str) -> None:
        state[name] = 1
        path.append(name)
        for dep in sorted(graph[name]):
            if state.get(dep) == 1:
                cycle = [*path[path.index(dep) :], dep]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if dep not in state:
                visit(dep)
        path.pop()
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)
    # the walk saw lazy imports too
    assert graph["fanpin_cli.reading.load"] >= {"fanpin_cli.reading.store.cache"}
    assert "fanpin_cli.reading.load" not in graph["fanpin_cli.reading.store.cache"]


def test_no_module_over_450_lines() -> None:
    long = {
        name: n
        for name, path in MODULES.items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 450
    }
    assert long == {}


# The layers, lowest first (DESIGN.md draws the same picture): a module imports its own layer
# or a lower one, at the top of the module or lazily in a function alike.
LAYERS = ["core", "files", "reading", "analysis", "views", "writers", "reports", "cli"]
# The package itself (its version) is below every layer; its entry points are above them all.
TOP = {"fanpin_cli.__main__", "fanpin_cli.entry"}


def layer(name: str) -> int:
    if name == "fanpin_cli":
        return -1
    if name in TOP:
        return len(LAYERS)
    return LAYERS.index(name.split(".")[1])


def test_every_module_is_in_a_layer() -> None:
    others = {n for n in MODULES if n not in TOP and n != "fanpin_cli"}
    assert {n for n in others if n.split(".")[1] not in LAYERS} == set()


def test_no_module_imports_a_higher_layer() -> None:
    upward = {(name, dep) for name in MODULES for dep in imports(name) if layer(dep) > layer(name)}
    assert upward == set()


def test_the_package_top_holds_at_most_20_modules() -> None:
    top = [p.name for p in PACKAGE.iterdir() if p.suffix == ".py" or (p / "__init__.py").exists()]
    assert len(top) <= 20, sorted(top)


def import_time_imports(name: str) -> set[str]:
    """The fanpin modules that importing `name` imports (its module-level imports only)."""
    path = MODULES[name]
    found: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level:
            base = node.module or ""
            found.update(
                f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names
            )
    return {m for m in found if m in MODULES and m != name}


def test_at_most_10_import_levels() -> None:
    """The longest chain of modules that importing one module imports, one inside the next
    (imports inside functions, which run only in the command that needs them, not counted)."""
    graph = {name: import_time_imports(name) for name in MODULES}
    depth: dict[str, int] = {}

    def level(name: str) -> int:
        if name not in depth:
            depth[name] = 1 + max((level(d) for d in graph[name]), default=0)
        return depth[name]

    deepest = max(MODULES, key=level)
    assert level(deepest) <= 10, deepest
    assert level("fanpin_cli.core.schema") == 1 < level("fanpin_cli.reading.load")  # it counts
