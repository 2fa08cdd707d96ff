"""The round-card editor with a Discord-like and a Telegram-like port: spacing, coalescing,
the closing edit, shutdown, late bindings and failures."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest

from bot.core.kernel.errors import NotFound
from bot.core.kernel.events import RoundChanged
from bot.core.kernel.models import Choice, Reply
from bot.delivery import MessageRef, Pacer, RoundEditor
from tests.delivery.fakes import DiscordLike, FakeEngine, FakePort, Refused, TelegramLike, until

PortFactory = Callable[[Pacer], FakePort]
PORTS: dict[str, PortFactory] = {
    "discord": lambda pacer: DiscordLike(),
    "telegram": TelegramLike,
}
CHANNEL = -100500
REF = f"{CHANNEL}:77"


@pytest.fixture(params=sorted(PORTS))
def make_port(request: pytest.FixtureRequest) -> PortFactory:
    factory: PortFactory = PORTS[request.param]
    return factory


def setup(make_port: PortFactory, interval: float) -> tuple[FakeEngine, FakePort, RoundEditor]:
    engine = FakeEngine()
    pacer = Pacer(interval)
    port = make_port(pacer)
    return engine, port, RoundEditor(engine, port, pacer)


def changed(engine: FakeEngine, editor: RoundEditor, round_id: int, *, ref: str | None) -> None:
    """The round's card changed (its state moves on), as the engine would publish it."""
    engine.state[round_id] = engine.state.get(round_id, 0) + 1
    editor.on_event(RoundChanged(round_id, "fake", str(CHANNEL), ref))


async def test_a_burst_costs_two_edits_spaced_by_the_interval(make_port: PortFactory) -> None:
    engine, port, editor = setup(make_port, 0.25)
    engine.refs[1] = REF
    changed(engine, editor, 1, ref=REF)
    await until(lambda: len(port.edits()) == 1)  # the first edit goes out at once
    for _ in range(5):
        changed(engine, editor, 1, ref=REF)
    await until(lambda: len(port.edits()) == 2)
    assert port.edits() == ["round 1: 1", "round 1: 6"]  # coalesced, and the newest card
    first, second = (c.at for c in port.calls)
    assert second - first >= 0.24
    assert port.calls[0].where == MessageRef(CHANNEL, 77)
    await editor.close(1.0, hurry=False)


async def test_each_channel_has_its_own_interval(make_port: PortFactory) -> None:
    engine, port, editor = setup(make_port, 30.0)
    engine.refs.update({1: "-1:10", 2: "-2:20"})
    changed(engine, editor, 1, ref="-1:10")
    changed(engine, editor, 2, ref="-2:20")
    await until(lambda: len(port.edits()) == 2)  # neither waits for the other
    await editor.close(1.0, hurry=True)


async def test_a_close_during_an_edit_queues_the_closing_edit(make_port: PortFactory) -> None:
    engine, port, editor = setup(make_port, 0.05)
    port.edit_seconds = 0.2  # a slow edit: the round closes while it is on the wire
    engine.refs[1] = REF
    changed(engine, editor, 1, ref=REF)
    await until(lambda: engine.cards_rendered == 1)
    changed(engine, editor, 1, ref=REF)  # e.g. the close
    await until(lambda: len(port.edits()) == 2)
    assert port.edits() == ["round 1: 1", "round 1: 2"]
    await editor.close(1.0, hurry=False)


async def test_shutdown_with_hurry_makes_queued_edits_without_waiting(
    make_port: PortFactory,
) -> None:
    engine, port, editor = setup(make_port, 60.0)  # one edit a minute
    engine.refs[1] = REF
    changed(engine, editor, 1, ref=REF)
    await until(lambda: len(port.edits()) == 1)
    changed(engine, editor, 1, ref=REF)
    changed(engine, editor, 1, ref=REF)
    assert port.edits() == ["round 1: 1"]  # held back
    await editor.close(2.0, hurry=True)
    assert port.edits() == ["round 1: 1", "round 1: 3"]
    changed(engine, editor, 1, ref=REF)  # after close: not taken
    assert port.edits() == ["round 1: 1", "round 1: 3"]


async def test_shutdown_without_hurry_stays_paced_within_the_grace(
    make_port: PortFactory,
) -> None:
    engine, port, editor = setup(make_port, 0.3)
    engine.refs[1] = REF
    changed(engine, editor, 1, ref=REF)
    await until(lambda: len(port.edits()) == 1)
    changed(engine, editor, 1, ref=REF)
    await editor.close(2.0, hurry=False)
    assert port.edits() == ["round 1: 1", "round 1: 2"]
    assert port.calls[1].at - port.calls[0].at >= 0.29


async def test_shutdown_past_the_grace_drops_what_is_left(
    make_port: PortFactory, caplog: pytest.LogCaptureFixture
) -> None:
    engine, port, editor = setup(make_port, 60.0)
    engine.refs[1] = REF
    changed(engine, editor, 1, ref=REF)
    await until(lambda: len(port.edits()) == 1)
    changed(engine, editor, 1, ref=REF)
    with caplog.at_level(logging.WARNING, logger="bot.delivery"):
        await editor.close(0.05, hurry=False)
    assert port.edits() == ["round 1: 1"]
    assert "still had round edits queued at shutdown" in caplog.text


async def test_the_stored_reference_wins_over_the_events(make_port: PortFactory) -> None:
    engine, port, editor = setup(make_port, 0.0)
    engine.refs[1] = "-100500:78"  # bound after the event was raised
    changed(engine, editor, 1, ref="-100500:77")
    await until(lambda: len(port.edits()) == 1)
    assert port.calls[0].where == MessageRef(CHANNEL, 78)
    await editor.close(1.0, hurry=False)


async def test_a_change_before_the_binding_is_caught_up_when_bound(
    make_port: PortFactory,
) -> None:
    engine, port, editor = setup(make_port, 0.0)
    changed(engine, editor, 1, ref=None)  # answered before the card was bound
    await until(lambda: engine.cards_rendered == 0 and not editor._workers)
    assert port.edits() == []
    engine.refs[1] = REF
    editor.on_bound(1, REF)
    await until(lambda: len(port.edits()) == 1)
    editor.on_bound(1, REF)  # a binding with nothing missed edits nothing
    changed(engine, editor, 1, ref=None)  # the event lacks the ref: the binding is recalled
    await until(lambda: len(port.edits()) == 2)
    assert {c.where for c in port.calls} == {MessageRef(CHANNEL, 77)}
    await editor.close(1.0, hurry=False)


async def test_a_foreign_or_missing_reference_is_not_edited(make_port: PortFactory) -> None:
    engine, port, editor = setup(make_port, 0.0)
    engine.refs[1] = "not ours"
    changed(engine, editor, 1, ref="garbage")
    changed(engine, editor, 2, ref=None)
    await until(lambda: not editor._workers)
    assert port.calls == []
    editor.on_bound(3, "garbage")  # ignored, no crash
    await editor.close(1.0, hurry=False)


async def test_a_refused_edit_is_a_warning_and_the_next_change_still_edits(
    make_port: PortFactory, caplog: pytest.LogCaptureFixture
) -> None:
    engine, port, editor = setup(make_port, 0.0)
    engine.refs[1] = REF
    port.fail = _once(Refused("Unknown Message"))
    with caplog.at_level(logging.WARNING, logger="bot.delivery"):
        changed(engine, editor, 1, ref=REF)
        await until(lambda: not editor._workers)
        changed(engine, editor, 1, ref=REF)
        await until(lambda: len(port.edits()) == 1)
    assert "round 1: could not update its message (Unknown Message)" in caplog.text
    await editor.close(1.0, hurry=False)


async def test_an_engine_error_is_a_warning(
    make_port: PortFactory, caplog: pytest.LogCaptureFixture
) -> None:
    engine, port, editor = setup(make_port, 0.0)
    engine.refs[1] = REF

    async def gone(round_id: int) -> None:
        raise NotFound("That round no longer exists.")

    engine.round_card = gone  # type: ignore[assignment,method-assign]
    with caplog.at_level(logging.WARNING, logger="bot.delivery"):
        changed(engine, editor, 1, ref=REF)
        await until(lambda: not editor._workers)
    assert "no longer exists" in caplog.text and port.calls == []


async def test_a_bug_is_an_error_and_the_worker_goes_on(
    make_port: PortFactory, platform_error_trap: Any
) -> None:
    engine, port, editor = setup(make_port, 0.0)
    engine.refs.update({1: REF, 2: REF})
    port.fail = _once(KeyError("oops"))
    platform_error_trap.expect("updating its message failed")
    changed(engine, editor, 1, ref=REF)
    changed(engine, editor, 2, ref=REF)
    await until(lambda: len(port.edits()) == 1)
    assert port.edits() == ["round 2: 1"]
    await editor.close(1.0, hurry=False)


def _once(problem: BaseException) -> Callable[[object], BaseException | None]:
    left = [problem]
    return lambda call: left.pop() if left else None


class TwoProcessEngine(FakeEngine):
    """Cards with buttons while the round is open; `closed` flips when another process
    closes the round (its event goes to that process's editor, not this one)."""

    closed: bool = False

    async def round_card(self, round_id: int) -> Reply:
        self.cards_rendered += 1
        if self.closed:
            return Reply(f"round {round_id}: closed")
        return Reply(f"round {round_id}: open", choices=((Choice("Yes", "v1:a:1:0"),),))


async def test_an_open_card_landing_after_another_process_closed_the_round_is_fixed(
    make_port: PortFactory,
) -> None:
    engine = TwoProcessEngine()
    pacer = Pacer(0.05)
    port = make_port(pacer)
    editor = RoundEditor(engine, port, pacer)
    port.edit_seconds = 0.2  # this process's open card is on the wire ...
    engine.refs[1] = REF
    editor.on_event(RoundChanged(1, "fake", str(CHANNEL), REF))
    await until(lambda: engine.cards_rendered == 1)
    engine.closed = True  # ... when another process closes the round and edits its card
    await until(lambda: len(port.edits()) == 2)
    assert port.edits() == ["round 1: open", "round 1: closed"]  # the closed card stays
    await editor.close(1.0, hurry=False)
