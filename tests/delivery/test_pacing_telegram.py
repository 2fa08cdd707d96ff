"""The outgoing-request rules on their own: retries, backoff, per-chat edit spacing, order."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from telegram import Chat, Message, Update, User
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

from bot.delivery import Pacer
from bot.tg.handlers import top_args
from bot.tg.ordering import PerUserOrder
from bot.tg.ratelimit import RetryingLimiter


class FakeTime:
    """A monotonic clock that only `sleep` moves: scheduling logic without real waiting."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds
        await asyncio.sleep(0)


def flaky(*errors: Exception) -> tuple[Any, list[int]]:
    """A request callback failing with `errors` in turn, then answering True."""
    calls: list[int] = []

    async def callback() -> bool:
        calls.append(1)
        if len(calls) <= len(errors):
            raise errors[len(calls) - 1]
        return True

    return callback, calls


async def run(
    limiter: RetryingLimiter, callback: Any, endpoint: str = "sendMessage", chat_id: int = 42
) -> Any:
    return await limiter.process_request(callback, (), {}, endpoint, {"chat_id": chat_id}, None)


async def test_retry_after_sleeps_what_telegram_asks() -> None:
    t = FakeTime()
    limiter = RetryingLimiter(sleep=t.sleep)
    callback, calls = flaky(RetryAfter(timedelta(seconds=3)), RetryAfter(timedelta(seconds=1)))
    assert await run(limiter, callback) is True
    assert (len(calls), t.sleeps) == (3, [3.0, 1.0])


async def test_network_errors_back_off_exponentially_and_give_up() -> None:
    t = FakeTime()
    limiter = RetryingLimiter(sleep=t.sleep, max_retries=4, base_delay=0.5, max_delay=3.0)
    callback, calls = flaky(*[TimedOut("slow")] * 3)
    assert await run(limiter, callback) is True
    assert t.sleeps == [0.5, 1.0, 2.0]

    t.sleeps.clear()
    callback, calls = flaky(*[NetworkError("down")] * 10)
    with pytest.raises(NetworkError, match="down"):
        await run(limiter, callback)
    assert (len(calls), t.sleeps) == (5, [0.5, 1.0, 2.0, 3.0])  # capped at max_delay


async def test_bad_requests_are_not_retried() -> None:
    t = FakeTime()
    callback, calls = flaky(BadRequest("chat not found"))
    with pytest.raises(BadRequest):
        await run(RetryingLimiter(sleep=t.sleep), callback)
    assert (len(calls), t.sleeps) == (1, [])


async def test_edits_in_a_group_are_spaced_by_the_interval() -> None:
    t = FakeTime()
    pacer = Pacer(1.0, clock=t.clock, sleep=t.sleep)
    limiter = RetryingLimiter(pacer, sleep=t.sleep)
    ok, _ = flaky()
    await run(limiter, ok, "editMessageText", -100)  # free: no wait
    t.now += 0.25
    await run(limiter, ok, "editMessageCaption", -100)  # 0.75 s left of the interval
    await run(limiter, ok, "editMessageText", -200)  # another group: its own interval
    await run(limiter, ok, "sendMessage", -100)  # sends are not edits
    await run(limiter, ok, "editMessageText", 42)  # private chats are not paced
    assert t.sleeps == [0.75]
    await asyncio.gather(*(run(limiter, ok, "editMessageText", -100) for _ in range(3)))
    assert t.sleeps == [0.75, 1.0, 1.0, 1.0]  # concurrent edits queue one interval apart


async def test_the_slot_is_reentrant_for_its_holder() -> None:
    t = FakeTime()
    pacer = Pacer(1.0, clock=t.clock, sleep=t.sleep)
    async with pacer.slot(-100), pacer.slot(-100):  # the limiter inside the editor's slot
        pass
    assert t.sleeps == []
    async with pacer.slot(-100):
        pass
    assert t.sleeps == [1.0]


def _update(update_id: int, user_id: int) -> Update:
    user = User(user_id, "U", False)
    chat = Chat(user_id, "private")
    message = Message(update_id, datetime.now(UTC), chat, from_user=user, text="x")
    return Update(update_id, message=message)


async def test_one_users_updates_run_in_order_others_run_alongside() -> None:
    order: list[str] = []
    gate = asyncio.Event()

    async def work(name: str, wait: bool) -> None:
        order.append(f"{name}+")
        if wait:
            await gate.wait()
        order.append(f"{name}-")

    proc = PerUserOrder(16)
    tasks = [
        asyncio.create_task(proc.process_update(_update(1, 7), work("a1", True))),
        asyncio.create_task(proc.process_update(_update(2, 7), work("a2", False))),
        asyncio.create_task(proc.process_update(_update(3, 8), work("b1", False))),
    ]
    await asyncio.sleep(0.01)
    assert order == ["a1+", "b1+", "b1-"]  # b is not held up by a; a2 waits for a1
    gate.set()
    await asyncio.gather(*tasks)
    assert order[3:] == ["a1-", "a2+", "a2-"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], ("community", "all", None)),
        (["global", "week"], ("global", "week", None)),
        (["today"], ("community", "today", None)),
        (["Shape", "Club", "week"], ("campaign", "week", "Shape Club")),
        (["campaign"], ("campaign", "all", None)),
    ],
)
def test_top_arguments(args: list[str], expected: tuple[str, str, str | None]) -> None:
    assert top_args(args) == expected
