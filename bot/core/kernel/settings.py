"""The settings the engine reads, as plain typed values.

`bot.config` parses and validates `config.toml` into `bot.config.Settings`, which extends
`EngineSettings` with what only the process needs (platform adapters, logging). The engine
(`bot.core`) sees only these sections and never imports `bot.config`. Field metadata holds
the allowed range (`min`, `max`) or `choices` that `bot.config` checks when it loads a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def _rng(lo: float | None = None, hi: float | None = None, **extra: Any) -> dict[str, Any]:
    return {"min": lo, "max": hi, **extra}


@dataclass(frozen=True)
class DatabaseSettings:
    url: str = field(default="data/labelquest.db")
    password_env: str = "LABELQUEST_DB_PASSWORD"
    pool_size: int = field(default=10, metadata=_rng(1, 200))
    batch_max: int = field(default=512, metadata=_rng(1, 10_000))
    sqlite_synchronous: str = field(default="full", metadata={"choices": ("full", "normal")})
    """SQLite durability: full (commits survive power loss) or normal (a killed process)."""
    cache_seconds: float = field(default=2.0, metadata=_rng(0.0, 3600.0))
    """How long a process trusts its cached campaign rows and gold maps before reading them
    again (another process may change them; the database still refuses what matters)."""


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
    max_open_rounds_per_channel: int = field(default=3, metadata=_rng(1, 100))


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
class AdminSettings:
    discord: list[str] = field(default_factory=list)
    telegram: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SchedulerSettings:
    tick_seconds: float = field(default=1.0, metadata=_rng(0.05, 60.0))
    timezone: str = field(default="UTC", metadata={"tz": True})
    failover_seconds: float = field(default=10.0, metadata=_rng(0.05, 3600.0))


@dataclass(frozen=True)
class CampaignSettings:
    max_upload_mb: int = field(default=20, metadata=_rng(1, 2000))
    max_unpacked_mb: int = field(default=500, metadata=_rng(1, 100_000))
    max_files: int = field(default=10_000, metadata=_rng(1, 1_000_000))
    max_image_megapixels: float = field(default=50.0, metadata=_rng(0.01, 1000.0))
    max_upload_megapixels: float = field(default=2000.0, metadata=_rng(1.0, 100_000.0))
    max_import_problems: int = field(default=20, metadata=_rng(1, 10_000))
    every_minutes: int = field(default=60, metadata=_rng(1, 10_080))
    hours: str = "09:00-21:00"
    max_per_day: int = field(default=0, metadata=_rng(0, 10_000))
    quiet_days: str = ""
    announce_top: int = field(default=3, metadata=_rng(0, 10))


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


@dataclass(frozen=True)
class DrawingsSettings:
    """Player drawings (issue 15): the countdown, the hourly limit, and the caps a drawing
    must fit (strokes, points, canvas pixels)."""

    seconds: int = field(default=20, metadata=_rng(5, 600))
    grace_seconds: int = field(default=15, metadata=_rng(0, 600))
    per_hour: int = field(default=10, metadata=_rng(1, 1000))
    max_strokes: int = field(default=100, metadata=_rng(1, 1000))
    max_points: int = field(default=4000, metadata=_rng(10, 100_000))
    max_canvas: int = field(default=4096, metadata=_rng(64, 16_384))


@dataclass(frozen=True)
class CaptureSettings:
    """Image capture (issue 16): the limits a contributed photo must fit before it is
    cleaned (`bot.render.photo_clean`): bytes, pixels, and the longer side it is scaled to."""

    max_mb: float = field(default=10.0, metadata=_rng(0.1, 100.0))
    max_pixels: int = field(default=40_000_000, metadata=_rng(10_000, 500_000_000))
    max_side: int = field(default=2048, metadata=_rng(64, 16_384))


@dataclass(frozen=True)
class EngineSettings:
    """The sections the engine reads (the whole of `config.toml` but `[telegram]`,
    `[discord]` and `[logging]`)."""

    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    privacy: PrivacySettings = field(default_factory=PrivacySettings)
    game: GameSettings = field(default_factory=GameSettings)
    quality: QualitySettings = field(default_factory=QualitySettings)
    admins: AdminSettings = field(default_factory=AdminSettings)
    scheduler: SchedulerSettings = field(default_factory=SchedulerSettings)
    campaigns: CampaignSettings = field(default_factory=CampaignSettings)
    quickdraw: QuickdrawSettings = field(default_factory=QuickdrawSettings)
    rewards: RewardsSettings = field(default_factory=RewardsSettings)
    drawings: DrawingsSettings = field(default_factory=DrawingsSettings)
    capture: CaptureSettings = field(default_factory=CaptureSettings)
    badges: list[dict[str, Any]] = field(default_factory=list)
    source: str = field(default="<defaults>", compare=False)
