"""Per-user fairness in the Telegram update path: a flood from one user does not hold up the
others (issue 12, hole 8), and one user's updates still run in the order they came."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from telegram import Chat, Message, Update, User
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes, TypeHandler

from bot.tg.app import TelegramAdapter
from bot.tg.ordering import PerUserOrder
from tests.support.telegram_world import World

FLOOD = 1000


def _update(update_id: int, user_id: int) -> Update:
    user = User(user_id, f"U{user_id}", False)
    chat = Chat(user_id, "private")
    message = Message(update_id, datetime.now(UTC), chat, from_user=user, text="hi")
    return Update(update_id, message=message)


def _application(world: World) -> Application:  # type: ignore[type-arg]
    assert world.app is not None
    adapter = next(a for a in world.app.adapters if isinstance(a, TelegramAdapter))
    return adapter.application


async def test_a_flood_from_one_user_does_not_delay_another(world: World) -> None:
    await world.start()
    application = _application(world)
    done: list[tuple[int, int]] = []

    async def record(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        for _ in range(3):  # the handler's own awaits (database, Telegram), no clock
            await asyncio.sleep(0)
        assert update.effective_user is not None
        done.append((update.effective_user.id, update.update_id))
        raise ApplicationHandlerStop  # the bot's own handlers stay out of this

    application.add_handler(TypeHandler(Update, record), group=-1)
    # 1,000 updates from A, then one from B, all in the queue before any is handled
    for n in range(FLOOD):
        application.update_queue.put_nowait(_update(10_000 + n, 7))
    application.update_queue.put_nowait(_update(20_000, 8))
    await asyncio.wait_for(application.update_queue.join(), 60)

    assert len(done) == FLOOD + 1
    users = [user for user, _ in done]
    assert users.index(8) <= 2  # B waits for at most the update of A in hand
    a_ids = [update_id for user, update_id in done if user == 7]
    assert a_ids == sorted(a_ids)  # A's updates in arrival order


async def test_a_waiting_update_holds_no_slot_users_take_slots_in_turn() -> None:
    order: list[str] = []
    gate = asyncio.Event()

    async def work(name: str) -> None:
        order.append(f"{name}+")
        if name == "a1":
            await gate.wait()
        order.append(f"{name}-")

    proc = PerUserOrder(1)  # one slot: the strictest case
    tasks = [
        asyncio.create_task(proc.process_update(_update(1, 7), work("a1"))),
        asyncio.create_task(proc.process_update(_update(2, 7), work("a2"))),
        asyncio.create_task(proc.process_update(_update(3, 7), work("a3"))),
        asyncio.create_task(proc.process_update(_update(4, 8), work("b1"))),
    ]
    for _ in range(5):
        await asyncio.sleep(0)
    assert order == ["a1+"] and proc.current_concurrent_updates == 1
    gate.set()
    await asyncio.gather(*tasks)
    # b1 came after a2 and a3 but takes the slot as soon as a1 frees it
    assert order == ["a1+", "a1-", "b1+", "b1-", "a2+", "a2-", "a3+", "a3-"]
    assert proc.max_concurrent_updates == 1 and proc.current_concurrent_updates == 0
