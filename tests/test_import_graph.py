"""The package's shape: no import cycles (counting imports inside functions too), no module over
:data:`MAX_LINES` lines. An import under ``if __name__ == "__main__":`` is not counted: it runs
only when the file is executed as a script, as module ``__main__``, not when it is imported."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "algoattr"

#: Longest a module may grow, in lines.
MAX_LINES = 600
#: Modules still over :data:`MAX_LINES`, relative to algoattr/; none may join, and one that
#: shrinks below the limit must leave the list.
OVER_MAX_LINES: set[str] = set()


def _is_main_guard(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.If)
        and isinstance(node.test, ast.Compare)
        and isinstance(node.test.left, ast.Name)
        and node.test.left.id == "__name__"
        and any(
            isinstance(c, ast.Constant) and c.value == "__main__" for c in node.test.comparators
        )
    )


def _graph() -> dict[str, set[str]]:
    mods: dict[str, set[str]] = {}
    for p in PACKAGE.rglob("*.py"):
        parts = p.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        deps: set[str] = set()
        tree = ast.parse(p.read_text(encoding="utf-8"))
        tree.body = [n for n in tree.body if not _is_main_guard(n)]
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("algoattr"):
                deps.add(node.module)
                deps.update(f"{node.module}.{a.name}" for a in node.names)
            elif isinstance(node, ast.Import):
                deps.update(a.name for a in node.names if a.name.startswith("algoattr"))
        mods[name] = deps
    # A package's __init__ importing its own submodules is not a cycle through them.
    return {
        m: {d for d in deps if d in mods and d != m and not m.startswith(d + ".")}
        for m, deps in mods.items()
    }


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        stack.append(m)
        for d in sorted(graph[m]):
            if state.get(d) == 1:
                return [*stack[stack.index(d) :], d]
            if d not in state and (found := visit(d)):
                return found
        stack.pop()
        state[m] = 2
        return None

    for m in sorted(graph):
        if m not in state and (found := visit(m)):
            return found
    return None


def test_no_import_cycles() -> None:
    cycle = _cycle(_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_checker_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def _line_counts() -> dict[str, int]:
    return {
        p.relative_to(PACKAGE).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
        for p in sorted(PACKAGE.rglob("*.py"))
    }


def test_no_module_grows_past_the_limit() -> None:
    counts = _line_counts()
    over = {m: n for m, n in counts.items() if n > MAX_LINES and m not in OVER_MAX_LINES}
    assert over == {}, f"modules over {MAX_LINES} lines (split them): {over}"


def test_the_allow_list_of_long_modules_is_current() -> None:
    counts = _line_counts()
    stale = sorted(m for m in OVER_MAX_LINES if counts.get(m, 0) <= MAX_LINES)
    assert stale == [], f"no longer over {MAX_LINES} lines (remove from OVER_MAX_LINES): {stale}"


#: Layers, lowest first: a module may import its own layer and lower ones, never a higher one
#: (so the core never parses command lines or draws, and the pipeline computes without
#: rendering). A command line (a module named ``__main__`` or ``cli``) is on top wherever it
#: lives. Modules in no layer (the backtest, forecast, training, ...) are not checked.
LAYERS: tuple[tuple[str, ...], ...] = (
    (
        "algoattr.law",
        "algoattr.intervals",
        "algoattr.model",
        "algoattr.data",
        "algoattr.errors",
        "algoattr.inputs",
        "algoattr.outputs",
        "algoattr.published",
        "algoattr.attribution",
        "algoattr.baselines",
        "algoattr.ceg",
        "algoattr.fitting",
    ),
    ("algoattr.pipeline",),
    ("algoattr.report", "algoattr.plots"),
    ("algoattr.cli", "algoattr.fit", "algoattr.attribute", "algoattr.__main__"),
)


def _layer(module: str) -> int | None:
    if module.rsplit(".", 1)[-1] in ("__main__", "cli"):
        return len(LAYERS) - 1
    for i, prefixes in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return i
    return None


def _upward(graph: dict[str, set[str]]) -> list[str]:
    bad = []
    for m, deps in sorted(graph.items()):
        low = _layer(m)
        if low is None:
            continue
        for d in sorted(deps):
            high = _layer(d)
            if high is not None and high > low:
                bad.append(f"{m} -> {d}")
    return bad


def test_no_module_imports_a_higher_layer() -> None:
    assert _upward(_graph()) == []


def test_the_checker_finds_an_upward_import() -> None:
    graph = {"algoattr.model.x": {"algoattr.report.y"}, "algoattr.report.y": set()}
    assert _upward(graph) == ["algoattr.model.x -> algoattr.report.y"]
    assert _upward({"algoattr.data.__main__": {"algoattr.cli"}, "algoattr.cli": set()}) == []
