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
    ("qa.search",),
    ("qa.params",),
    ("qa.build",),
    ("qa.serve",),
    ("qa.evaluate", "qa.api", "qa.render"),
    ("qa.bench",),
    ("qa.cli",),
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


def imports(tree: ast.Module) -> list[tuple[str, str]]:
    """(module, name) of every `from qa... import name`, at any depth (lazy imports count too)."""
    return [
        (node.module, alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "qa"
        for alias in node.names
    ]


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
