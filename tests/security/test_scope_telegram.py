"""The scope rule end to end on Telegram (the real App against the fake Bot API): a stranger
makes their own group, becomes its administrator, and asks for community A's campaign and
dataset by name. Each answer reads like a missing object and nothing changes."""

from __future__ import annotations

from tests.support.telegram_world import World, shown


async def own_by_group(tg: World, campaign_id: int, dataset_id: int, chat_id: int) -> None:
    async with tg.store.db.transaction() as tx:
        cid = await tx.fetchval(
            "SELECT id FROM communities WHERE external_id = ?", (str(chat_id),)
        )
        await tx.execute("UPDATE campaigns SET community_id = ? WHERE id = ?", (cid, campaign_id))
        await tx.execute("UPDATE datasets SET community_id = ? WHERE id = ?", (cid, dataset_id))
    tg.engine.kernel.forget_campaign(campaign_id)


async def test_a_strangers_group_gets_nothing_of_community_a(tg: World) -> None:
    await tg.start()
    camp = await tg.campaign(items=4)
    mod = tg.person(7, "Mo")
    group = tg.group()
    tg.fake.set_admins(group, mod)
    await tg.fake.send_command(group, mod, "/campaign", "list")
    await tg.sent(group["id"], text="colours")
    await own_by_group(tg, camp.id, camp.dataset_id, group["id"])

    eve = tg.person(66, "Eve")
    hers = tg.fake.group(-100999, "Eve's own")
    tg.fake.set_admins(hers, eve)
    await tg.fake.send_command(hers, eve, "/round", "colours")
    refused = await tg.sent(hers["id"], text="There is no campaign named 'colours'.")
    assert "Labelers" not in shown(refused)
    await tg.fake.send_command(
        hers, eve, "/campaign", "create Mine game=verify dataset=colours-data"
    )
    refused = await tg.sent(hers["id"], text="There is no dataset named 'colours-data'")
    assert "(datasets: none yet)" in shown(refused)
    assert await tg.count("rounds") == 0
    assert await tg.store.get_campaign_by_name("Mine") is None
