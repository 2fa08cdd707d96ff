"""Use cases: campaign lifecycle, channels and schedules, exports from chat, audit log."""

from __future__ import annotations

from bot.core.uc_boards import BoardCases


class CampaignCases(BoardCases):
    """Filled by its feature; see the methods below."""
