"""Typed, validated settings.

The shipped `config.toml` (next to `run.py`) documents every setting with its default; the
dataclasses below are its schema. A user file given with `--config` holds only the keys it
changes and is merged over the defaults. Any unknown key, wrong type or out-of-range value
stops start-up with one line naming the file, the key and the problem (`ConfigError`).

Secrets never live in a config file: the file names the environment variables that hold
them (`[telegram] token_env`, `[discord] token_env`, `[database] password_env`).
"""

from __future__ import annotations

import dataclasses
import ipaddress
import os
import re
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.kernel.settings import (
    CampaignSettings,
    DatabaseSettings,
    EngineSettings,
    GameSettings,
    QualitySettings,
    RewardsSettings,
    _rng,
)
from bot.platform_config import (
    MAX_SHARDS,
    ConfigError,
    DiscordSettings,
    TelegramSettings,
    check_platform,
    gateway_problem,
    shard_problem,
)

__all__ = [
    "MAX_SHARDS",
    "ConfigError",
    "DiscordSettings",
    "Settings",
    "TelegramSettings",
    "WebSettings",
    "WebhookSettings",
    "gateway_problem",
    "load_settings",
    "shard_problem",
]

DEFAULT_CONFIG_PATH = Path(__file__).resolve().parents[1] / "config.toml"


@dataclass(frozen=True)
class LoggingSettings:
    level: str = field(default="INFO", metadata={"choices": ("DEBUG", "INFO", "WARNING", "ERROR")})


@dataclass(frozen=True)
class WebSettings:
    """`[web]`: the web adapter (docs/web.md). `port` 0 picks a free port."""

    enabled: bool = False
    listen: str = "127.0.0.1"
    port: int = field(default=8080, metadata=_rng(0, 65535))
    public_url: str = ""
    login_link_minutes: int = field(default=10, metadata=_rng(1, 1440))
    """How long a `/dashboard` sign-in link works (it works once)."""
    session_hours: float = field(default=12.0, metadata=_rng(0.05, 720.0))
    """How long a dashboard session lasts after signing in."""
    webapp_max_age_seconds: int = field(default=3600, metadata=_rng(60, 86400))
    """Telegram Mini App initData older than this (its `auth_date`) is refused (issue 15)."""
    draw_link_minutes: int = field(default=10, metadata=_rng(1, 1440))
    """How long a `/draw` link (Discord, any browser) works before its prompt is asked for."""


@dataclass(frozen=True)
class WebhookSettings:
    """`[webhooks]`: webhooks out (docs/api.md#webhooks), sent by a process serving the web
    side. `backoff_seconds`: the wait before each retry (its length + 1 attempts in all)."""

    enabled: bool = True
    poll_seconds: float = field(default=5.0, metadata=_rng(0.1, 3600))
    timeout_seconds: float = field(default=10.0, metadata=_rng(1, 60))
    batch: int = field(default=50, metadata=_rng(1, 1000))
    backoff_seconds: list[float] = field(
        default_factory=lambda: [10.0, 60.0, 300.0, 1800.0, 7200.0, 21600.0]
    )


#: A host name `[web] listen` may be (RFC 1123 labels), when it is not an IP address.
_HOST = re.compile(r"(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?)+")


def listen_problem(listen: str) -> str | None:
    """Why `listen` cannot be bound (None: an IP address or a host name)."""
    try:
        ipaddress.ip_address(listen)
        return None
    except ValueError:
        pass
    if _HOST.fullmatch(listen) and not listen.replace(".", "").isdigit():
        return None
    return f"must be an IP address or a host name, got {listen!r}"


@dataclass(frozen=True)
class Settings(EngineSettings):
    """The whole configuration: the engine's sections plus the process's own."""

    telegram: TelegramSettings = field(default_factory=TelegramSettings)
    discord: DiscordSettings = field(default_factory=DiscordSettings)
    logging: LoggingSettings = field(default_factory=LoggingSettings)
    web: WebSettings = field(default_factory=WebSettings)
    webhooks: WebhookSettings = field(default_factory=WebhookSettings)

    def secret(self, env_name: str) -> str | None:
        """The value of a secret's environment variable, or None when unset or empty."""
        value = os.environ.get(env_name, "").strip()
        return value or None

    def with_database_url(self, url: str) -> Settings:
        """A copy whose store is `url` (the `--db` override)."""
        return dataclasses.replace(self, database=dataclasses.replace(self.database, url=url))


_SECTIONS: dict[str, type[Any]] = {
    f.name: f.type if isinstance(f.type, type) else typing.get_type_hints(Settings)[f.name]
    for f in dataclasses.fields(Settings)
    if f.name not in ("badges", "source")
}


def load_settings(path: Path | None = None, *, environ: dict[str, str] | None = None) -> Settings:
    """Shipped defaults, then the user file at `path` (only the keys it changes), validated.

    `DATABASE_URL` in the environment overrides `[database] url`; `--db` is applied later by
    the caller with `Settings.with_database_url`.
    """
    env = os.environ if environ is None else environ
    defaults = _read_toml(DEFAULT_CONFIG_PATH)
    merged = _merge_checked(defaults, {}, DEFAULT_CONFIG_PATH.name)
    source = DEFAULT_CONFIG_PATH.name
    if path is not None:
        user = _read_toml(path)
        merged = _merge_checked(merged, user, str(path))
        source = str(path)
    settings = _build_settings(merged, source)
    if env.get("DATABASE_URL"):
        settings = settings.with_database_url(env["DATABASE_URL"])
    return settings


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None


def _merge_checked(base: dict[str, Any], user: dict[str, Any], fname: str) -> dict[str, Any]:
    out = {k: dict(v) if isinstance(v, dict) else v for k, v in base.items()}
    for key, value in user.items():
        if key == "badges":
            if not isinstance(value, list):
                raise ConfigError(f"{fname}: badges: must be an array of tables ([[badges]])")
            out["badges"] = value
            continue
        if key not in _SECTIONS:
            raise ConfigError(f"{fname}: [{key}]: unknown section")
        if not isinstance(value, dict):
            raise ConfigError(f"{fname}: {key}: must be a table ([{key}])")
        known = {f.name for f in dataclasses.fields(_SECTIONS[key])}
        for sub in value:
            if sub not in known:
                raise ConfigError(f"{fname}: [{key}] {sub}: unknown key")
        out.setdefault(key, {}).update(value)
    return out


def _build_settings(data: dict[str, Any], source: str) -> Settings:
    sections: dict[str, Any] = {}
    for name, cls in _SECTIONS.items():
        sections[name] = _build_section(cls, data.get(name, {}), name, source)
    badges = data.get("badges", [])
    _check_badges(badges, source)
    return Settings(**sections, badges=list(badges), source=source)


def _build_section(cls: type[Any], raw: dict[str, Any], section: str, fname: str) -> Any:
    hints = typing.get_type_hints(cls)
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name not in raw:
            continue
        where = f"{fname}: [{section}] {f.name}"
        kwargs[f.name] = _check_value(raw[f.name], hints[f.name], f.metadata, where)
    try:
        obj = cls(**kwargs)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{fname}: [{section}]: {exc}") from None
    _check_cross(obj, section, fname)
    return obj


def _check_value(value: Any, hint: Any, meta: Any, where: str) -> Any:
    value = _check_type(value, hint, where)
    lo, hi = meta.get("min"), meta.get("max")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if lo is not None and value < lo:
            raise ConfigError(f"{where}: must be at least {lo}, got {value}")
        if hi is not None and value > hi:
            raise ConfigError(f"{where}: must be at most {hi}, got {value}")
    choices = meta.get("choices")
    if choices and value not in choices:
        raise ConfigError(f"{where}: must be one of {', '.join(choices)}, got {value!r}")
    if meta.get("tz"):
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(f"{where}: unknown time zone {value!r}") from None
    return value


def _check_type(value: Any, hint: Any, where: str) -> Any:
    origin = typing.get_origin(hint)
    if hint is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: must be true or false, got {value!r}")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{where}: must be an integer, got {value!r}")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{where}: must be a number, got {value!r}")
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise ConfigError(f"{where}: must be a string, got {value!r}")
        return value
    if origin is list:
        if not isinstance(value, list):
            raise ConfigError(f"{where}: must be an array, got {value!r}")
        (inner,) = typing.get_args(hint)
        return [_check_type(v, inner, f"{where}[{i}]") for i, v in enumerate(value)]
    if origin is dict or hint is Any:
        return value
    if origin in (typing.Union, types.UnionType):
        return value
    return value


def _check_rules(obj: Any, section: str, fname: str) -> None:
    """Values the engine's own parsers must accept (schedule hours and days, level curve,
    points rules); their message names the section."""
    from bot.core.campaigns.schedule_rules import parse_days, parse_hours
    from bot.core.kernel.errors import LabelQuestError
    from bot.core.rewards import LevelCurve, PointsRules

    try:
        if isinstance(obj, CampaignSettings):
            parse_hours(obj.hours)
            parse_days(obj.quiet_days)
        if isinstance(obj, RewardsSettings):
            if obj.level_thresholds:
                LevelCurve.from_thresholds(obj.level_thresholds)
            else:
                LevelCurve.polynomial(obj.level_a, obj.level_b, obj.level_c, obj.max_level)
            PointsRules(
                obj.base_points,
                obj.consensus_bonus,
                obj.consensus_min_confidence,
                obj.scale_by_confidence,
                obj.gold_bonus,
                obj.streak_step,
                obj.streak_cap,
            )
    except LabelQuestError as exc:
        raise ConfigError(f"{fname}: [{section}]: {exc.message}") from None
    except ValueError as exc:
        raise ConfigError(f"{fname}: [{section}]: {exc}") from None


def _check_cross(obj: Any, section: str, fname: str) -> None:
    """Rules that involve two keys of one section."""
    _check_rules(obj, section, fname)
    if isinstance(obj, GameSettings) and obj.max_overlap < obj.min_overlap:
        raise ConfigError(
            f"{fname}: [game] max_overlap: must be at least min_overlap "
            f"({obj.min_overlap}), got {obj.max_overlap}"
        )
    if isinstance(obj, QualitySettings):
        if obj.onboarding_pass > obj.onboarding_items:
            raise ConfigError(
                f"{fname}: [quality] onboarding_pass: must be at most onboarding_items "
                f"({obj.onboarding_items}), got {obj.onboarding_pass}"
            )
        for i, step in enumerate(obj.gold_schedule):
            if len(step) != 2 or step[0] < 1 or not 0 <= step[1] <= 1:
                raise ConfigError(
                    f"{fname}: [quality] gold_schedule[{i}]: must be [answers >= 1, rate 0..1],"
                    f" got {step}"
                )
    if isinstance(obj, DatabaseSettings) and not obj.url.strip():
        raise ConfigError(f"{fname}: [database] url: must not be empty")
    for url_key in ("base_url", "base_file_url", "api_base", "gateway_url", "cdn_base"):
        url = getattr(obj, url_key, None)
        if url and not url.startswith(("http://", "https://", "ws://", "wss://")):
            raise ConfigError(
                f"{fname}: [{section}] {url_key}: must be an http(s):// or ws(s):// URL,"
                f" got {url!r}"
            )
    check_platform(obj, fname)
    _check_webhooks(obj, fname)
    if isinstance(obj, WebSettings):
        problem = listen_problem(obj.listen)
        if problem is not None:
            raise ConfigError(f"{fname}: [web] listen: {problem}")
        if obj.public_url and not obj.public_url.startswith(("http://", "https://")):
            raise ConfigError(
                f"{fname}: [web] public_url: must be an http(s):// URL, got {obj.public_url!r}"
            )


def _check_webhooks(obj: Any, fname: str) -> None:
    if isinstance(obj, WebhookSettings):
        for i, wait in enumerate(obj.backoff_seconds):
            if not 1 <= wait <= 7 * 86400:
                raise ConfigError(
                    f"{fname}: [webhooks] backoff_seconds[{i}]: must be from 1 to 604800 "
                    f"seconds, got {wait}"
                )


def _check_badges(badges: list[Any], fname: str) -> None:
    """Badge definitions are validated by the rewards rules; errors name badge and key."""
    from bot.core.rewards import BadgeConfigError, parse_badges

    try:
        parse_badges(badges)
    except BadgeConfigError as exc:
        lines = [ln.strip() for ln in str(exc).splitlines()[1:] if ln.strip()]
        first = lines[0].removeprefix("badges:").strip() if lines else "invalid"
        more = f" (and {len(lines) - 1} more problem(s))" if len(lines) > 1 else ""
        raise ConfigError(f"{fname}: badges: {first}{more}") from None
