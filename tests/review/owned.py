"""Give a seeded (shared) campaign to the guild of `tests.support.engine.GENERAL`: since
issue 12 only bot admins moderate shared campaigns, so a community moderator's tests use a
campaign of their own community."""

from __future__ import annotations

from bot.core.engine import Engine
from bot.core.kernel.models import ChannelRef
from storage import CampaignRow
from tests.support.engine import GENERAL


async def own(engine: Engine, camp: CampaignRow, channel: ChannelRef = GENERAL) -> CampaignRow:
    community = (await engine.kernel.channel(channel)).community_id
    async with engine.store.db.transaction() as tx:
        await tx.execute(
            "UPDATE campaigns SET community_id = ? WHERE id = ?", (community, camp.id)
        )
        await tx.execute(
            "UPDATE datasets SET community_id = ? WHERE id = ?", (community, camp.dataset_id)
        )
    engine.kernel.forget_campaign(camp.id)
    found = await engine.store.get_campaign(camp.id)
    assert found is not None
    return found


async def own_in(engine: Engine, camp: CampaignRow, community_external_id: str) -> None:
    """`own` for end-to-end tests: the community the bot has seen by its platform id."""
    async with engine.store.db.transaction() as tx:
        cid = await tx.fetchval(
            "SELECT id FROM communities WHERE external_id = ?", (community_external_id,)
        )
        assert cid is not None
        await tx.execute("UPDATE campaigns SET community_id = ? WHERE id = ?", (cid, camp.id))
        await tx.execute(
            "UPDATE datasets SET community_id = ? WHERE id = ?", (cid, camp.dataset_id)
        )
    engine.kernel.forget_campaign(camp.id)
