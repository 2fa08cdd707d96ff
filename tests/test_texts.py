"""Words in one place: every player-facing message of the engine is a key of a texts module.

The texts modules (`bot/core/kernel/texts.py` and one `texts.py` per feature package) hold
each message as an UPPER_CASE `str.format` template. Code raises `SomeError(texts.KEY, **params)`
or replies `Reply(texts.KEY.format(**params))`; these tests keep it that way."""

from __future__ import annotations

import ast
import importlib
import re
import string
from collections.abc import Iterator
from pathlib import Path

import bot.core.engine  # noqa: F401  (imports every feature, so every error class is known)
from bot.core.kernel.errors import LabelQuestError

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "bot" / "core"
TEXT_MODULES = sorted(CORE.rglob("texts.py"))

# Files whose messages may stay literal, with the reason. Keep this list tiny.
ALLOWED: dict[str, str] = {}


def _error_names() -> set[str]:
    names, todo = set(), [LabelQuestError]
    while todo:
        cls = todo.pop()
        names.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return names


MESSAGE_CALLS = _error_names() | {"Reply"}


def _callee(call: ast.Call) -> str | None:
    return call.func.id if isinstance(call.func, ast.Name) else None


def _has_words(node: ast.AST) -> bool:
    """True when a string literal with a letter in it is part of `node`."""
    return any(
        isinstance(n, ast.Constant)
        and isinstance(n.value, str)
        and re.search(r"[^\W\d_]", n.value)
        for n in ast.walk(node)
    )


def _core_files() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(CORE.rglob("*.py")):
        if path.name != "texts.py":
            yield str(path.relative_to(ROOT)), ast.parse(path.read_text(), str(path))


def _templates() -> dict[str, dict[str, str]]:
    """Module name -> {KEY: template} for every texts module."""
    out: dict[str, dict[str, str]] = {}
    for path in TEXT_MODULES:
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        mod = importlib.import_module(name)
        out[name] = {k: v for k, v in vars(mod).items() if k.isupper() and isinstance(v, str)}
    return out


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}


def test_no_message_literals_outside_texts() -> None:
    found = []
    for rel, tree in _core_files():
        if rel in ALLOWED:
            continue
        for node in ast.walk(tree):
            is_message = isinstance(node, ast.Call) and _callee(node) in MESSAGE_CALLS
            if is_message and node.args and _has_words(node.args[0]):
                found.append(f"{rel}:{node.lineno} {_callee(node)}(...)")
    assert not found, "player-facing literals outside the texts modules:\n" + "\n".join(found)


def test_templates_are_named_and_format() -> None:
    for module, keys in _templates().items():
        assert keys, module
        for key, template in keys.items():
            fields = _fields(template)
            for field in fields:
                assert field.isidentifier(), f"{module}.{key}: {{{field}}} is not a named field"
            template.format(**dict.fromkeys(fields, 1))  # a spec such as :.1f takes a number


def _texts_aliases(tree: ast.Module) -> dict[str, str]:
    """Local name -> texts module, from `from bot.core.X import texts [as alias]`."""
    out = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("bot.core"):
            for alias in node.names:
                if alias.name == "texts":
                    out[alias.asname or "texts"] = f"{node.module}.texts"
    return out


def _key_uses(tree: ast.Module) -> Iterator[tuple[int, str, str, set[str]]]:
    """(line, module, KEY, parameters passed) for each message built from a key."""
    aliases = _texts_aliases(tree)

    def key_of(node: ast.expr) -> tuple[str, str] | None:
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
        ):
            return aliases[node.value.id], node.attr
        return None

    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        passed = {k.arg for k in node.keywords if k.arg}
        if _callee(node) in MESSAGE_CALLS - {"Reply"} and node.args and key_of(node.args[0]):
            module, key = key_of(node.args[0])  # type: ignore[misc]
            yield node.lineno, module, key, passed - {"ephemeral"}
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "format" and key_of(func.value):
            module, key = key_of(func.value)  # type: ignore[misc]
            yield node.lineno, module, key, passed


def test_callers_pass_exactly_the_template_fields() -> None:
    templates = _templates()
    checked = 0
    for rel, tree in _core_files():
        for line, module, key, passed in _key_uses(tree):
            assert key in templates[module], f"{rel}:{line}: {module} has no {key}"
            fields = _fields(templates[module][key])
            assert passed == fields, f"{rel}:{line}: {key} takes {fields}, got {passed}"
            checked += 1
    assert checked > 100


def test_every_key_is_used() -> None:
    source = "\n".join(p.read_text() for p in (ROOT / "bot").rglob("*.py"))
    for module, keys in _templates().items():
        for key in keys:
            uses = len(re.findall(rf"\b{key}\b", source))
            assert uses > 1, f"{module}.{key} is never used"
