"""The delivery layer stays neutral, and the adapters reach data through the engine only."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ALLOWED = ("bot.core.kernel", "bot.delivery")


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_delivery_imports_only_the_standard_library_and_the_kernel() -> None:
    offenders = []
    for path in sorted((REPO / "bot" / "delivery").rglob("*.py")):
        for module in _imports(path):
            top = module.split(".")[0]
            if top in sys.stdlib_module_names or top == "__future__":
                continue
            if not module.startswith(ALLOWED):
                offenders.append(f"{path.relative_to(REPO)}: {module}")
    assert not offenders, "\n".join(offenders)


def test_adapters_never_touch_the_store() -> None:
    offenders = []
    for folder in ("cogs", "tg"):
        for path in sorted((REPO / "bot" / folder).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            if ".store." in text or any(m.split(".")[0] == "storage" for m in _imports(path)):
                offenders.append(str(path.relative_to(REPO)))
    assert not offenders, "\n".join(offenders)
