"""Rules of the house that code review alone would miss, computed from the import graph.

Every import counts, including those inside functions and under `TYPE_CHECKING`: a rule
that an import tucked into a function may break is no rule. The graph is built with `ast`
from the source files, so nothing is imported to check it.

The rules (docs/architecture.md explains why):
1. storage imports nothing from bot;
2. only the adapters import a platform: discord (bot/cogs), telegram (bot/tg), aiohttp.web
   (bot/web, and bot/tg/webhook.py, which serves Telegram's webhook updates);
3. adapters (bot/cogs, bot/tg, bot/web) and the delivery layer never import storage;
4. bot/core does not import bot.config (settings reach it as plain values); bot/core,
   bot/games, bot/aggregation, bot/render and bot/delivery never import an adapter;
5. bot/games imports nothing from bot/core;
6. a feature package of bot/core imports another feature only through that package's
   public names (`bot.core.<feature>` or a module it lists in `__all__`); the kernel
   imports no feature;
7. no import cycles between packages;
8. modules in bot/ and storage/ stay under 400 lines, functions under 60.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PLATFORMS = {
    "discord": ("bot/cogs/",),
    "telegram": ("bot/tg/",),
    "aiohttp.web": ("bot/web/", "bot/tg/webhook.py"),
}
ADAPTERS = ("bot/cogs/", "bot/tg/", "bot/web/")
FEATURES = ("play", "players", "rewards", "quickdraw", "campaigns", "review", "exports")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every module `path` imports (absolute names; `from a import b` yields `a` and `a.b`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _module_name(path).split(".") if path.is_relative_to(REPO) else [path.stem]
    if path.name != "__init__.py":
        package = package[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package[: len(package) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _sources() -> list[Path]:
    return sorted([*(REPO / "bot").rglob("*.py"), *(REPO / "storage").rglob("*.py")])


def _graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports."""
    modules = {_module_name(p): p for p in _sources()}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        graph[name] = {m for m in _imports(path) if m in modules}
    return graph


def _rel(module: str) -> str:
    return module.replace(".", "/") + "/"


def _offenders(rule: object) -> list[str]:
    out = []
    for path in _sources():
        rel = path.relative_to(REPO).as_posix()
        for imported in sorted(_imports(path)):
            why = rule(rel, imported)  # type: ignore[operator]
            if why:
                out.append(f"{rel} imports {imported}: {why}")
    return out


def test_storage_imports_nothing_from_bot() -> None:
    bad = _offenders(
        lambda rel, m: rel.startswith("storage/") and m.split(".")[0] == "bot" and "storage"
    )
    assert not bad, "\n".join(bad)


def _platform_rule(rel: str, imported: str) -> str | None:
    for lib, homes in PLATFORMS.items():
        if (imported == lib or imported.startswith(lib + ".")) and not rel.startswith(homes):
            return f"only {' and '.join(homes)} may import {lib}"
    return None


def test_only_the_adapters_import_a_chat_platform() -> None:
    bad = _offenders(_platform_rule)
    assert not bad, "\n".join(bad)


def test_adapters_and_delivery_never_import_storage() -> None:
    def rule(rel: str, imported: str) -> str | None:
        near_platform = rel.startswith((*ADAPTERS, "bot/delivery/"))
        if near_platform and imported.split(".")[0] == "storage":
            return "adapters reach the store only through engine use cases"
        return None

    bad = _offenders(rule)
    assert not bad, "\n".join(bad)


def test_the_engine_never_imports_config_or_an_adapter() -> None:
    inner = ("bot/core/", "bot/games/", "bot/aggregation/", "bot/render/", "bot/delivery/")

    def rule(rel: str, imported: str) -> str | None:
        if not rel.startswith(inner):
            return None
        if imported == "bot.config" or imported.startswith("bot.config."):
            return "settings reach the engine as plain values (bot.core.kernel.settings)"
        if imported.startswith(("bot.cogs", "bot.tg", "bot.web", "bot.app", "bot.cli")):
            return "the engine never knows the process around it"
        return None

    bad = _offenders(rule)
    assert not bad, "\n".join(bad)


def test_games_do_not_import_the_core() -> None:
    bad = _offenders(
        lambda rel, m: (
            rel.startswith("bot/games/") and m.startswith("bot.core") and "games are pure rules"
        )
    )
    assert not bad, "\n".join(bad)


def _public_modules(feature: str) -> set[str]:
    """The package itself and the submodules its `__init__` lists in `__all__`."""
    init = REPO / "bot" / "core" / feature / "__init__.py"
    names: set[str] = set()
    for node in ast.walk(ast.parse(init.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.Assign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
                value = node.value
                if isinstance(value, (ast.List, ast.Tuple)):
                    names |= {e.value for e in value.elts if isinstance(e, ast.Constant)}
    return {f"bot.core.{feature}"} | {f"bot.core.{feature}.{n}" for n in names}


def _feature_of(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) >= 3 and parts[:2] == ["bot", "core"]:
        return parts[2]
    return None


def test_features_use_each_other_only_through_public_names() -> None:
    public = {f: _public_modules(f) for f in FEATURES}
    graph = _graph()
    bad = []
    for path in _sources():
        mine = _feature_of(_module_name(path))
        if mine is None:
            continue
        for imported in sorted(graph[_module_name(path)]):
            theirs = _feature_of(imported)
            if theirs not in FEATURES or theirs == mine:
                continue
            if mine == "kernel":
                bad.append(f"{path.relative_to(REPO)}: the kernel imports feature {imported}")
            elif imported not in public[theirs]:
                bad.append(f"{path.relative_to(REPO)}: {imported} is internal to {theirs}")
    assert not bad, "\n".join(bad)


def _package(module: str) -> str:
    """The package a module counts under for cycles: bot.core.<feature>, else bot.<part>."""
    parts = module.split(".")
    if parts[0] == "storage":
        return "storage"
    if parts[:2] == ["bot", "core"] and len(parts) >= 3:
        return ".".join(parts[:3])
    return ".".join(parts[:2])


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
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

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles_between_packages() -> None:
    edges: dict[str, set[str]] = defaultdict(set)
    for module, imported in _graph().items():
        for target in imported:
            a, b = _package(module), _package(target)
            if a != b and not b.startswith(a + "."):
                edges[a].add(b)
    assert not _cycles(edges), f"package cycles: {_cycles(edges)}"


def test_modules_and_functions_stay_small() -> None:
    bad = []
    for path in _sources():
        rel = path.relative_to(REPO).as_posix()
        text = path.read_text(encoding="utf-8")
        lines = text.count("\n")
        if lines > MAX_MODULE_LINES:
            bad.append(f"{rel}: {lines} lines (max {MAX_MODULE_LINES})")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = (node.end_lineno or node.lineno) - node.lineno + 1
                if n > MAX_FUNCTION_LINES:
                    bad.append(f"{rel}:{node.lineno} {node.name}: {n} lines")
    assert not bad, "\n".join(bad)


# the checker checks itself --------------------------------------------------------------


def test_the_scanner_sees_imports_inside_functions(tmp_path: Path) -> None:
    leak = tmp_path / "leak.py"
    leak.write_text("def f():\n    from discord import ui\n    import telegram.ext\n")
    found = _imports(leak)
    assert {"discord", "discord.ui", "telegram.ext"} <= found


def test_the_cycle_finder_finds_a_cycle_and_only_then() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": {"c"}}) == []


@pytest.mark.parametrize(
    ("rel", "imported", "refused"),
    [
        ("bot/core/play/cases.py", "discord", True),
        ("bot/cogs/play.py", "discord.ui", False),
        ("bot/tg/app.py", "discord", True),
        ("bot/web/app.py", "aiohttp.web", False),
        ("bot/tg/webhook.py", "aiohttp.web", False),
        ("bot/tg/app.py", "aiohttp.web", True),
        ("bot/core/x.py", "aiohttp.web", True),
    ],
)
def test_the_platform_rule_itself(rel: str, imported: str, refused: bool) -> None:
    assert bool(_platform_rule(rel, imported)) is refused
