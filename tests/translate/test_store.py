"""The translate game's store, on SQLite and PostgreSQL: languages go with the player,
excluded players are never served an item, a source is decided once."""

from __future__ import annotations

import asyncio

from storage import SOURCE_ACCEPTED, SOURCE_COMPARING, SqlStore
from storage.rows import NewItem
from tests.support.seeds import seed_campaign

NOW = 1_767_225_600.0


async def _player(store: SqlStore, uid: str) -> int:
    return (await store.create_player("telegram", uid, uid, 1, NOW)).id


async def test_languages_replace_clear_and_go_with_the_player(store: SqlStore) -> None:
    ann, bob = await _player(store, "ann"), await _player(store, "bob")
    await store.set_player_languages(ann, ["en", "de", "de"])
    await store.set_player_languages(bob, ["fr"])
    assert await store.player_languages(ann) == ["de", "en"]
    await store.set_player_languages(ann, ["fr"])
    assert await store.player_languages(ann) == ["fr"]
    await store.set_player_languages(ann, [])
    assert await store.player_languages(ann) == []
    await store.delete_player(bob)
    async with store.db.read() as conn:
        assert await conn.fetchval("SELECT COUNT(*) FROM player_languages") == 0


async def test_an_excluded_player_is_never_served_the_item(store: SqlStore) -> None:
    campaign = await seed_campaign(store, items=1, min_overlap=1, max_overlap=3)
    ann, bob = await _player(store, "ann"), await _player(store, "bob")
    (item,) = await store.campaign_items(campaign.id)
    await store.exclude_players(item.id, [ann, ann])
    await store.exclude_players(item.id, [ann])
    assert await store.excluded_players(item.id) == [ann]
    got = await store.reserve_solo_item(campaign.id, ann, gold=False, platform="t", now=NOW)
    assert got is None
    rnd = await store.reserve_solo_item(campaign.id, bob, gold=False, platform="t", now=NOW)
    assert rnd is not None and rnd.item_id == item.id


async def test_a_comparison_opens_once_and_a_source_is_decided_once(store: SqlStore) -> None:
    campaign = await seed_campaign(store, items=2, min_overlap=1, max_overlap=3, text_items=True)
    ann, bob, cid = await _player(store, "ann"), await _player(store, "bob"), campaign.id
    source, other = await store.campaign_items(cid)
    pair = NewItem(kind="text", source="pair:1", text="Hi", meta={"stage": "pair"})
    opened = await asyncio.gather(
        *(store.open_comparison(cid, source.id, pair, [ann, bob], NOW) for _ in range(2))
    )
    pair_ids = [p for p in opened if p is not None]
    assert len(pair_ids) == 1
    assert await store.excluded_players(pair_ids[0]) == sorted([ann, bob])
    (row,) = await store.translate_sources(cid)
    assert row.state == SOURCE_COMPARING and row.pair_item_id == pair_ids[0]
    assert await store.get_tally(cid, pair_ids[0]) is not None
    won = await asyncio.gather(
        store.decide_source(cid, source.id, accepted_item_id=None, label="Hallo", score=0.9,
                            now=NOW),
        store.decide_source(cid, source.id, accepted_item_id=None, label="Servus", score=0.8,
                            now=NOW),
    )  # fmt: skip
    assert sorted(won) == [False, True]
    t = await store.get_tally(cid, source.id)
    assert t is not None and t.status == "finalized" and t.label in ("Hallo", "Servus")
    assert t.confidence == (0.9 if t.label == "Hallo" else 0.8)
    # a source decided without comparison (one valid candidate) is decided once too
    assert await store.decide_source(
        cid, other.id, accepted_item_id=None, label=None, score=None, now=NOW
    )
    assert not await store.decide_source(
        cid, other.id, accepted_item_id=None, label="late", score=1.0, now=NOW
    )
    states = {r.item_id: r.state for r in await store.translate_sources(cid)}
    assert states == {source.id: SOURCE_ACCEPTED, other.id: "review"}
    t2 = await store.get_tally(cid, other.id)
    assert t2 is not None and t2.status == "review"
