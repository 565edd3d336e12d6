"""The packages of tickmig form a pipeline: a package may import its own modules and those of
lower layers, never a higher one, and no modules import each other in a circle. Every import
counts, also those inside functions and under `if TYPE_CHECKING:`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "tickmig"

#: Low to high. The base (errors, diagnostics, settings, text) is one layer.
LAYERS: list[set[str]] = [
    {"errors", "diagnostics", "settings", "text", "__init__"},
    {"tickscript"},
    {"influxql"},
    {"tasks"},
    {"targets"},
    {"mappings"},
    {"configs"},
    {"rules"},
    {"engine"},
    {"output"},
    {"model"},
    {"report"},
    {"review"},
    {"kapacitor"},
    {"cli"},
    {"__main__"},
]
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def imports(path: Path, *, top_level_only: bool = False) -> list[tuple[int, str]]:
    """(line, module) of every `tickmig` import in the file; relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: list[tuple[int, str]] = []
    for node in nodes:
        if isinstance(node, ast.Import):
            found.extend((node.lineno, a.name) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            if module == "tickmig":  # from tickmig import x: x may be a package
                found.extend((node.lineno, f"tickmig.{a.name}") for a in node.names)
            else:
                found.append((node.lineno, module))
    return [(line, m) for line, m in found if m == "tickmig" or m.startswith("tickmig.")]


def layer_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_package_has_a_layer() -> None:
    packages = {layer_of(module_name(p)) for p in MODULES}
    assert packages - set(RANK) == set(), "add the new package to LAYERS in pipeline order"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE.parent)))
def test_no_module_imports_a_higher_layer(path: Path) -> None:
    own = layer_of(module_name(path))
    upward = [
        f"{path.relative_to(PACKAGE.parent)}:{line} imports {module} ({layer_of(module)} is "
        f"above {own})"
        for line, module in imports(path)
        if RANK.get(layer_of(module), -1) > RANK[own]
    ]
    assert upward == []


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one node (or a node importing itself)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                group.append(item)
                if item == node:
                    break
            if len(group) > 1 or node in graph.get(node, ()):
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_between_packages() -> None:
    graph: dict[str, set[str]] = {}
    for path in MODULES:
        own = layer_of(module_name(path))
        for _line, module in imports(path):
            other = layer_of(module)
            if other != own and RANK.get(own) != RANK.get(other):
                graph.setdefault(own, set()).add(other)
    assert cycles(graph) == []


def test_no_import_cycles_between_modules() -> None:
    """Module-level imports only: an import inside a function runs after both modules are
    loaded, and is how the code keeps start-up fast."""
    names = {module_name(p) for p in MODULES}
    graph: dict[str, set[str]] = {}
    for path in MODULES:
        own = module_name(path)
        for _line, module in imports(path, top_level_only=True):
            while module not in names and "." in module:
                module = module.rsplit(".", 1)[0]  # from pkg.mod import name
            if module != own:
                graph.setdefault(own, set()).add(module)
    assert cycles(graph) == []
