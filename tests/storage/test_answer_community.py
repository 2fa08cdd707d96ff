"""Issue 12 hole 17: each ledger line counts in its own answer's community. An item answered
in community X and finalized by an answer in community Y pays the X player's consensus bonus
in X, so Y's board does not list a player who never played there; a store written before the
fix (migration 006) is corrected at upgrade and its boards rebuilt at the next start."""

from __future__ import annotations

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.models import ChannelRef, CommunityRef, Kind
from storage import SqlStore, open_store
from tests.support.engine import GENERAL, answer_payload, consented, player
from tests.support.seeds import seed_campaign
from tests.support.settings import settings_for

OTHER_GUILD = CommunityRef("discord", "g2", "Other Club")
OTHER = ChannelRef("discord", "c2", "lobby", Kind.GROUP, OTHER_GUILD)


async def community_board(store: SqlStore, community_id: int) -> tuple[set[int], set[int]]:
    """Players with ledger points in the community, and players on its rollup board."""
    async with store.db.transaction() as tx:
        ledger = await tx.fetch(
            "SELECT DISTINCT player_id FROM ledger WHERE community_id = ? AND points <> 0",
            (community_id,),
        )
        rollup = await tx.fetch(
            "SELECT player_id FROM board_totals WHERE scope = 1 AND scope_id = ? AND all_pts > 0",
            (community_id,),
        )
    return {int(r[0]) for r in ledger}, {int(r[0]) for r in rollup}


async def play_across_communities(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> tuple[int, int, int, int]:
    """A shared campaign of one item: player 1 answers it in X (#general), then player 2
    finalizes it in Y (#lobby). Returns (x, y, x player id, y player id)."""
    await seed_campaign(
        store, game="classify", items=1, min_overlap=2, max_overlap=3, confidence=0.5
    )
    x_player, y_player = player(1, GENERAL), player(2, OTHER)
    await consented(engine, x_player, y_player)
    card = await engine.play.post_round(player(0, GENERAL, moderator=True))
    clock.advance(5)
    await engine.handle_button(x_player, answer_payload(card, "red"))
    await engine.play.close_round(card.round_id or 0)
    card2 = await engine.play.post_round(player(9, OTHER, moderator=True))
    clock.advance(5)
    reply = await engine.handle_button(y_player, answer_payload(card2, "red"))
    assert "finalized this item" in (reply.notice or "")
    x = (await engine.kernel.channel(GENERAL)).community_id
    y = (await engine.kernel.channel(OTHER)).community_id
    assert x is not None and y is not None and x != y
    x_id = (await store.round_answers(card.round_id or 0))[0].player_id
    y_id = (await store.round_answers(card2.round_id or 0))[0].player_id
    return x, y, x_id, y_id


async def test_consensus_points_count_in_each_answers_own_community(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    x, y, x_id, y_id = await play_across_communities(engine, store, clock)
    assert await community_board(store, y) == ({y_id}, {y_id})
    assert await community_board(store, x) == ({x_id}, {x_id})
    consensus = [e for e in await store.ledger_for(x_id) if e.kind == "consensus"]
    assert consensus and all(e.points > 0 for e in consensus)


async def _make_it_a_pre_006_store(store: SqlStore, y: int) -> None:
    """What a store written by the old batch looks like: no answer community, consensus rows
    credited to the finalizer's community Y, a rollup built from them, schema version 5."""
    async with store.db.transaction() as tx:
        await tx.execute("ALTER TABLE answers DROP COLUMN community_id")
        await tx.execute("UPDATE ledger SET community_id = ? WHERE kind = 'consensus'", (y,))
        await tx.execute("DELETE FROM schema_version WHERE version = 6")
    await store.rebuild_boards({}, "UTC", 1_767_225_700.0)


async def test_upgrade_corrects_the_ledger_and_rebuilds_the_boards(db_url: str) -> None:
    clock = ManualClock()
    store = await open_store(db_url)
    engine = Engine(store, settings_for(":memory:"), clock)
    try:
        x, y, x_id, y_id = await play_across_communities(engine, store, clock)
        await engine.close()
        await _make_it_a_pre_006_store(store, y)
        assert await community_board(store, y) == ({x_id, y_id}, {x_id, y_id})  # the bug
    finally:
        await store.close()
    store = await open_store(db_url)  # applies migration 006
    engine = Engine(store, settings_for(":memory:"), clock)
    try:
        await engine.reward_jobs.start_rewards()
        assert await community_board(store, y) == ({y_id}, {y_id})
        assert await community_board(store, x) == ({x_id}, {x_id})
        answers = await store.player_answers(x_id)
        assert [a.community_id for a in answers] == [x]
    finally:
        await engine.close()
        if store.dialect == "postgres":
            await store.db.drop_schema()  # type: ignore[attr-defined]
        await store.close()
