"""Use cases: quick-draw doodle rounds, guesses and solo doodle series."""

from __future__ import annotations

from bot.core.uc_boards import BoardCases


class QuickdrawCases(BoardCases):
    """Filled by its feature; see the methods below."""
