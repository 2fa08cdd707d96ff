"""Standings: what a moderator sees about a player, and what a reset gives back."""

from __future__ import annotations

import pytest

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.errors import InvalidInput, NotFound, PermissionDenied
from bot.core.kernel.models import Reply
from storage import SqlStore
from tests.review.owned import own
from tests.support.engine import GENERAL, MOD, answer_payload, choice_payload, consented, player
from tests.support.seeds import fast_answers_before, seed_campaign


async def fail_tutorial_and_rush(engine: Engine, store: SqlStore, clock: ManualClock) -> int:
    """Player 1 answers the 5 tutorial items wrong (one gold item is left unseen for a retry),
    then one round answer too fast."""
    camp = await own(engine, await seed_campaign(store, items=12, gold=6))
    p = player(1, GENERAL)
    await consented(engine, p)
    card: Reply = await engine.play.next_task(p)
    for _ in range(5):
        rnd = await store.get_round(card.round_id or 0)
        item = await store.get_item(rnd.item_id)  # type: ignore[union-attr]
        wrong = "No" if item and item.gold == "yes" else "Yes"
        clock.advance(4)
        card = (await engine.handle_button(p, answer_payload(card, wrong))).chain()[-1]
    rnd_card = await engine.play.post_round(MOD)
    await fast_answers_before(engine.store, "discord", "u1", camp.id)
    clock.advance(0.3)
    await engine.handle_button(p, answer_payload(rnd_card, "Yes"))
    return camp.id


async def test_standing_shows_accuracy_tutorial_and_flags_with_reasons(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    await fail_tutorial_and_rush(engine, store, clock)
    card = await engine.review.standing(MOD, "u1", "Player1")
    assert card.text.startswith("🧾 Standing · Player1")
    assert "colours: 6 answers · check items 0/5 right (0%)" in card.text
    # Beta(4, 1) prior: (4 + 0 right) / (4 + 1 + 5 answered)
    assert f"reliability {4 / 10:.2f}" in card.text
    assert "tutorial failed, retry in 60 min" in card.text
    assert "⚠️ too fast ×1: answered in under 1.2s" in card.text
    assert [c.label for row in card.choices for c in row] == ["♻️ Reset standing"]


async def test_reset_clears_flags_and_gold_record_and_allows_a_retry_now(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    camp_id = await fail_tutorial_and_rush(engine, store, clock)
    p = player(1, GENERAL)
    assert "tutorial retry in" in (await engine_next_note(engine, p))
    card = await engine.review.standing(MOD, "u1")
    done = await engine.handle_button(MOD, choice_payload(card, "♻️ Reset standing"))
    assert done.replace and done.notice == "Standing reset."
    assert "spam counters and check-item record cleared" in done.text
    assert "tutorial pending (0/5 done, needs 4 right)" in done.text and "⚠️" not in done.text
    st = await store.get_standing(
        (await store.get_identity("discord", "u1")).player_id,  # type: ignore[union-attr]
        camp_id,
    )
    assert (st.gold_answered, st.gold_right, st.flagged, st.flags) == (0, 0, 0, {})
    assert st.answers == 6  # answers stay
    nxt = await engine.play.next_task(p)
    assert nxt.text.startswith("🎓 Tutorial")  # no cooldown: the tutorial starts over
    [entry] = await store.review_log()
    assert entry.action == "reset_standing" and entry.actor == "discord:u90"
    assert entry.detail["before"][str(camp_id)]["onboarding"] == "failed"


async def engine_next_note(engine: Engine, p: object) -> str:
    from bot.core.kernel.errors import NoTaskAvailable

    try:
        reply = await engine.play.next_task(p)  # type: ignore[arg-type]
    except NoTaskAvailable as exc:
        return exc.message
    return reply.text


async def test_standing_refusals_say_what_is_wrong(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    await fail_tutorial_and_rush(engine, store, clock)
    with pytest.raises(PermissionDenied, match="Only moderators can use /standing"):
        await engine.review.standing(player(5, GENERAL), "u1")
    card = await engine.review.standing(MOD, "u1")
    with pytest.raises(PermissionDenied):
        await engine.handle_button(player(5, GENERAL), choice_payload(card, "♻️ Reset standing"))
    with pytest.raises(NotFound, match="Zed hasn't joined LabelQuest"):
        await engine.review.standing(MOD, "u404", "Zed")
    with pytest.raises(InvalidInput, match="Whose standing"):
        await engine.review.standing(MOD, None)
