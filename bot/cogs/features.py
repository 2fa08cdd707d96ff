"""Discord cogs of later features, registered in one place.

Each feature module `bot/cogs/<feature>.py` exposes `make_cog(bot) -> commands.Cog` and is
listed in `features()` below.
"""

from __future__ import annotations

from types import ModuleType


def features() -> list[ModuleType]:
    from bot.cogs import campaigns, capture, dashboard, draw, hide, quickdraw, review, rewards
    from bot.cogs import languages as langs
    from bot.cogs import locate as locate_canvas
    from bot.cogs import multilabel as multilabel_cards
    from bot.cogs import typed as typed_answers

    return [
        quickdraw,
        review,
        campaigns,
        rewards,
        dashboard,
        hide,
        draw,
        typed_answers,
        langs,
        capture,
        locate_canvas,
        multilabel_cards,
    ]
