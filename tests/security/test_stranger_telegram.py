"""The adversarial suite on Telegram, through python-telegram-bot against the fake Bot API
(issue 12, deliverable 4). Community X ("Labelers") has a campaign with its dataset, a
review queue item, a player with a standing, and a schedule. A stranger, Eve, makes her own
group Y (so she administers it) and tries every moderator and admin command on X's objects
by name, then by id and by forged payload. Each refusal reads exactly like the one for a
made-up name, and nothing of X changes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from bot.core.kernel.codec import encode
from bot.core.review.cards import GOLD_BASE, OP_RESET, tally_key
from tests.support.fakes.telegram import JSONDict
from tests.support.telegram_world import World, button, shown, start

X_CHAT = -100123
Y_CHAT = -100999
EVE_ID = 66
MADE_UP = "zzmissing"


@dataclass
class X:
    """What community X holds, and the stranger's own group."""

    group: JSONDict
    mod: JSONDict
    pia: JSONDict
    eve: JSONDict
    theirs: JSONDict
    campaign_id: int
    dataset_id: int
    community_id: int
    review_item: int
    x_round: int
    solo_round: int
    pia_player: int


async def fetch(tg: World, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    async with tg.store.db.read() as conn:
        return [tuple(r) for r in await conn.fetch(sql, params)]


async def snapshot(tg: World, x: X) -> dict[str, Any]:
    """Everything of community X a stranger could change."""
    state: dict[str, Any] = {}
    for table in ("campaigns", "datasets", "tallies", "schedules", "rounds", "answers"):
        state[table] = await fetch(tg, f"SELECT * FROM {table} ORDER BY 1, 2")
    for table in ("items", "player_campaign", "review_log"):
        state[table] = await fetch(tg, f"SELECT * FROM {table} ORDER BY 1, 2")
    state["community"] = await fetch(
        tg, "SELECT * FROM communities WHERE id = ?", (x.community_id,)
    )
    state["audit"] = await fetch(
        tg, "SELECT * FROM audit_log WHERE campaign_id = ? ORDER BY id", (x.campaign_id,)
    )
    return state


async def no_audit_by_eve_on_x(tg: World, x: X) -> None:
    rows = await fetch(
        tg,
        "SELECT action, target FROM audit_log WHERE actor_id = ? AND "
        "(campaign_id = ? OR target LIKE '%colours%')",
        (str(EVE_ID), x.campaign_id),
    )
    assert rows == []


@pytest.fixture
async def x(tg: World) -> X:
    await start(tg, campaigns={"hours": "all"})
    camp = await tg.campaign(game="classify", items=6, text_items=True, min_overlap=3)
    mod = tg.person(7, "Mo")
    group = tg.group()
    tg.fake.set_admins(group, mod)
    await tg.fake.send_command(group, mod, "/campaign", "list")
    await tg.sent(group["id"], text="colours")
    async with tg.store.db.transaction() as tx:
        cid = await tx.fetchval("SELECT id FROM communities WHERE external_id = ?", (str(X_CHAT),))
        await tx.execute("UPDATE campaigns SET community_id = ? WHERE id = ?", (cid, camp.id))
        await tx.execute(
            "UPDATE datasets SET community_id = ? WHERE id = ?", (cid, camp.dataset_id)
        )
    tg.engine.kernel.forget_campaign(camp.id)

    # a schedule and a round in X; Pia answers it (a standing in X)
    await tg.fake.send_command(group, mod, "/campaign", "schedule colours every=60")
    await tg.sent(group["id"])
    await tg.fake.send_command(group, mod, "/round", "colours")
    card = await tg.sent(group["id"], text="Round")
    pia = tg.person(55, "Pia")
    await tg.consented(pia, group)
    tg.clock.advance(5)
    toast = await tg.press(group, pia, card, "red")
    assert "Vote recorded" in (toast.text or "")
    # Pia holds a solo task (her own `s` payload is what Eve forges)
    await tg.fake.send_command(pia, pia, "/play")
    solo = await tg.sent(pia["id"], text="Which colour")
    solo_round = int(button(solo, "Skip ⏭").split(":")[2], 36)
    # one item in the review queue
    items = [
        r[0]
        for r in await fetch(
            tg, "SELECT id FROM items WHERE dataset_id = ? ORDER BY id", (camp.dataset_id,)
        )
    ]
    review_item = items[-1]
    async with tg.store.db.transaction() as tx:
        await tx.execute(
            "UPDATE tallies SET status = 'review', n_answers = 3 "
            "WHERE campaign_id = ? AND item_id = ?",
            (camp.id, review_item),
        )

    ident = await tg.store.get_identity("telegram", str(pia["id"]))
    assert ident is not None
    x_round = int(button(card, "red").split(":")[2], 36)
    eve = tg.person(EVE_ID, "Eve")
    theirs = tg.fake.group(Y_CHAT, "Eve's own")
    tg.fake.set_admins(theirs, eve)
    await tg.consented(eve, theirs)
    return X(
        group,
        mod,
        pia,
        eve,
        theirs,
        camp.id,
        camp.dataset_id,
        int(cid),
        review_item,
        x_round,
        solo_round,
        ident.player_id,
    )


async def reply_to(tg: World, chat: JSONDict, user: JSONDict, command: str, args: str) -> str:
    """What the bot answers (the next message it sends to `chat`) to `command args`."""
    seen = len(tg.fake.calls)
    await tg.fake.send_command(chat, user, command, args)
    call = await tg.fake.wait_for_call(
        "sendMessage",
        lambda c: (
            c.ok and c.params.get("chat_id") == chat["id"] and tg.fake.calls.index(c) >= seen
        ),
        include_consumed=True,
    )
    return str(call.params.get("text") or "")


# by name: (command, arguments with NAME for the object's name) ---------------------------
IN_GROUP = [
    ("/campaign", "status NAME"),
    ("/campaign", "start NAME"),
    ("/campaign", "pause NAME"),
    ("/campaign", "resume NAME"),
    ("/campaign", "stop NAME"),
    ("/campaign", "archive NAME"),
    ("/campaign", "schedule NAME every=5"),
    ("/campaign", "unschedule NAME"),
    ("/campaign", "create Mine game=verify dataset=NAME-data"),
    ("/round", "NAME"),
    ("/review", "NAME"),
    ("/report", "NAME"),
]
IN_PRIVATE = [("/export", "NAME"), ("/export", "NAME jsonl answers"), ("/audit", "5 NAME")]


async def test_a_stranger_names_xs_objects_and_reads_what_a_made_up_name_reads(
    tg: World, x: X
) -> None:
    before = await snapshot(tg, x)
    for chat, commands in ((x.theirs, IN_GROUP), (x.eve, IN_PRIVATE)):
        for command, args in commands:
            real = await reply_to(tg, chat, x.eve, command, args.replace("NAME", "colours"))
            fake = await reply_to(tg, chat, x.eve, command, args.replace("NAME", MADE_UP))
            assert real.replace("colours", "NAME") == fake.replace(MADE_UP, "NAME"), (
                command,
                args,
                real,
            )
            assert "Labelers" not in real
    # /standing of X's player by id reads like an id nobody has
    real = await reply_to(tg, x.theirs, x.eve, "/standing", str(x.pia["id"]))
    fake = await reply_to(tg, x.theirs, x.eve, "/standing", "987654")
    assert real.replace(str(x.pia["id"]), "ID") == fake.replace("987654", "ID")
    assert "Pia" not in real and "Labelers" not in real
    # /timezone and /announce act on Eve's own group only
    await reply_to(tg, x.theirs, x.eve, "/campaign", "timezone Asia/Tokyo")
    await reply_to(tg, x.theirs, x.eve, "/announce", "")
    assert await snapshot(tg, x) == before
    await no_audit_by_eve_on_x(tg, x)
    # X's own moderator still sees the campaign (the names above were real)
    await tg.fake.send_command(x.group, x.mod, "/campaign", "status colours")
    assert "colours" in shown(await tg.sent(X_CHAT, "sendPhoto"))


# by id and forged payload -----------------------------------------------------------------


def forged(x: X) -> list[str]:
    key = tally_key(x.campaign_id, x.review_item)
    pia_player, round_id = x.pia_player, x.x_round
    return [
        encode("r", key, 0),  # label X's review item
        encode("r", key, GOLD_BASE + 0),  # make it gold
        encode("r", key, 103),  # page through it
        encode("m", pia_player, OP_RESET),  # reset Pia's standing
        encode("m", x.campaign_id, 1),  # a campaign operation on X's campaign
        encode("a", round_id, 0),  # answer X's channel round from Y
        encode("s", x.solo_round),  # skip Pia's solo task
        encode("g", round_id),  # open the guess input of X's round
        encode("c", 7),  # consent with an odd value
        encode("f", 9),  # forget-me with an odd value
        encode("p", 5, flag="h"),  # privacy flag, odd value
        encode("p", 1, flag="z"),  # privacy, unknown flag
        encode("w", 99, 99),  # rewards view that does not exist
        encode("q", x.solo_round, 0),  # a quick-draw pick on Pia's round
    ]


async def test_forged_payloads_with_xs_ids_are_refused_and_change_nothing(tg: World, x: X) -> None:
    before = await snapshot(tg, x)
    leaks: list[tuple[str, str]] = []
    for chat in (x.theirs, x.eve):  # a message of the bot in her group, then in private
        await tg.fake.send_command(chat, x.eve, "/help")
        mine = await tg.sent(chat["id"])
        for data in forged(x):
            query = await tg.fake.press(chat, x.eve, mine.message_id, data, check=False)
            toast = (await tg.fake.wait_for_answer(query)).text or ""
            if not toast or any(n in toast for n in ("colours", "Labelers", "Pia")):
                leaks.append((data, toast))
    assert leaks == []
    for data in (encode("c", 7), encode("f", 9), encode("p", 5, flag="h")):
        query = await tg.fake.press(x.eve, x.eve, mine.message_id, data, check=False)
        assert "not one of mine" in ((await tg.fake.wait_for_answer(query)).text or ""), data
    assert await tg.store.get_identity("telegram", str(EVE_ID)) is not None  # f:9 forgot nothing
    assert await snapshot(tg, x) == before
    await no_audit_by_eve_on_x(tg, x)


def garbage(x: X) -> list[str]:
    """Forged payloads, malformed ones, a future version, ids past a database integer."""
    odd = ["v2:a:1:0", "v1:a:zzzzzzzzzzzzz:0", "v1:", "v1:a:1", "x" * 64, "v1:z:1:1", "💥"]
    return forged(x) + odd


async def test_a_flood_of_presses_and_commands_is_answered_and_others_are_served(
    tg: World, x: X
) -> None:
    """200 forged or garbage presses and 200 commands from one user at once: every press is
    answered (answerCallbackQuery), every command gets its message, no ERROR is logged (the
    trap), and another user's press and command are still served."""
    await tg.fake.send_command(x.eve, x.eve, "/help")
    mine = await tg.sent(x.eve["id"])
    ids = garbage(x)
    queries = [
        await tg.fake.press(x.eve, x.eve, mine.message_id, ids[i % len(ids)], check=False)
        for i in range(200)
    ]
    commands = [
        ("/campaign", "status colours"),
        ("/round", "colours"),
        ("/review", ""),
        ("/help", ""),
        ("/points", ""),
    ]
    for i in range(200):
        command, args = commands[i % len(commands)]
        await tg.fake.send_command(x.theirs, x.eve, command, args)
    for query in queries:
        assert (await tg.fake.wait_for_answer(query, timeout=30)).text
    for _ in range(200):  # one answer in her group per command
        await tg.fake.wait_for_call(
            "sendMessage", lambda c: c.ok and c.params.get("chat_id") == Y_CHAT, timeout=30
        )
    # another player is served: Bob answers X's round and asks for help
    before = await snapshot(tg, x)
    bob = tg.person(77, "Bob")
    await tg.consented(bob, x.group)
    round_card = next(
        m for m in tg.fake.bot_messages(X_CHAT) if m.buttons() and "Round" in shown(m)
    )
    toast = await tg.press(x.group, bob, round_card, "green")
    assert "Vote recorded" in (toast.text or "")
    assert await tg.count("answers") == len(before["answers"]) + 1
