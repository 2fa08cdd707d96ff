"""The dashboard's item page of a locate campaign draws the players' boxes and the merged
label over the image (an inline SVG in the image's pixel coordinates)."""

from __future__ import annotations

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from storage import SqlStore
from tests.locate.seeds import seed_locate
from tests.support.engine import consented, player
from tests.web.dashboard_world import ADMIN, serve, svgs


async def test_the_item_page_draws_the_players_boxes_and_the_merged_one(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    campaign = await seed_locate(store, 1)
    item_id = 0
    for i, box in ((1, "[40, 40, 50, 50]"), (2, "[42, 41, 50, 49]")):
        p = player(i)
        await consented(engine, p)
        card = await engine.play.next_task(p)
        rnd = await store.get_round(card.round_id or 0)
        assert rnd is not None
        item_id = rnd.item_id
        clock.advance(5)
        await engine.play.answer_value(p, rnd.id, '{"boxes": [' + box + "]}")
    path = f"/dashboard/campaigns/{campaign.id}/items/{item_id}"
    async with serve(engine) as web:
        status, _, html = await web.get(path, ADMIN)
    assert status == 200
    (svg,) = [s for s in svgs(html) if s.get("class") == "item"]
    assert svg.get("viewBox") == "0 0 320 240"
    ns = "{http://www.w3.org/2000/svg}"
    rects = [(r.get("x"), r.get("y"), r.get("width"), r.get("height"))
             for r in svg.iter() if r.tag in ("rect", ns + "rect")]  # fmt: skip
    assert ("41", "40.5", "50", "49.5") in rects  # the merged box
    assert ("40", "40", "50", "50") in rects and len(rects) == 3
