"""Gold feedback, onboarding and spam flags as players experience them."""

from __future__ import annotations

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.play.quality import (
    FAST_ALLOWED,
    QualityRules,
    assess,
    gold_rate,
    reliability,
    shown_flags,
)
from storage import SqlStore
from storage.rows import Standing
from tests.review.owned import own
from tests.support.engine import GENERAL, answer_payload, consented, player
from tests.support.seeds import seed_campaign


async def test_tutorial_comes_first_and_gold_feedback_is_immediate(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    """With 5 gold items the first 5 solo tasks are the tutorial, with explanations."""
    camp = await seed_campaign(store, items=12, gold=5)
    p = player(1)
    await consented(engine, p)
    card = await engine.play.next_task(p)
    for step in range(1, 6):
        assert card.text.startswith(f"🎓 Tutorial {step}/5 (get 4 of 5 right)")
        rnd = await store.get_round(card.round_id or 0)
        item = await store.get_item(rnd.item_id)  # type: ignore[union-attr]
        assert item is not None and item.gold is not None
        right = "Yes" if item.gold == "yes" else "No"
        wrong = "No" if right == "Yes" else "Yes"
        clock.advance(4)
        reply = (
            await engine.handle_button(p, answer_payload(card, right if step != 2 else wrong))
        ).chain()
        if step == 2:
            assert f"Not quite: the answer is {right}" in reply[0].text
        else:
            assert "✅ Right!" in reply[0].text
        assert item.gold_explanation and item.gold_explanation in reply[0].text
        card = reply[1]
    assert "Tutorial passed" in reply[0].text
    assert not card.text.startswith("🎓")
    st = await store.get_standing(1, camp.id)
    assert st.onboarding == "passed" and st.gold_right == 4 and st.gold_answered == 5


async def test_failed_tutorial_excludes_answers_until_retry(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    camp = await seed_campaign(store, items=8, gold=2)
    p = player(1, GENERAL)
    await consented(engine, p)
    card = await engine.play.next_task(p)
    for _ in range(2):
        rnd = await store.get_round(card.round_id or 0)
        item = await store.get_item(rnd.item_id)  # type: ignore[union-attr]
        wrong = "No" if item and item.gold == "yes" else "Yes"
        clock.advance(4)
        chain = (await engine.handle_button(p, answer_payload(card, wrong))).chain()
        card = chain[-1]
    assert "Tutorial not passed" in chain[0].text
    assert "tutorial retry in" in chain[-1].text
    st = await store.get_standing(1, camp.id)
    assert st.onboarding == "failed"
    rnd_card = await engine.play.post_round(player(0, GENERAL, moderator=True))
    clock.advance(4)
    reply = await engine.handle_button(p, answer_payload(rnd_card, "Yes"))
    assert "didn't pass the tutorial" in (reply.text or "")
    rnd = await store.get_round(rnd_card.round_id or 0)
    tally = await store.get_tally(camp.id, rnd.item_id)  # type: ignore[union-attr]
    assert tally is not None and tally.n_answers == 0
    answers = await store.round_answers(rnd_card.round_id or 0)
    assert answers[0].flag == "onboarding_failed"


async def test_too_fast_answers_are_flagged_from_the_third_kept_but_not_counted_or_paid(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    """`fast_answers_to_flag` = 3 (config.toml): the first two too-fast answers of a player in
    a campaign count; the third and later are flagged, kept, not counted and not paid."""
    camp = await own(engine, await seed_campaign(store, items=6))  # the moderator's community
    mod, p = player(0, GENERAL, moderator=True), player(1, GENERAL)
    await consented(engine, p)
    flags, texts = [], []
    card = await engine.play.next_task(p)
    for _ in range(4):
        clock.advance(0.4)
        chain = (await engine.handle_button(p, answer_payload(card, "Yes"))).chain()
        texts.append(chain[0].text)
        [answer] = await store.round_answers(card.round_id or 0)
        flags.append(answer.flag)
        card = chain[-1]
    assert flags == [None, None, "too_fast", "too_fast"]
    assert "quicker than 1.2s" not in texts[1] and "quicker than 1.2s" in texts[2]
    assert "+0 pts" in texts[2]
    tally = await store.get_tally(camp.id, answer.item_id)
    assert tally is not None and tally.n_answers == 0
    st = await store.get_standing(answer.player_id, camp.id)
    assert st.flags == {"too_fast": 2, FAST_ALLOWED: 2} and st.flagged == 2
    stats = await store.get_stats(answer.player_id)
    assert stats is not None and stats.answers == 4
    card = await engine.review.standing(mod, "u1")
    assert "too fast ×2" in card.text and FAST_ALLOWED not in card.text


def _fast(st: Standing, rules: QualityRules, latency_ms: int = 300) -> tuple[Standing, str | None]:
    a = assess(
        st,
        label="yes",
        is_gold=False,
        correct=None,
        latency_ms=latency_ms,
        now=0,
        rules=rules,
        gold_items=0,
    )
    return a.standing, a.flag


def test_rules_fast_answers_to_flag_counts_every_fast_answer_in_the_campaign() -> None:
    one = QualityRules(fast_answers_to_flag=1, onboarding_items=0)
    assert _fast(Standing(1, 1), one)[1] == "too_fast"
    rules = QualityRules(fast_answers_to_flag=3, onboarding_items=0)
    st, seen = Standing(1, 1), []
    for latency in (300, 300, 5000, 300, 300):
        st, flag = _fast(st, rules, latency)
        seen.append(flag)
    # not only in a row: a slow answer between fast ones does not reset the count
    assert seen == [None, None, None, "too_fast", "too_fast"]
    # a standing stored before the setting was read (every fast answer flagged) keeps counting
    old = Standing(1, 1, answers=2, flagged=2, flags={"too_fast": 2})
    assert _fast(old, rules)[1] == "too_fast"
    assert shown_flags({"too_fast": 1, FAST_ALLOWED: 2, "onboarding": 0}) == {"too_fast": 1}


def test_rules_same_answer_runs_and_gold_floor() -> None:
    rules = QualityRules(
        same_answer_run=3, gold_floor_min_answers=2, gold_accuracy_floor=0.5, onboarding_items=0
    )
    st = Standing(1, 1)
    flags: list[str | None] = []
    for _ in range(4):
        a = assess(
            st,
            label="yes",
            is_gold=False,
            correct=None,
            latency_ms=3000,
            now=0,
            rules=rules,
            gold_items=0,
        )
        st, flags = a.standing, [*flags, a.flag]
    assert flags == [None, None, "same_answer_run", "same_answer_run"]
    for _ in range(2):
        st = assess(
            st,
            label="no",
            is_gold=True,
            correct=False,
            latency_ms=3000,
            now=0,
            rules=rules,
            gold_items=10,
        ).standing
    a = assess(
        st,
        label="maybe",
        is_gold=False,
        correct=None,
        latency_ms=3000,
        now=0,
        rules=rules,
        gold_items=10,
    )
    assert a.flag == "low_gold_accuracy" and not a.counts
    assert reliability(st, rules) == (4 + 0) / (4 + 1 + 2)


def test_gold_schedule_decays_to_the_floor() -> None:
    rules = QualityRules()
    rates = [gold_rate(n, 0.0, rules) for n in (0, 9, 10, 49, 50, 99, 100, 10_000)]
    assert rates == [0.5, 0.5, 0.2, 0.2, 0.1, 0.1, 0.05, 0.05]
    assert gold_rate(500, 0.12, rules) == 0.12
