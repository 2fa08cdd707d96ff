"""Telegram parts of later features, registered in one place.

Each feature module `bot/tg/<feature>.py` exposes
- `COMMANDS`: `BotCommand`s everyone sees in the menu;
- `MODERATOR_COMMANDS`: `BotCommand`s shown to chat administrators only;
- `register(application, adapter)`: add its handlers (before the catch-alls);
and is listed in `FEATURES` below.
"""

from __future__ import annotations

from types import ModuleType


def features() -> list[ModuleType]:
    from bot.tg import campaigns, capture, dashboard, draw, hide, quickdraw, review, rewards
    from bot.tg import languages as langs
    from bot.tg import locate as locate_canvas
    from bot.tg import typed as typed_answers

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
    ]
