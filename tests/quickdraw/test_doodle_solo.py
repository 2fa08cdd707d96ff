"""Solo doodle series: word buttons, speed points, the end of a series, /play doodles."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.codec import decode
from bot.core.kernel.errors import NoTaskAvailable, RoundClosed
from bot.core.kernel.models import Reply
from bot.core.quickdraw.cards import ATTRIBUTION
from storage import SqlStore
from tests.support.doodles import doodle_campaign, person, private, rows
from tests.support.settings import settings_for


@pytest.fixture
async def solo_engine(store: SqlStore, clock: ManualClock) -> AsyncIterator[Engine]:
    e = Engine(store, settings_for(":memory:", quickdraw={"series_length": 2}), clock)
    try:
        yield e
    finally:
        await e.close()


async def _word(engine: Engine, card: Reply) -> str:
    assert card.round_id is not None
    rnd = await engine.kernel.round(card.round_id)
    assert rnd is not None
    return str((await engine.kernel.item(rnd.item_id)).meta["word"])


def _press(card: Reply, label: str) -> str:
    for row in card.choices:
        for choice in row:
            if choice.label == label:
                return choice.payload
    raise AssertionError(f"no {label!r} in {card.choices}")


async def test_a_series_scores_right_picks_by_speed_and_ends_with_a_summary(
    solo_engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    await doodle_campaign(store, ("cat", "house", "fish"))
    ann = private(person(5, "Ann", None))
    await solo_engine.players.consent(ann, True)
    card = await solo_engine.quickdraw.doodle_series(ann)
    assert "Doodle 1 of 2" in card.text and ATTRIBUTION in card.text
    assert card.media is not None and card.media.kind == "animation" and card.ephemeral
    labels = [c.label for row in card.choices for c in row]
    assert len(labels) == 5 and labels[-1] == "Skip ⏭"  # the word, 3 others, skip
    assert all(decode(c.payload).action == "q" for row in card.choices for c in row)
    word = await _word(solo_engine, card)
    assert word in labels
    clock.advance(2)
    fast = await solo_engine.handle_button(ann, _press(card, word))
    done, nxt = fast.chain()
    assert done.replace and done.text.endswith(f"✅ {word}! +{_points(done)} pts in 2.0 s.")
    assert "Doodle 2 of 2" in nxt.text
    other = await _word(solo_engine, nxt)
    wrong = next(c.label for row in nxt.choices for c in row if c.label not in (other, "Skip ⏭"))
    clock.advance(9)
    slow = await solo_engine.handle_button(ann, _press(nxt, wrong))
    said, summary = slow.chain()
    assert f"It was {other}, not {wrong}" in said.text
    assert f"1 of 2 right · {_points(done)} guess points" in summary.text
    ledger = await rows(store, "SELECT points FROM ledger WHERE kind = 'guess'")
    assert ledger == [(_points(done),)]
    picks = await rows(store, "SELECT kind, correct, is_first FROM guesses ORDER BY id")
    assert picks == [("pick", 1, 1), ("pick", 0, 1)]
    with pytest.raises(RoundClosed):
        await solo_engine.handle_button(ann, _press(nxt, other))  # that card is answered


def _points(reply: Reply) -> int:
    return int(reply.text.split("+")[1].split(" ")[0])


async def test_faster_right_picks_earn_more(
    solo_engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    await doodle_campaign(store, ("cat", "cat"))
    got = []
    for n, wait in ((6, 1.5), (7, 12.0)):
        ref = private(person(n, f"P{n}", None))
        await solo_engine.players.consent(ref, True)
        card = await solo_engine.quickdraw.doodle_series(ref)
        clock.advance(wait)
        reply = await solo_engine.handle_button(ref, _press(card, "cat"))
        got.append(_points(reply.chain()[0]))
    assert got[0] > got[1] > 0


async def test_skip_names_the_word_and_no_doodles_left_is_said(
    solo_engine: Engine, store: SqlStore
) -> None:
    await doodle_campaign(store, ("fish",))
    ann = private(person(5, "Ann", None))
    await solo_engine.players.consent(ann, True)
    card = await solo_engine.quickdraw.doodle_series(ann)
    reply = await solo_engine.handle_button(ann, _press(card, "Skip ⏭"))
    first, *rest = reply.chain()
    assert "Skipped: it was fish" in first.text
    assert "No doodles left" in rest[0].text
    with pytest.raises(NoTaskAvailable):
        await solo_engine.quickdraw.doodle_series(ann)
    assert await rows(store, "SELECT 1 FROM answers") == []


async def test_a_doodle_served_by_play_is_a_pick_too(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    await doodle_campaign(store, ("cat",))
    ann = private(person(5, "Ann", None))
    await engine.players.consent(ann, True)
    card = await engine.play.next_task(ann)
    assert ATTRIBUTION in card.text
    clock.advance(3)
    reply = await engine.handle_button(ann, _press(card, "cat"))
    assert "✅ cat!" in reply.chain()[0].text
    assert await rows(store, "SELECT kind, correct FROM guesses") == [("pick", 1)]
