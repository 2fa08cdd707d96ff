"""Review queries of the store, on SQLite and PostgreSQL."""

from __future__ import annotations

from storage import SqlStore
from storage.rows import Standing
from storage.store_review import ReviewLogEntry
from tests.support.seeds import seed_campaign

NOW = 1_767_225_600.0


async def put_in_review(store: SqlStore, campaign_id: int, item_ids: list[int]) -> None:
    async with store.db.transaction() as tx:
        for item_id in item_ids:
            await tx.execute(
                "UPDATE tallies SET status = 'review', n_answers = 3 WHERE campaign_id = ? "
                "AND item_id = ?",
                (campaign_id, item_id),
            )


async def test_queue_pages_both_ways_across_campaigns(store: SqlStore) -> None:
    a = await seed_campaign(store, name="a", items=4, gold=1)
    b = await seed_campaign(store, name="b", items=3)
    await put_in_review(store, a.id, [1, 2, 4])  # item 1 is gold: never in the queue
    await put_in_review(store, b.id, [6])
    ids = [a.id, b.id]

    def keys(rows: list) -> list[tuple[int, int]]:  # type: ignore[type-arg]
        return [(t.campaign_id, t.item_id) for t in rows]

    assert keys(await store.review_queue(ids, limit=10)) == [(a.id, 2), (a.id, 4), (b.id, 6)]
    assert keys(await store.review_queue(ids, after=(a.id, 2))) == [(a.id, 4)]
    assert keys(await store.review_queue(ids, after=(a.id, 4))) == [(b.id, 6)]
    assert keys(await store.review_queue(ids, before=(b.id, 6))) == [(a.id, 4)]
    assert await store.review_queue(ids, before=(a.id, 2)) == []
    assert keys(await store.review_queue([b.id], limit=10)) == [(b.id, 6)]
    assert await store.review_counts(ids) == {a.id: 2, b.id: 1}
    assert await store.review_position(a.id, 4) == 2


async def test_expert_label_and_gold_are_stored_with_their_log(store: SqlStore) -> None:
    camp = await seed_campaign(store, items=3)
    await put_in_review(store, camp.id, [2])
    entry = ReviewLogEntry("label", "cli", NOW, None, camp.id, 2, None, {"label": "no"})
    t = await store.set_expert_label(camp.id, 2, "no", entry, gold_explanation="Not red.")
    assert t is not None and (t.status, t.reviewed_label, t.reviewed_by) == (
        "reviewed",
        "no",
        "cli",
    )
    assert (await store.campaign_gold(camp.id))[2] == ("no", "Not red.")
    item = await store.get_item(2)
    assert item is not None and item.gold is None  # gold is per campaign
    assert [e.action for e in await store.review_log()] == ["gold", "label"]
    assert await store.set_expert_label(camp.id, 99, "no", entry) is None
    assert await store.review_queue([camp.id]) == []


async def test_reset_clears_counters_and_reopens_only_a_failed_tutorial(store: SqlStore) -> None:
    camp = await seed_campaign(store, items=2)
    players = [
        (await store.create_player("discord", f"u{i}", f"P{i}", 1, NOW)).id for i in range(3)
    ]
    flags = {"too_fast": 2, "onboarding_failed": 1}
    states = [("failed", NOW), ("passed", None), ("pending", None)]
    for pid, (state, failed_at) in zip(players, states, strict=True):
        await store.save_standing(
            Standing(pid, camp.id, 9, 4, 1, state, 3, 1, failed_at, "yes", 2, 2, flags), NOW
        )
    for pid in players:
        entry = ReviewLogEntry("reset_standing", "discord:1", NOW, pid, None, None, pid)
        assert await store.reset_standings(pid, [camp.id], entry) == 1
    failed, passed, pending = [await store.get_standing(p, camp.id) for p in players]
    for st in (failed, passed, pending):
        assert (st.gold_answered, st.gold_right, st.flagged, st.flags, st.same_run) == (
            0,
            0,
            0,
            {},
            0,
        )
        assert st.answers == 9 and st.onboarding_failed_at is None and st.last_label is None
    assert (failed.onboarding, failed.onboarding_answered, failed.onboarding_right) == (
        "pending",
        0,
        0,
    )
    assert passed.onboarding == "passed"
    assert (pending.onboarding, pending.onboarding_answered) == ("pending", 3)
    assert await store.reviews_done(players[0]) == 0  # resets are not reviews
    assert await store.reset_standings(players[0], [], entry) == 0
    assert len(await store.review_log()) == 3


async def test_reviews_done_counts_labels_by_the_moderator(store: SqlStore) -> None:
    camp = await seed_campaign(store, items=3)
    mod = (await store.create_player("discord", "m", "Mo", 1, NOW)).id
    for item in (1, 2):
        entry = ReviewLogEntry("label", "discord:m", NOW, mod, camp.id, item, None)
        await store.set_expert_label(camp.id, item, "yes", entry)
    assert await store.reviews_done(mod) == 2
    assert [t.campaign_id for t in await store.item_tallies(1)] == [camp.id]
