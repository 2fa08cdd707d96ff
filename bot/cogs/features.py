"""Discord cogs of later features, registered in one place.

Each feature module `bot/cogs/<feature>.py` exposes `make_cog(bot) -> commands.Cog` and is
listed in `features()` below.
"""

from __future__ import annotations

from types import ModuleType


def features() -> list[ModuleType]:
    from bot.cogs import campaigns, capture, dashboard, draw, hide, quickdraw, review, rewards

    return [quickdraw, review, campaigns, rewards, dashboard, hide, draw, capture]
