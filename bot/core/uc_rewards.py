"""Use cases: levels, streaks, badges, rank cards and leaderboard images."""

from __future__ import annotations

from bot.core.uc_boards import BoardCases


class RewardCases(BoardCases):
    """Filled by its feature; see the methods below."""
