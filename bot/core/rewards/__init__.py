"""Pure reward rules: points, levels, daily streaks and badges.

Everything here is a function of a snapshot and `now` (passed in): no I/O, no database, no
clock. The engine loads the snapshot, calls these rules, persists what they return and
publishes the events. Each module's docstring states its rule with the numbers.
"""

from __future__ import annotations

from bot.core.rewards.badge_rules import Condition, RuleError, parse_rule
from bot.core.rewards.badges import (
    COUNTERS,
    BadgeConfigError,
    BadgeDef,
    PlayerCounters,
    default_badges,
    earned,
    parse_badges,
)
from bot.core.rewards.levels import (
    DEFAULT_CURVE,
    STATS_UNLOCK_LEVEL,
    LevelCurve,
    LevelCurveError,
    LevelInfo,
    can_see_accuracy,
    level_for,
    levels_gained,
)
from bot.core.rewards.points import (
    DEFAULT_POINTS,
    PHOTO,
    PHOTO_ACCEPTED_POINTS,
    TRANSLATION,
    TRANSLATION_ACCEPTED_POINTS,
    LedgerEntry,
    LedgerKind,
    PointsRules,
    formula_text,
    points_for_contribution,
    points_for_drawing,
    points_for_gold,
    points_for_guess,
    points_for_stored_answer,
    settle_on_finalize,
    total,
)
from bot.core.rewards.streaks import (
    DEFAULT_STREAK_RULES,
    StreakEvent,
    StreakEventKind,
    StreakHealth,
    StreakRules,
    StreakState,
    StreakStatus,
    apply_activity,
    grant_freeze,
    mark_reminded,
    needs_reminder,
    resolve_zone,
    status_at,
)

__all__ = [
    "COUNTERS",
    "DEFAULT_CURVE",
    "DEFAULT_POINTS",
    "DEFAULT_STREAK_RULES",
    "PHOTO",
    "PHOTO_ACCEPTED_POINTS",
    "STATS_UNLOCK_LEVEL",
    "TRANSLATION",
    "TRANSLATION_ACCEPTED_POINTS",
    "BadgeConfigError",
    "BadgeDef",
    "Condition",
    "LedgerEntry",
    "LedgerKind",
    "LevelCurve",
    "LevelCurveError",
    "LevelInfo",
    "PlayerCounters",
    "PointsRules",
    "RuleError",
    "StreakEvent",
    "StreakEventKind",
    "StreakHealth",
    "StreakRules",
    "StreakState",
    "StreakStatus",
    "apply_activity",
    "can_see_accuracy",
    "default_badges",
    "earned",
    "formula_text",
    "grant_freeze",
    "level_for",
    "levels_gained",
    "mark_reminded",
    "needs_reminder",
    "parse_badges",
    "parse_rule",
    "points_for_contribution",
    "points_for_drawing",
    "points_for_gold",
    "points_for_guess",
    "points_for_stored_answer",
    "resolve_zone",
    "settle_on_finalize",
    "status_at",
    "total",
]

# The book, boards, jobs and use cases come after the pure rules they import.
from bot.core.rewards.boards import Boards, reward_rules
from bot.core.rewards.book import RewardBook, RewardRules, RewardsHook
from bot.core.rewards.cases import RewardCases
from bot.core.rewards.jobs import RewardJobs

__all__ += [
    "Boards",
    "RewardBook",
    "RewardCases",
    "RewardJobs",
    "RewardRules",
    "RewardsHook",
    "reward_rules",
]
