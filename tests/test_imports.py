"""The package's import graph has no circle; the model imports none of its views.

Every ``import`` of the package's source is read, at any depth (inside a
function too: an import deferred to call time is still a dependency), and
the graph of modules is searched for a cycle. ``from . import x`` depends on
the submodule ``x`` (Python imports a parent package before any of its
submodules, so that edge exists for every module and says nothing).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "csi_docgen"


def _modules() -> dict[str, Path]:
    found = {}
    for file in PACKAGE.rglob("*.py"):
        parts = file.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = file
    return found


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, file in modules.items():
        package = name if file.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(parts + ([base] if base else []))
                submodules = {f"{base}.{alias.name}" for alias in node.names} & modules.keys()
                targets.update(submodules or {base})
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_package_has_no_import_circle():
    graph = import_graph()
    assert len(graph) > 30  # the walk did find the package
    assert cycles(graph) == []


def test_no_public_name_is_also_a_submodule_name():
    """Importing a submodule binds its name on the package: a function of that name would be shadowed."""
    import csi_docgen

    submodules = {name.rsplit(".", 1)[-1] for name in _modules() if name.count(".") == 1}
    assert len(submodules) > 30
    assert sorted(set(csi_docgen.__all__) & submodules) == []


def test_the_walk_finds_a_circle_when_there_is_one():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_the_model_imports_no_view():
    graph = import_graph()
    assert graph["csi_docgen.model"] == set()
    for view in ("text", "compare", "records", "preview", "docx.writer", "docx.document"):
        assert "csi_docgen.model" in graph[f"csi_docgen.{view}"], view


# Module-level memos allowed, each named in the package's docstring with why it pays.
NAMED_OWNERS = {
    "csi_docgen.values._adapter",  # pydantic type adapters by parameter shape
    "csi_docgen.docx.package._cache",  # prepared templates by the content of their files
    "csi_docgen.cli._libraries",  # the library of the running command
}


def test_no_module_level_cache_outside_the_named_owners():
    import functools
    import importlib
    from collections import OrderedDict

    found = set()
    for name in sorted(_modules()):
        if name.endswith("__main__"):
            continue
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if isinstance(value, functools._lru_cache_wrapper):  # noqa: SLF001
                found.add(f"{name}.{attr}")
            elif isinstance(value, (dict, OrderedDict, list, set)) and not attr.isupper() and not attr.startswith("__"):
                # A mutable container that is not a constant (constants are UPPER_CASE by convention).
                found.add(f"{name}.{attr}")
    assert found == NAMED_OWNERS


def test_small_numbers_are_written_as_num2words_writes_them():
    from num2words import num2words

    from csi_docgen import french

    for value, words in enumerate(french.SMALL_NUMBERS):
        assert words == num2words(value, lang="fr"), value
    for value in range(0, 40):
        assert french.en_lettres(value, "f") == (num2words(value, lang="fr") + ("e" if num2words(value, lang="fr").endswith("un") else ""))
