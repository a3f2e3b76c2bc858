"""The tree reads as the pipeline: each module imports only from stages before it, never another's private names."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
# The stages in the order a build and a question travel them; a module may import from its own stage and
# those before it. Shared primitives come first, the entry points last.
STAGES = [
    ("qa.types", "qa.text", "qa.config", "qa.cachefile"),
    ("qa.ingest",),
    ("qa.dedup",),
    ("qa.embed",),
    ("qa.index",),
    ("qa.answers",),
    ("qa.search",),
    ("qa.params",),
    ("qa.build",),
    ("qa.serve",),
    ("qa.evaluate", "qa.api"),
    ("qa.bench",),
    ("qa.cli", "qa.__main__"),
]


def stage(module: str) -> int:
    for number, names in enumerate(STAGES):
        if any(module == name or module.startswith(name + ".") for name in names):
            return number
    raise AssertionError(f"{module} belongs to no stage: add it to STAGES")


def modules() -> dict[str, ast.Module]:
    found = {}
    for path in (SRC / "qa").rglob("*.py"):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = ast.parse(path.read_text(encoding="utf-8"))
    return found


def imports(tree: ast.Module, name: str = "") -> list[tuple[str, str]]:
    """(module, name) of every import of qa at any depth (lazy imports count too): `from qa.x import y`,
    `import qa.x` (name ""), and relative imports resolved against `name`, the importing module."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, "") for alias in node.names if alias.name.split(".")[0] == "qa"]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                # `from .x import y` in qa.a.b (a module) or qa.a (a package's __init__) means qa.a.x.
                package = (
                    name.split(".")[: -node.level]
                    if not _is_package(name)
                    else name.split(".")[: len(name.split(".")) - node.level + 1]
                )
                module = ".".join([*package, *([module] if module else [])])
            if module.split(".")[0] == "qa":
                found += [(module, alias.name) for alias in node.names]
    return found


def _is_package(name: str) -> bool:
    return (SRC / Path(*name.split(".")) / "__init__.py").is_file()


def test_imports_run_one_way() -> None:
    wrong = [
        f"{name} imports {target}"
        for name, tree in modules().items()
        if name != "qa"
        for target, _ in imports(tree)
        if target != "qa" and stage(target) > stage(name)
    ]
    assert not wrong, wrong


def test_no_module_reaches_into_another_s_private_names() -> None:
    private = [
        f"{name} imports {target}.{imported}"
        for name, tree in modules().items()
        for target, imported in imports(tree)
        if imported.startswith("_") and not imported.startswith("__") and target != name
    ]
    assert not private, private


def test_every_module_says_what_it_is_in_one_line() -> None:
    missing = [name for name, tree in modules().items() if not (ast.get_docstring(tree) or "").strip()]
    assert not missing, missing


def test_imports_are_found_in_every_form() -> None:
    tree = ast.parse(
        "import qa.index.store\nfrom . import clean\nfrom ..types import Citation\nfrom qa.text import fold"
    )
    assert imports(tree, "qa.ingest.articles") == [
        ("qa.index.store", ""),
        ("qa.ingest", "clean"),
        ("qa.types", "Citation"),
        ("qa.text", "fold"),
    ]


def test_at_most_six_loose_modules_at_the_top() -> None:
    loose = sorted(p.stem for p in (SRC / "qa").glob("*.py") if p.stem not in ("__init__", "__main__"))
    assert len(loose) <= 6, loose


def test_no_import_circle() -> None:
    """Module-level imports (not lazy ones inside functions) form no cycle: each module can be read alone."""
    found = modules()
    graph: dict[str, set[str]] = {}
    for name, tree in found.items():
        top = ast.Module(
            body=[n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom, ast.If))],
            type_ignores=[],
        )
        graph[name] = {target for target, _ in imports(top, name) if target in found and target != name}
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in graph[node]:
            assert state.get(target) != 1, " -> ".join([*path, node, target])
            if target not in state:
                visit(target, [*path, node])
        state[node] = 2

    for node in graph:
        if node not in state:
            visit(node, [])
