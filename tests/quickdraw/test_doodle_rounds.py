"""Doodle rounds through the engine: the card, guesses, scoring, hints, the end, the labels."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from PIL import Image

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.errors import NotFound, RateLimited, RoundClosed
from bot.core.kernel.events import RoundChanged
from bot.core.quickdraw import base as qd_base
from bot.core.quickdraw.base import reward
from bot.core.quickdraw.cards import ATTRIBUTION
from storage import SqlStore
from tests.support.doodles import doodle_campaign, person, players, rows
from tests.support.seeds import seed_campaign

MOD = person(1, "Mo", mod=True)


async def _round(engine: Engine, store: SqlStore, *words: str) -> int:
    await doodle_campaign(store, words or ("cat",))
    card = await engine.play.post_round(MOD)
    assert card.round_id is not None
    return card.round_id


async def test_a_round_shows_the_replay_and_hides_the_word(
    engine: Engine, store: SqlStore
) -> None:
    await doodle_campaign(store, ("umbrella",))
    card = await engine.play.post_round(MOD)
    assert card.media is not None and card.media.kind == "animation"
    assert card.media.filename.endswith(".gif") and card.media.data[:6] == b"GIF89a"
    assert "umbrella" not in card.text.lower() and "umbrella" not in card.media.alt_text
    assert "_ _ _ _ _ _ _ _" in card.text and "(8 letters)" in card.text
    assert ATTRIBUTION in card.text
    assert card.guess_round_id == card.round_id
    assert [c.label for row in card.choices for c in row] == ["Guess ✏️"]


async def test_the_replay_is_rendered_once_per_doodle(
    engine: Engine, store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    campaign = await doodle_campaign(store, ("cat",))
    (item,) = await store.dataset_items(campaign.dataset_id)
    renders: list[tuple[Any, ...]] = []
    real = qd_base.render_doodle_gif

    def counted(*args: Any) -> bytes:
        renders.append(args)
        return real(*args)

    monkeypatch.setattr(qd_base, "render_doodle_gif", counted)
    first = await engine.kernel.media(item)
    second = await engine.kernel.media(item)
    assert first is not None and second is first and len(renders) == 1
    with Image.open(io.BytesIO(first.data)) as gif:
        assert gif.format == "GIF" and gif.size == (256, 256) and gif.n_frames > 1


async def test_right_guesses_score_by_order_and_speed(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    rid = await _round(engine, store)
    ann, bob, cy = await players(engine, "Ann", "Bob", "Cy")
    clock.advance(6)
    first = await engine.quickdraw.guess(ann, "Cat")
    second = await engine.quickdraw.guess(bob, "  KITTY ")  # a synonym, any case and spacing
    assert first.text.startswith("✅") and second.text.startswith("✅")
    pts = {
        pid: p
        for pid, p in await rows(
            store, "SELECT player_id, points FROM ledger WHERE kind = 'guess'"
        )
    }
    a, b = sorted(pts.values(), reverse=True)
    assert abs(a - 2 * b) <= 1  # same moment: the first earns twice the second
    clock.advance(20)
    third = await engine.quickdraw.guess(cy, "cats")
    assert third.text.startswith("✅")
    late = (await rows(store, "SELECT points FROM guesses WHERE text = 'cats'"))[0][0]
    assert late < b  # third and slower
    closed = await engine.play.round_card(rid)
    assert "The word was: cat" in closed.text
    lines = closed.text.splitlines()
    assert any(line.startswith("🥇 Ann · 6.0 s") for line in lines)
    assert any(line.startswith("🥉 Cy · 26.0 s") for line in lines)
    assert ATTRIBUTION in closed.text


async def test_close_and_wrong_guesses_earn_nothing_and_say_so_privately(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    await _round(engine, store)
    (ann,) = await players(engine, "Ann")
    clock.advance(3)
    close = await engine.quickdraw.guess(ann, "cta")
    assert close.ephemeral and "close" in close.text.lower() and close.notice
    wrong = await engine.quickdraw.guess(ann, "car")  # another category is wrong, not close
    assert wrong.text.startswith("❌") and "1 guess left" in wrong.text
    assert await rows(store, "SELECT 1 FROM ledger WHERE kind = 'guess'") == []
    kinds = await rows(store, "SELECT kind, correct, is_first FROM guesses ORDER BY id")
    assert kinds == [("close", 0, 1), ("wrong", 0, 0)]
    (answer,) = await rows(store, "SELECT label, extra FROM answers")
    assert answer[0] == "cat"  # a typo of the word names the word
    assert json.loads(answer[1])["match"] == "close"


async def test_guessing_is_rate_limited_per_player_and_round(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    await _round(engine, store)
    ann, bob = await players(engine, "Ann", "Bob")
    clock.advance(2)
    for word in ("dog", "cow", "owl"):
        await engine.quickdraw.guess(ann, word)
    with pytest.raises(RateLimited, match="3 guesses"):
        await engine.quickdraw.guess(ann, "cat")
    for _ in range(3):
        await engine.quickdraw.guess(bob, "x")
        clock.advance(0.1)
    with pytest.raises(RateLimited, match="3 guesses"):
        await engine.quickdraw.guess(bob, "cat")
    with pytest.raises(RateLimited, match="Too many"):
        await engine.quickdraw.guess(bob, "cat")  # the 5th attempt within 3 s is a burst: muted
    clock.advance(5)
    with pytest.raises(RateLimited, match="3 guesses"):
        await engine.quickdraw.guess(bob, "cat")


async def test_hints_reveal_letters_on_the_card_and_lower_the_points(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    rid = await _round(engine, store, "house")
    (ann,) = await players(engine, "Ann")
    events: list[RoundChanged] = []
    engine.bus.subscribe(lambda e: events.append(e) if isinstance(e, RoundChanged) else None)
    card = await engine.play.round_card(rid)
    assert "_ _ _ _ _" in card.text and "0 of 2 hints" in card.text
    clock.advance(19)
    await engine.tick()
    assert events == []
    clock.advance(2)  # hint 1 of 2 at 60 s / 3 = 20 s
    await engine.tick()
    assert [e.round_id for e in events] == [rid]
    card = await engine.play.round_card(rid)
    assert "1 of 2 hints" in card.text
    mask = card.text.split("🔤 ")[1].split("   (")[0]
    assert sum(ch.isalpha() for ch in mask) == 1 and mask.replace(" ", "").strip("_") in "house"
    await engine.tick()
    assert len(events) == 1  # nothing new: no edit
    await engine.quickdraw.guess(ann, "house")
    ((points, hints),) = await rows(store, "SELECT points, hints_shown FROM guesses")
    cfg = engine.settings.quickdraw
    assert hints == 1 and points == reward(cfg, 1, 21, 60, 1, 2) < reward(cfg, 1, 21, 60, 0, 2)


async def test_a_round_ends_at_its_timeout_and_late_guesses_are_refused(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    rid = await _round(engine, store)
    (ann,) = await players(engine, "Ann")
    clock.advance(engine.settings.quickdraw.round_seconds + 1)
    with pytest.raises(RoundClosed):
        await engine.quickdraw.guess(ann, "cat")  # the tick has not run yet: still refused
    assert await engine.tick() == 1
    card = await engine.play.round_card(rid)
    assert "Nobody got it" in card.text and "The word was: cat" in card.text
    assert card.choices == ()
    with pytest.raises(NotFound, match="No doodle round"):
        await engine.quickdraw.guess(ann, "cat")


async def test_the_first_guess_is_the_answer_and_every_guess_keeps_its_context(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    await _round(engine, store)
    ann, bob, cy = await players(engine, "Ann", "Bob", "Cy")
    clock.advance(4)
    await engine.quickdraw.guess(ann, "dog")
    await engine.quickdraw.guess(bob, "cat", public=True)  # said out loud in the group
    await engine.quickdraw.guess(ann, "cat")
    await engine.quickdraw.guess(cy, "kitten")
    answers = {
        pid: (label, json.loads(extra))
        for pid, label, extra in await rows(store, "SELECT player_id, label, extra FROM answers")
    }
    ids = {name: pid for pid, name in await rows(store, "SELECT id, display_name FROM players")}
    assert answers[ids["Ann"]][0] == "dog" and answers[ids["Ann"]][1]["correct"] is True
    assert answers[ids["Bob"]][1]["first_correct"] is True
    assert "first_correct" not in answers[ids["Cy"]][1]
    guesses = await rows(
        store, "SELECT player_id, text, is_first, after_reveal, correct FROM guesses ORDER BY id"
    )
    assert guesses == [
        (ids["Ann"], "dog", 1, 0, 0),
        (ids["Bob"], "cat", 1, 0, 1),
        (ids["Ann"], "cat", 0, 1, 1),
        (ids["Cy"], "kitten", 1, 1, 1),
    ]


async def test_a_player_who_got_it_is_told_so_again(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    await _round(engine, store)
    (ann,) = await players(engine, "Ann")
    clock.advance(3)
    await engine.quickdraw.guess(ann, "cat")
    again = await engine.quickdraw.guess(ann, "cat")
    assert "already got" in again.text
    assert len(await rows(store, "SELECT 1 FROM ledger WHERE kind = 'guess'")) == 1


async def test_other_games_keep_their_round_cards(engine: Engine, store: SqlStore) -> None:
    await seed_campaign(store, name="colours")
    card = await engine.play.post_round(MOD, "colours")
    assert "Is this red?" in card.text and card.media is not None
    assert card.media.kind == "photo"
    (ann,) = await players(engine, "Ann")
    with pytest.raises(NotFound):
        await engine.quickdraw.guess(ann, "red")


async def test_a_later_right_guess_pays_the_boards_and_counts_for_badges(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    from storage.board_math import PERIOD_ALL, SCOPE_GLOBAL, BoardKey

    await _round(engine, store)
    (ann,) = await players(engine, "Ann")
    clock.advance(4)
    await engine.quickdraw.guess(ann, "dog")  # the answer: wrong
    right = await engine.quickdraw.guess(ann, "cat")  # a later right guess: paid outside the batch
    assert right.text.startswith("✅")
    (pid,) = [p for (p,) in await rows(store, "SELECT id FROM players")]
    ((paid,),) = await rows(store, "SELECT points FROM ledger WHERE kind = 'guess'")
    assert paid > 0
    ((total,),) = await rows(store, "SELECT SUM(points) FROM ledger WHERE player_id = ?", pid)
    line = await store.board_entry(BoardKey(SCOPE_GLOBAL, 0, PERIOD_ALL), pid)
    snap = await store.reward_snapshot(pid)
    assert line is not None and snap is not None
    assert line.points == snap.points == total  # the board, the card and the ledger agree
    assert snap.rewards.correct_guesses == 1


async def test_a_guess_before_consent_stores_nothing(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    from bot.core.kernel.errors import NotConsented
    from tests.support.doodles import person

    await _round(engine, store)
    clock.advance(5)
    with pytest.raises(NotConsented, match="/start"):
        await engine.quickdraw.guess(person(7, "Zed"), "cat")
    for table in ("players", "identities", "answers", "guesses", "ledger"):
        assert await rows(store, f"SELECT 1 FROM {table}") == [], table
