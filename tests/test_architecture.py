"""Rules of the house that code review alone would miss: the import boundaries."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PLATFORM_LIBS = {"discord", "telegram"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _modules(folder: str) -> list[Path]:
    return sorted((REPO / folder).rglob("*.py"))


def test_only_the_adapters_import_a_chat_platform() -> None:
    offenders = []
    for path in _modules("bot") + _modules("storage") + [REPO / "run.py"]:
        rel = path.relative_to(REPO).as_posix()
        if rel.startswith(("bot/cogs/", "bot/tg/")):
            continue
        bad = {m for m in _imports(path) if m.split(".")[0] in PLATFORM_LIBS}
        if bad:
            offenders.append(f"{rel}: {sorted(bad)}")
    assert not offenders, "platform imports outside bot/cogs and bot/tg:\n" + "\n".join(offenders)


def test_storage_imports_nothing_from_bot() -> None:
    offenders = [
        f"{p.relative_to(REPO)}: {sorted(m for m in _imports(p) if m.split('.')[0] == 'bot')}"
        for p in _modules("storage")
        if any(m.split(".")[0] == "bot" for m in _imports(p))
    ]
    assert not offenders, "\n".join(offenders)


def test_the_boundary_check_sees_a_violation(tmp_path: Path) -> None:
    """The scanner itself works: a module importing discord is detected."""
    bad = tmp_path / "leak.py"
    bad.write_text("from discord import ui\nimport telegram.ext\n")
    assert _imports(bad) == {"discord", "telegram.ext"}
