"""SIGKILL under load on SQLite: nothing acknowledged is lost, nothing is left half-done.

`run.py run` serves a crowd on the loopback Telegram fake: players answer solo cards in their
private chats and vote in group rounds, all at once. The process is killed with SIGKILL in
the middle of it. Every answer the fake saw acknowledged (the solo card edited to "Vote
recorded", the group toast "Vote recorded") must then be in the database file, every round
must be either open or closed with its closing time (never in between), and every tally must
agree with the answers it counts. A new `run.py run` on the same file starts (the kernel
dropped the killed process's file lock) and finishes what fell due: the group rounds close.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import sqlite3
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.core.engine import Engine
from bot.core.kernel.models import PlayerRef
from storage import open_store
from tests.support.fakes.telegram import FakeTelegram
from tests.support.fakes.telegram.payloads import Call, JSONDict
from tests.support.processes import run_env, spawn_run
from tests.support.seeds import seed_campaign
from tests.support.settings import settings_for

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60.0  # a cold interpreter imports discord.py, PTB, numpy and Pillow
WAIT = 30.0
PLAYERS = 24
GROUPS = 3
ACKS_BEFORE_KILL = 150
ROUND_SECONDS = 15
ITEM_RE = re.compile(r"item (\d+) is")

pytestmark = pytest.mark.skipif(os.name == "nt", reason="SIGKILL and flock are POSIX")


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


def _config(tmp_path: Path, telegram: FakeTelegram) -> Path:
    path = tmp_path / "crash.toml"
    path.write_text(
        f"""
[telegram]
base_url = "{telegram.base_url}"
base_file_url = "{telegram.base_file_url}"
edit_interval = 0.2

[game]
round_seconds = {ROUND_SECONDS}

[quality]
onboarding_items = 0
onboarding_pass = 0
min_answer_ms = 0
same_answer_run = 1000

[scheduler]
tick_seconds = 0.2
""",
        encoding="utf-8",
    )
    return path


async def _seed(db: str, users: list[JSONDict]) -> None:
    """A classify campaign with room for everyone's answers, and consented players."""
    store = await open_store(db)
    engine = Engine(store, settings_for(db))
    try:
        await seed_campaign(
            store, game="classify", text_items=True, items=400, min_overlap=3, max_overlap=3
        )
        for user in users:
            await engine.players.consent(
                PlayerRef("telegram", str(user["id"]), user["first_name"]), True
            )
    finally:
        await engine.close()
        await store.close()


async def _launch(
    tmp_path: Path, telegram: FakeTelegram, db: str, log: Path
) -> asyncio.subprocess.Process:
    """`run.py run` on `db`; returns once the new process polls the fake."""
    seen = {id(c) for c in telegram.calls}
    env = run_env(TELEGRAM_TOKEN=telegram.token)
    with log.open("ab") as out:
        proc = await spawn_run(_config(tmp_path, telegram), env, tmp_path, db=db, out=out)
    await telegram.wait_for_call(
        "getUpdates", lambda c: id(c) not in seen, START_TIMEOUT, include_consumed=True
    )
    return proc


def _to(chat_id: int) -> Callable[[Call], bool]:
    """Matches the bot's successful calls to `chat_id`."""
    return lambda c: c.ok and str(c.params.get("chat_id")) == str(chat_id)


def _card_after(chat_id: int, last: int) -> Callable[[Call], bool]:
    """Matches a card the bot sent to `chat_id` after message `last`."""
    to = _to(chat_id)
    return lambda c: to(c) and c.result["message_id"] > last and "item" in str(c.params)


def _closed(group: JSONDict, message_id: int) -> Callable[[Call], bool]:
    """Matches the edit that closes the round on card `message_id` of `group`."""
    to = _to(group["id"])
    return lambda c: (
        to(c) and c.params.get("message_id") == message_id and "Round closed" in str(c.params)
    )


class Crowd:
    """Players pressing buttons as fast as the bot answers; remembers each press."""

    def __init__(self, telegram: FakeTelegram, users: list[JSONDict]) -> None:
        self.fake = telegram
        self.users = users
        self.group_presses: dict[str, tuple[int, int]] = {}  # query id -> (user, item)

    def cards(self) -> dict[tuple[int, int], int]:
        """(chat, message id) -> item number of every card the bot sent."""
        out = {}
        for call in list(self.fake.calls):
            if call.method == "sendMessage" and call.ok:
                found = ITEM_RE.search(str(call.params.get("text")))
                if found:
                    key = (int(call.params["chat_id"]), int(call.result["message_id"]))
                    out[key] = int(found.group(1))
        return out

    async def solo(self, user: JSONDict) -> None:
        uid = int(user["id"])
        await self.fake.send_command(uid, user, "/play")
        last = 0
        while True:
            call = await self.fake.wait_for_call(
                "sendMessage", _card_after(uid, last), WAIT, include_consumed=True
            )
            last = int(call.result["message_id"])
            card = self.fake.message(uid, last)
            data = card.buttons()[0][0][1]
            assert data is not None
            await self.fake.press(uid, user, last, data)

    async def vote(self, user: JSONDict, group: JSONDict, message_id: int) -> None:
        card = self.fake.message(group["id"], message_id)
        data = card.buttons()[0][0][1]
        assert data is not None
        query = await self.fake.press(group, user, message_id, data)
        self.group_presses[query] = (int(user["id"]), self.cards()[(group["id"], message_id)])

    def acknowledged(self) -> set[tuple[int, int]]:
        """(user, item) of every answer the bot confirmed, as seen by the fake."""
        acks: set[tuple[int, int]] = set()
        cards = self.cards()
        privates = {int(u["id"]) for u in self.users}
        for call in list(self.fake.calls):
            if not call.ok:
                continue
            chat = call.params.get("chat_id")
            if (
                call.method == "editMessageText"
                and chat is not None
                and int(chat) in privates
                and "Vote recorded" in str(call.params.get("text"))
            ):
                message_id = int(call.params["message_id"])
                acks.add((int(chat), cards[(int(chat), message_id)]))
            if call.method == "answerCallbackQuery" and "Vote recorded" in str(
                call.params.get("text")
            ):
                press = self.group_presses.get(str(call.params.get("callback_query_id")))
                if press is not None:
                    acks.add(press)
        return acks


def _stored(db: str) -> set[tuple[int, int]]:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        rows = conn.execute(
            "SELECT i.external_id, it.text FROM answers a "
            "JOIN identities i ON i.player_id = a.player_id AND i.platform = 'telegram' "
            "JOIN items it ON it.id = a.item_id"
        ).fetchall()
    out = set()
    for uid, text in rows:
        found = ITEM_RE.search(text)
        assert found
        out.add((int(uid), int(found.group(1))))
    return out


def _half_done(db: str) -> list[str]:
    """Every inconsistency between rounds, answers and tallies (empty when none)."""
    checks = {
        "round open with a closing time, or closed without one": (
            "SELECT id FROM rounds WHERE (status = 'open') <> (closed_at IS NULL)"
        ),
        "solo round still open though answered": (
            "SELECT r.id FROM rounds r WHERE r.mode = 'solo' AND r.status = 'open' "
            "AND EXISTS (SELECT 1 FROM answers a WHERE a.round_id = r.id)"
        ),
        "tally count differs from its answers": (
            "SELECT t.item_id FROM tallies t WHERE t.n_answers <> (SELECT COUNT(*) FROM answers a "
            "WHERE a.campaign_id = t.campaign_id AND a.item_id = t.item_id)"
        ),
        "tally reservations differ from open solo rounds": (
            "SELECT t.item_id FROM tallies t WHERE t.pending <> (SELECT COUNT(*) FROM rounds r "
            "WHERE r.campaign_id = t.campaign_id AND r.item_id = t.item_id "
            "AND r.mode = 'solo' AND r.status = 'open')"
        ),
        "two answers of one player to one item": (
            "SELECT player_id FROM answers GROUP BY campaign_id, item_id, player_id "
            "HAVING COUNT(*) > 1"
        ),
    }
    problems = []
    with contextlib.closing(sqlite3.connect(db)) as conn:
        for what, sql in checks.items():
            rows = conn.execute(sql).fetchall()
            if rows:
                problems.append(f"{what}: {rows[:5]}")
    return problems


async def _post_rounds(telegram: FakeTelegram, groups: list[JSONDict]) -> list[int]:
    """A moderator posts one round in each group; returns the card message ids."""
    mod = telegram.user(7, "Mo")
    telegram.private_chat(mod)
    cards = []
    for group in groups:
        telegram.set_admins(group, mod)
        await telegram.send_command(group, mod, "/round")
        call = await telegram.wait_for_call("sendMessage", _to(group["id"]), WAIT)
        cards.append(int(call.result["message_id"]))
    return cards


async def test_sigkill_under_load_loses_no_acknowledged_answer(
    tmp_path: Path, telegram: FakeTelegram
) -> None:
    db = str(tmp_path / "lq.db")
    log = tmp_path / "run.log"
    users = [telegram.user(1000 + i, f"P{i}") for i in range(PLAYERS)]
    for user in users:
        telegram.private_chat(user)
    groups = [telegram.group(-100_000 - i, f"Labelers {i}") for i in range(GROUPS)]
    await _seed(db, users)
    crowd = Crowd(telegram, users)

    proc = await _launch(tmp_path, telegram, db, log)
    try:
        cards = await _post_rounds(telegram, groups)
        tasks = [asyncio.create_task(crowd.solo(u)) for u in users]
        tasks += [
            asyncio.create_task(crowd.vote(u, g, card))
            for u in users
            for g, card in zip(groups, cards, strict=True)
        ]
        for _ in range(int(WAIT / 0.05)):
            if len(crowd.acknowledged()) >= ACKS_BEFORE_KILL:
                break
            await asyncio.sleep(0.05)
        proc.send_signal(signal.SIGKILL)  # in the middle of the load: presses still in flight
        assert await asyncio.wait_for(proc.wait(), WAIT) == -signal.SIGKILL
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if proc.returncode is None:
            proc.kill()
            await proc.wait()

    acked = crowd.acknowledged()
    assert len(acked) >= ACKS_BEFORE_KILL
    assert acked & set(crowd.group_presses.values()), "no group vote was acknowledged"
    missing = acked - _stored(db)
    assert not missing, f"acknowledged but not stored: {sorted(missing)[:10]}"
    assert _half_done(db) == []

    restarted = await _launch(tmp_path, telegram, db, log)  # the dead process's lock is gone
    try:
        for group, card in zip(groups, cards, strict=True):
            await telegram.wait_for_call(
                "editMessageText",
                _closed(group, card),
                ROUND_SECONDS + WAIT,
                include_consumed=True,
            )
    finally:
        restarted.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(restarted.wait(), WAIT)
    assert code == 0, log.read_text(errors="replace")[-3000:]
    assert acked <= _stored(db)
    assert _half_done(db) == []
    with contextlib.closing(sqlite3.connect(db)) as conn:
        open_group_rounds = conn.execute(
            "SELECT COUNT(*) FROM rounds WHERE mode <> 'solo' AND status = 'open'"
        ).fetchone()
    assert open_group_rounds == (0,)
