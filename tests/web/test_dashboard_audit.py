"""The audit log page through real HTTP on loopback (SQLite and PostgreSQL): both logs in
one list, newest first, paginated, for bot admins only (as `/audit` in chat): a moderator
gets 404 as for a page that does not exist."""

from __future__ import annotations

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from storage import SqlStore
from storage.rows import ReviewLogEntry
from tests.support.seeds import seed_campaign
from tests.web.dashboard_world import ADMIN, moderator_of, serve
from tests.web.test_dashboard_pages import campaign_in, community

T0 = 1_767_225_600.0


async def test_the_audit_log_is_scoped_newest_first_and_paginated(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    shared = await seed_campaign(store, name="shared")
    a, b = await community(store, "A"), await community(store, "B")
    in_a = await campaign_in(store, shared, "in-a", a)
    in_b = await campaign_in(store, shared, "in-b", b)
    for i in range(55):
        await store.add_audit(
            at=T0 + i, actor="Mo (telegram 7)", action="schedule.set", target="in-a",
            campaign_id=in_a, detail=f"slot {i}",
        )  # fmt: skip
    await store.add_audit(
        at=T0 + 100, actor="Bo (telegram 8)", action="campaign.pause", target="in-b",
        campaign_id=in_b,
    )  # fmt: skip
    item = (await store.campaign_items(in_a))[0].id
    entry = ReviewLogEntry("label", "telegram:7", T0 + 200, None, in_a, item, None, {"label": "x"})
    assert await store.set_expert_label(in_a, item, "yes", entry) is not None
    clock.advance(1000)
    await engine.access.create("pipeline")  # token.create: about no campaign, the newest

    async with serve(engine) as web:
        status, _, html = await web.get("/dashboard/audit", moderator_of(a))
        assert status == 404 and "slot" not in html
        status, _, html = await web.get("/dashboard/audit", ADMIN)
        assert status == 200
        assert "58 entries" in html and "page 1 of 2" in html
        assert html.index("token.create") < html.index("label") < html.index("campaign.pause")
        assert html.index("campaign.pause") < html.index("slot 54") < html.index("slot 53")
        assert f'href="/dashboard/campaigns/{in_a}/items/{item}"' in html
        _, _, page2 = await web.get("/dashboard/audit?page=2", ADMIN)
        assert "page 2 of 2" in page2 and "slot 0" in page2 and "slot 54" not in page2
