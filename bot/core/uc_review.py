"""Use cases: moderation of undecided items, quality reports."""

from __future__ import annotations

from bot.core.uc_boards import BoardCases


class ReviewCases(BoardCases):
    """Filled by its feature; see the methods below."""
