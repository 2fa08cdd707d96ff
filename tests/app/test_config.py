"""Configuration: documented defaults, partial user files, one-line errors naming file and key."""

from __future__ import annotations

import ast
import dataclasses
import tomllib
from pathlib import Path

import pytest

from bot.config import DEFAULT_CONFIG_PATH, ConfigError, Settings, load_settings


def _write(tmp: Path, text: str) -> Path:
    path = tmp / "my.toml"
    path.write_text(text)
    return path


def test_shipped_file_documents_every_setting_with_its_default() -> None:
    shipped = tomllib.loads(DEFAULT_CONFIG_PATH.read_text())
    defaults = Settings()
    for section in dataclasses.fields(Settings):
        if section.name in ("source", "badges"):
            continue
        obj = getattr(defaults, section.name)
        assert section.name in shipped, f"[{section.name}] missing from config.toml"
        for f in dataclasses.fields(obj):
            assert f.name in shipped[section.name], f"[{section.name}] {f.name} undocumented"
            assert shipped[section.name][f.name] == getattr(obj, f.name), (section.name, f.name)
        extra = set(shipped[section.name]) - {f.name for f in dataclasses.fields(obj)}
        assert not extra, f"config.toml has keys the code does not know: {extra}"
    text = DEFAULT_CONFIG_PATH.read_text()
    for line in text.splitlines():
        if "=" in line and not line.lstrip().startswith("#") and "[[" not in line:
            key = line.split("=")[0].strip()
            assert key, line


def test_user_file_changes_only_its_keys(tmp_path: Path) -> None:
    s = load_settings(_write(tmp_path, "[game]\nround_seconds = 45\n"), environ={})
    assert s.game.round_seconds == 45
    assert s.game.min_overlap == Settings().game.min_overlap
    assert s.telegram.token_env == "TELEGRAM_TOKEN"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[gmae]\nx = 1\n", "my.toml: [gmae]: unknown section"),
        ("[game]\nround_secs = 20\n", "my.toml: [game] round_secs: unknown key"),
        ('[game]\nround_seconds = "soon"\n', "[game] round_seconds: must be an integer"),
        ("[game]\nround_seconds = 5\n", "[game] round_seconds: must be at least 10, got 5"),
        ("[game]\nconfidence = 1.5\n", "[game] confidence: must be at most 0.999, got 1.5"),
        (
            "[game]\nmin_overlap = 5\nmax_overlap = 3\n",
            "max_overlap: must be at least min_overlap",
        ),
        ('[discord]\nmessage_content = "yes"\n', "message_content: must be true or false"),
        ('[discord]\ndev_guild_ids = ["abc"]\n', "dev_guild_ids[0]: must be an integer"),
        ('[telegram]\nbase_url = "localhost:8081"\n', "base_url: must be an http(s)://"),
        ('[scheduler]\ntimezone = "Mars/Olympus"\n', "unknown time zone 'Mars/Olympus'"),
        ('[logging]\nlevel = "LOUD"\n', "level: must be one of DEBUG, INFO, WARNING, ERROR"),
        ("[game\n", "my.toml: not valid TOML"),
        ('[[badges]]\nid = "x"\n', "badges:"),
    ],
)
def test_bad_values_stop_startup_with_one_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as exc:
        load_settings(_write(tmp_path, text), environ={})
    assert message in str(exc.value)
    assert "\n" not in str(exc.value)
    assert str(tmp_path / "my.toml") in str(exc.value) or "my.toml" in str(exc.value)


def test_database_url_from_the_environment() -> None:
    s = load_settings(environ={"DATABASE_URL": "postgresql://u@db/lq"})
    assert s.database.url == "postgresql://u@db/lq"
    assert s.with_database_url("x.db").database.url == "x.db"


def test_secrets_come_only_from_the_named_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    s = load_settings(environ={})
    monkeypatch.setenv("TELEGRAM_TOKEN", "123:abc")
    assert s.secret(s.telegram.token_env) == "123:abc"
    monkeypatch.setenv("TELEGRAM_TOKEN", "  ")
    assert s.secret(s.telegram.token_env) is None
    assert "123:abc" not in repr(s)


# Keys of config.toml that are read only where settings are built or handed on (bot/config.py,
# bot/core/kernel/settings.py), with the reason they need no attribute read elsewhere.
CONFIG_ONLY: dict[str, str] = {}


def _attribute_reads() -> set[str]:
    """Every `.name` read as an attribute in bot/ outside the settings modules (ast scan)."""
    root = DEFAULT_CONFIG_PATH.parent / "bot"
    skip = {root / "config.py", root / "core" / "kernel" / "settings.py"}
    names: set[str] = set()
    for path in root.rglob("*.py"):
        if path in skip:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute):
                names.add(node.attr)
            elif isinstance(node, ast.keyword) and node.arg:
                names.add(node.arg)  # dataclasses.replace(s, key=...) and friends
    return names


def test_every_key_of_config_toml_is_read_by_the_code() -> None:
    """A documented setting that no code reads does nothing: every key of config.toml must
    be read as an attribute somewhere in bot/ beyond the settings modules themselves."""
    shipped = tomllib.loads(DEFAULT_CONFIG_PATH.read_text())
    reads = _attribute_reads()
    assert set(shipped) - {"badges"} == {k for k, v in shipped.items() if isinstance(v, dict)}
    unread = [
        f"[{section}] {key}"
        for section, table in shipped.items()
        if section != "badges"  # [[badges]] rules are data, read by bot/core/rewards
        for key in table
        if key not in reads and f"{section}.{key}" not in CONFIG_ONLY
    ]
    assert not unread, f"config.toml keys nothing reads: {unread}"


@pytest.mark.parametrize(
    "api_base",
    ["http://127.0.0.1:8080", "https://discord.com/api", "https://discord.com/api/v10/x"],
)
def test_discord_api_base_without_the_api_version_is_refused(
    tmp_path: Path, api_base: str
) -> None:
    """`[discord] api_base` replaces discord.py's whole REST base, `/api/v10` included: a
    bare host would send every call to the wrong path (issue 12, hole 21)."""
    with pytest.raises(ConfigError) as exc:
        load_settings(_write(tmp_path, f'[discord]\napi_base = "{api_base}"\n'), environ={})
    message = str(exc.value)
    assert "[discord] api_base" in message and "/api/v10" in message, message
    assert "\n" not in message


@pytest.mark.parametrize(
    "api_base", ["https://discord.com/api/v10", "http://127.0.0.1:8080/api/v10/", ""]
)
def test_discord_api_base_with_the_api_version_is_accepted(tmp_path: Path, api_base: str) -> None:
    s = load_settings(_write(tmp_path, f'[discord]\napi_base = "{api_base}"\n'), environ={})
    assert s.discord.api_base == api_base
