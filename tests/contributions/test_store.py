"""Contributions in the store, on SQLite and PostgreSQL: the item they become, the author
never served it, settled once, withdrawn from every listing when deleted or forgotten."""

from __future__ import annotations

from storage import ACCEPTED, REJECTED, NewContribution, SqlStore
from storage.rows import NewItem
from tests.support.seeds import seed_campaign

NOW = 1_767_225_600.0


async def _player(store: SqlStore, uid: str) -> int:
    row = await store.create_player("telegram", uid, uid, 1, NOW)
    return row.id


def _photo(n: int) -> NewItem:
    return NewItem(
        kind="image", source=f"photo:{n}", candidate="chair", media=b"\x89PNG", mime="image/png"
    )


async def test_author_is_never_served_their_contribution(store: SqlStore) -> None:
    campaign = await seed_campaign(store, items=0, min_overlap=1, max_overlap=2)
    ann, bob = await _player(store, "ann"), await _player(store, "bob")
    c = await store.add_contribution(
        NewContribution(campaign.id, ann, "photo", "telegram", _photo(1), meta={"a": 1}), NOW
    )
    assert (await store.contribution_of_item(c.item_id)) == c
    assert c.meta == {"a": 1} and c.settled_at is None
    assert (
        await store.reserve_solo_item(campaign.id, ann, gold=False, platform="t", now=NOW) is None
    )
    rnd = await store.reserve_solo_item(campaign.id, bob, gold=False, platform="t", now=NOW)
    assert rnd is not None and rnd.item_id == c.item_id


async def test_settled_once_and_listed(store: SqlStore) -> None:
    campaign = await seed_campaign(store, items=0)
    ann = await _player(store, "ann")
    c1 = await store.add_contribution(
        NewContribution(campaign.id, ann, "photo", "telegram", _photo(1)), NOW
    )
    c2 = await store.add_contribution(
        NewContribution(campaign.id, ann, "translation", "discord", _photo(2)), NOW
    )
    assert await store.decided_unsettled("photo") == []
    async with store.db.transaction() as tx:
        await tx.execute(
            "UPDATE tallies SET status = 'finalized', label = 'yes' WHERE item_id = ?",
            (c1.item_id,),
        )
    ((row, tally),) = await store.decided_unsettled("photo")
    assert row.id == c1.id and tally.label == "yes"
    settled = await store.settle_contribution(c1.id, ACCEPTED, NOW + 1)
    assert settled is not None and settled.outcome == ACCEPTED
    assert await store.settle_contribution(c1.id, REJECTED, NOW + 2) is None
    assert await store.decided_unsettled("photo") == []
    assert [c.id for c in await store.player_contributions(ann)] == [c1.id, c2.id]
    assert [c.id for c in await store.player_contributions(ann, "translation")] == [c2.id]
    assert [c.id for c in await store.campaign_contributions(campaign.id, "photo")] == [c1.id]


async def test_delete_and_forget_withdraw_the_media(store: SqlStore) -> None:
    campaign = await seed_campaign(store, items=0)
    ann = await _player(store, "ann")
    c1 = await store.add_contribution(
        NewContribution(campaign.id, ann, "photo", "telegram", _photo(1)), NOW
    )
    c2 = await store.add_contribution(
        NewContribution(campaign.id, ann, "photo", "telegram", _photo(2)), NOW
    )
    assert await store.get_media(c1.item_id) is not None
    assert await store.delete_contribution(c1.id) is True
    assert await store.delete_contribution(c1.id) is False
    assert await store.get_media(c1.item_id) is None
    tally = await store.get_tally(campaign.id, c1.item_id)
    assert tally is not None and tally.status == "hidden"
    await store.delete_player(ann)
    assert await store.get_media(c2.item_id) is None
    assert await store.get_contribution(c2.id) is None
