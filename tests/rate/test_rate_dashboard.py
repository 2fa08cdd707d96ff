"""A rate campaign on the dashboard (real HTTP on loopback, SQLite and PostgreSQL): the
campaign page's agreement is the interval alpha, the item page shows the median and every
rating."""

from __future__ import annotations

import re

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from storage import SqlStore
from tests.rate.seed import seed_rate
from tests.support.engine import vote_round
from tests.web.dashboard_world import ADMIN, serve


async def test_campaign_and_item_pages_of_a_rate_campaign(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    camp = await seed_rate(store)
    item = await vote_round(engine, clock, ["4", "4", "5 · full"], first=1)
    await vote_round(engine, clock, ["1 · empty", "2", "2"], first=10)
    async with serve(engine) as web:
        status, _, html = await web.get(f"/dashboard/campaigns/{camp.id}", ADMIN)
        assert status == 200
        # Units (4, 4, 5) and (1, 2, 2): alpha (interval) = 31/36 = 0.861; nominal would differ.
        assert "Krippendorff&#x27;s α)</dt><dd>0.861</dd>" in html
        status, _, html = await web.get(f"/dashboard/campaigns/{camp.id}/items/{item}", ADMIN)
        assert status == 200
        assert re.search(r"<dt>Label</dt><dd>4</dd>", html)
        assert re.search(r"<dt>Confidence</dt><dd>1(\.0+)?</dd>", html)
        # each answer as the game describes it ("5 (full)": the scale's end label)
        assert sorted(re.findall(r"<td>([1-5])(?: \(\w+\))?</td>", html)) == ["4", "4", "5"]
        assert "<td>5 (full)</td>" in html
