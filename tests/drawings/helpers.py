"""Helpers of the player-drawing tests: a doodle campaign that takes drawings, raw drawings
made like the page makes them, and a look into what was stored."""

from __future__ import annotations

from bot.core.drawings import RawDrawing, RawStroke
from bot.core.engine import Engine
from storage import CampaignRow, SqlStore
from tests.support.doodles import doodle_campaign

WORDS = ("cat", "house", "sun")


async def drawing_campaign(store: SqlStore, name: str = "Doodles") -> CampaignRow:
    """A quickdraw campaign over WORDS that takes player drawings."""
    campaign = await doodle_campaign(store, WORDS, name=name)
    await store.set_player_drawings(campaign.id, True)
    return campaign


def square(width: int = 400, height: int = 300) -> RawDrawing:
    """Two strokes on a `width` x `height` canvas: a square's outline, then a dot; t goes on
    from the first stroke to the second, as the page records it."""
    side = [(50.0 + 2 * i, 50.0) for i in range(100)]
    down = [(248.0, 50.0 + 2 * i) for i in range(100)]
    pts = side + down
    first = RawStroke(
        tuple(p[0] for p in pts), tuple(p[1] for p in pts), tuple(10 * i for i in range(len(pts)))
    )
    dot = RawStroke((300.0,), (250.0,), (2500,))
    return RawDrawing((first, dot), width, height)


async def submit_one(engine: Engine, ref: object, raw: RawDrawing | None = None) -> int:
    """Prompt and submit one drawing for `ref`; returns the drawing id."""
    from bot.core.kernel.models import PlayerRef

    assert isinstance(ref, PlayerRef)
    p = await engine.drawings.prompt(ref)
    done = await engine.drawings.submit(ref, p.id, raw or square(), "telegram")
    return done.drawing_id
