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
import os
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_CONFIG_PATH = Path(__file__).resolve().parents[1] / "config.toml"


class ConfigError(Exception):
    """A bad configuration file; the message is one line naming file, key and problem."""


def _rng(lo: float | None = None, hi: float | None = None, **extra: Any) -> dict[str, Any]:
    return {"min": lo, "max": hi, **extra}


@dataclass(frozen=True)
class DatabaseSettings:
    url: str = field(default="data/labelquest.db")
    password_env: str = "LABELQUEST_DB_PASSWORD"
    pool_size: int = field(default=10, metadata=_rng(1, 200))
    batch_max: int = field(default=512, metadata=_rng(1, 10_000))


@dataclass(frozen=True)
class PrivacySettings:
    consent_version: int = field(default=1, metadata=_rng(1, None))
    contact: str = ""


@dataclass(frozen=True)
class GameSettings:
    round_seconds: int = field(default=120, metadata=_rng(10, 86_400))
    reservation_minutes: int = field(default=15, metadata=_rng(1, 1440))
    min_overlap: int = field(default=3, metadata=_rng(1, 100))
    max_overlap: int = field(default=7, metadata=_rng(1, 1000))
    confidence: float = field(default=0.8, metadata=_rng(0.5, 0.999))
    gold_rate: float = field(default=0.1, metadata=_rng(0.0, 1.0))


@dataclass(frozen=True)
class QualitySettings:
    prior_correct: float = field(default=4.0, metadata=_rng(0.01, 1000))
    prior_wrong: float = field(default=1.0, metadata=_rng(0.01, 1000))
    onboarding_items: int = field(default=5, metadata=_rng(0, 50))
    onboarding_pass: int = field(default=4, metadata=_rng(0, 50))
    onboarding_cooldown_minutes: int = field(default=60, metadata=_rng(0, 10_080))
    gold_schedule: list[list[float]] = field(
        default_factory=lambda: [[10, 0.5], [40, 0.2], [50, 0.1]]
    )
    gold_floor: float = field(default=0.05, metadata=_rng(0.0, 1.0))
    min_answer_ms: int = field(default=1200, metadata=_rng(0, 60_000))
    fast_answers_to_flag: int = field(default=3, metadata=_rng(1, 1000))
    same_answer_run: int = field(default=12, metadata=_rng(2, 1000))
    gold_accuracy_floor: float = field(default=0.5, metadata=_rng(0.0, 1.0))
    gold_floor_min_answers: int = field(default=6, metadata=_rng(1, 1000))


@dataclass(frozen=True)
class TelegramSettings:
    token_env: str = "TELEGRAM_TOKEN"
    base_url: str = ""
    base_file_url: str = ""
    poll_timeout: float = field(default=10.0, metadata=_rng(0.0, 60.0))
    edit_interval: float = field(default=1.0, metadata=_rng(0.0, 60.0))


@dataclass(frozen=True)
class DiscordSettings:
    token_env: str = "DISCORD_TOKEN"
    api_base: str = ""
    gateway_url: str = ""
    cdn_base: str = ""
    dev_guild_ids: list[int] = field(default_factory=list)
    moderator_role: str = ""
    message_content: bool = False
    guild_ready_timeout: float = field(default=2.0, metadata=_rng(0.0, 60.0))
    edit_interval: float = field(default=1.0, metadata=_rng(0.0, 60.0))


@dataclass(frozen=True)
class AdminSettings:
    discord: list[str] = field(default_factory=list)
    telegram: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SchedulerSettings:
    tick_seconds: float = field(default=1.0, metadata=_rng(0.05, 60.0))
    timezone: str = field(default="UTC", metadata={"tz": True})


@dataclass(frozen=True)
class CampaignSettings:
    max_upload_mb: int = field(default=20, metadata=_rng(1, 2000))
    max_unpacked_mb: int = field(default=500, metadata=_rng(1, 100_000))
    max_files: int = field(default=10_000, metadata=_rng(1, 1_000_000))
    every_minutes: int = field(default=60, metadata=_rng(1, 10_080))
    hours: str = "09:00-21:00"
    max_per_day: int = field(default=0, metadata=_rng(0, 10_000))
    quiet_days: str = ""
    announce_top: int = field(default=3, metadata=_rng(0, 10))

    def __post_init__(self) -> None:
        from bot.core.campaigns.schedule_rules import parse_days, parse_hours

        try:
            parse_hours(self.hours)
            parse_days(self.quiet_days)
        except Exception as exc:  # InvalidInput; bot.core.kernel.errors is not imported here
            raise ValueError(getattr(exc, "message", str(exc))) from None


@dataclass(frozen=True)
class QuickdrawSettings:
    round_seconds: int = field(default=60, metadata=_rng(15, 3600))
    hints: bool = True
    players_to_end: int = field(default=3, metadata=_rng(1, 1000))
    scoring: str = field(default="gentle", metadata={"choices": ("gentle", "competitive")})
    points_scale: float = field(default=0.1, metadata=_rng(0.01, 10.0))
    guess_burst: int = field(default=5, metadata=_rng(2, 100))
    guess_window_seconds: float = field(default=3.0, metadata=_rng(0.1, 60.0))
    guesses_per_round: int = field(default=3, metadata=_rng(1, 100))
    series_length: int = field(default=6, metadata=_rng(1, 50))
    distractors: int = field(default=3, metadata=_rng(1, 15))
    solo_seconds: int = field(default=20, metadata=_rng(5, 600))
    gif_size: int = field(default=256, metadata=_rng(64, 1024))


@dataclass(frozen=True)
class RewardsSettings:
    base_points: int = field(default=10, metadata=_rng(0, 10_000))
    gold_bonus: int = field(default=15, metadata=_rng(0, 10_000))
    consensus_bonus: int = field(default=10, metadata=_rng(0, 10_000))
    consensus_min_confidence: float = field(default=0.5, metadata=_rng(0.0, 1.0))
    scale_by_confidence: bool = True
    streak_step: float = field(default=0.02, metadata=_rng(0.0, 1.0))
    streak_cap: float = field(default=0.2, metadata=_rng(0.0, 1.0))
    level_a: int = field(default=5, metadata=_rng(0, 1_000_000))
    level_b: int = field(default=50, metadata=_rng(0, 1_000_000))
    level_c: int = field(default=100, metadata=_rng(1, 1_000_000))
    max_level: int = field(default=18, metadata=_rng(2, 1000))
    level_thresholds: list[int] = field(default_factory=list)
    freeze_every_days: int = field(default=7, metadata=_rng(1, 365))
    max_freezes: int = field(default=2, metadata=_rng(0, 30))
    reminder_hours: float = field(default=4.0, metadata=_rng(0.5, 24.0))
    reminder_min_streak: int = field(default=2, metadata=_rng(1, 1000))
    announce_level_ups: bool = True
    weekly_winners: int = field(default=3, metadata=_rng(0, 10))
    weekly_hour: int = field(default=9, metadata=_rng(0, 23))

    def __post_init__(self) -> None:
        from bot.core.rewards import LevelCurve, PointsRules

        if self.level_thresholds:
            LevelCurve.from_thresholds(self.level_thresholds)
        else:
            LevelCurve.polynomial(self.level_a, self.level_b, self.level_c, self.max_level)
        PointsRules(self.base_points, self.consensus_bonus, self.consensus_min_confidence,
                    self.scale_by_confidence, self.gold_bonus, self.streak_step,
                    self.streak_cap)  # fmt: skip


@dataclass(frozen=True)
class LoggingSettings:
    level: str = field(default="INFO", metadata={"choices": ("DEBUG", "INFO", "WARNING", "ERROR")})


@dataclass(frozen=True)
class Settings:
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    privacy: PrivacySettings = field(default_factory=PrivacySettings)
    game: GameSettings = field(default_factory=GameSettings)
    quality: QualitySettings = field(default_factory=QualitySettings)
    telegram: TelegramSettings = field(default_factory=TelegramSettings)
    discord: DiscordSettings = field(default_factory=DiscordSettings)
    admins: AdminSettings = field(default_factory=AdminSettings)
    scheduler: SchedulerSettings = field(default_factory=SchedulerSettings)
    campaigns: CampaignSettings = field(default_factory=CampaignSettings)
    logging: LoggingSettings = field(default_factory=LoggingSettings)
    quickdraw: QuickdrawSettings = field(default_factory=QuickdrawSettings)
    rewards: RewardsSettings = field(default_factory=RewardsSettings)
    badges: list[dict[str, Any]] = field(default_factory=list)
    source: str = field(default="<defaults>", compare=False)

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


def _check_cross(obj: Any, section: str, fname: str) -> None:
    """Rules that involve two keys of one section."""
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
