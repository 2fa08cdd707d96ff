"""The adversarial suite on Discord, through discord.py against the fake API (issue 12,
deliverable 4). Community X (the "Doodlers" server) has a campaign with its dataset, a review
queue item, a player with a standing, and a schedule. A stranger, Eve, makes her own server
Y (she owns it, so she manages it) and tries every moderator and admin command on X's
objects by name, then by id and by forged buttons. Each refusal reads exactly like the one
for a made-up name, and nothing of X changes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest

from bot.app import App
from bot.core.kernel.codec import encode
from bot.core.review.cards import GOLD_BASE, OP_RESET, tally_key
from storage import SqlStore
from tests.support.discord_world import World, round_of, shown
from tests.support.fakes.discord import FakeChannel, FakeInteraction, FakeUser, StoredMessage
from tests.support.seeds import seed_campaign

MADE_UP = "zzmissing"


@dataclass
class X:
    store: SqlStore
    eve: FakeUser
    theirs: FakeChannel
    campaign_id: int
    community_id: int
    review_item: int
    x_round: int
    solo_round: int
    ann_player: int


async def fetch(store: SqlStore, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    async with store.db.read() as conn:
        return [tuple(r) for r in await conn.fetch(sql, params)]


async def snapshot(x: X) -> dict[str, Any]:
    """Everything of community X a stranger could change."""
    state: dict[str, Any] = {}
    for table in (
        "campaigns",
        "datasets",
        "items",
        "tallies",
        "schedules",
        "rounds",
        "answers",
        "player_campaign",
        "review_log",
    ):
        state[table] = await fetch(x.store, f"SELECT * FROM {table} ORDER BY 1, 2")
    state["community"] = await fetch(
        x.store, "SELECT * FROM communities WHERE id = ?", (x.community_id,)
    )
    state["audit"] = await fetch(
        x.store, "SELECT * FROM audit_log WHERE campaign_id = ? ORDER BY id", (x.campaign_id,)
    )
    return state


async def no_audit_by_eve_on_x(x: X) -> None:
    rows = await fetch(
        x.store,
        "SELECT action FROM audit_log WHERE actor_id = ? AND "
        "(campaign_id = ? OR target LIKE '%colours%')",
        (str(x.eve.id), x.campaign_id),
    )
    assert rows == []


async def answer_text(ix: FakeInteraction) -> str:
    """What the user reads: the original response, or the first followup of a deferral."""
    await ix.wait_done()
    assert not ix.expired, ix
    if ix.response_type == 9:  # a modal (the guess input): its title and fields
        return f"modal: {ix.modal}"
    if ix.response_type in (4, 5):
        return shown(ix.original)
    return shown((await ix.wait_followups(1))[0])


@pytest.fixture
async def x(world: World, app: App) -> X:
    store = app.store
    assert store is not None
    camp = await seed_campaign(store, game="classify", items=6, min_overlap=3)
    ix = await world.fake.slash(world.mo, world.channel, "campaign", {}, subcommand="list")
    await ix.wait_done()
    async with store.db.transaction() as tx:
        cid = await tx.fetchval(
            "SELECT id FROM communities WHERE external_id = ?", (str(world.guild.id),)
        )
        await tx.execute("UPDATE campaigns SET community_id = ? WHERE id = ?", (cid, camp.id))
        await tx.execute(
            "UPDATE datasets SET community_id = ? WHERE id = ?", (cid, camp.dataset_id)
        )
    assert app.engine is not None
    app.engine.kernel.forget_campaign(camp.id)
    ix = await world.fake.slash(
        world.mo, world.channel, "campaign", {"name": "colours", "every": 60}, "schedule"
    )
    assert "every 60 min" in shown((await ix.wait_done()).original)
    card = await world.post_round()
    await world.consent(world.ann)
    press = await world.click(world.ann, card, "red")
    assert "Vote recorded" in shown(await world.private_reply(press))
    solo = (await world.slash(world.ann, "play")).original
    assert solo is not None
    items = await fetch(
        store, "SELECT id FROM items WHERE dataset_id = ? ORDER BY id", (camp.dataset_id,)
    )
    async with store.db.transaction() as tx:
        await tx.execute(
            "UPDATE tallies SET status = 'review', n_answers = 3 "
            "WHERE campaign_id = ? AND item_id = ?",
            (camp.id, items[-1][0]),
        )
    ident = await store.get_identity("discord", str(world.ann.id))
    assert ident is not None

    eve = world.fake.user("eve")
    guild = world.fake.add_guild("Eve's own", owner=eve)
    theirs = world.fake.add_channel(guild, "mine")
    await world.consent(eve, theirs)
    return X(
        store,
        eve,
        theirs,
        camp.id,
        int(cid),
        items[-1][0],
        round_of(card),
        round_of(solo),
        ident.player_id,
    )


# (subcommand or None, command, options with NAME for the object's name)
BY_NAME: list[tuple[str, str | None, dict[str, Any]]] = [
    ("campaign", "status", {"name": "NAME"}),
    ("campaign", "start", {"name": "NAME"}),
    ("campaign", "pause", {"name": "NAME"}),
    ("campaign", "resume", {"name": "NAME"}),
    ("campaign", "stop", {"name": "NAME"}),
    ("campaign", "archive", {"name": "NAME"}),
    ("campaign", "schedule", {"name": "NAME", "every": 5}),
    ("campaign", "schedule", {"name": "NAME", "stop": True}),
    ("campaign", "create", {"name": "Mine", "game": "verify", "dataset": "NAME-data"}),
    ("round", None, {"campaign": "NAME"}),
    ("review", None, {"campaign": "NAME"}),
    ("report", None, {"campaign": "NAME"}),
    ("export", None, {"campaign": "NAME"}),
    ("export", None, {"campaign": "NAME", "format": "jsonl", "answers": True}),
    ("audit", None, {"campaign": "NAME"}),
]


async def reply(
    world: World, user: FakeUser, channel: FakeChannel, name: str, sub: str | None, opts: Any
) -> str:
    ix = await world.fake.slash(user, channel, name, opts, subcommand=sub)
    return await answer_text(ix)


async def test_a_stranger_names_xs_objects_and_reads_what_a_made_up_name_reads(
    world: World, x: X
) -> None:
    before = await snapshot(x)
    for name, sub, options in BY_NAME:
        real = {
            k: v.replace("NAME", "colours") if isinstance(v, str) else v
            for k, v in options.items()
        }
        made_up = {
            k: v.replace("NAME", MADE_UP) if isinstance(v, str) else v for k, v in options.items()
        }
        seen = await reply(world, x.eve, x.theirs, name, sub, real)
        other = await reply(world, x.eve, x.theirs, name, sub, made_up)
        assert seen.replace("colours", "NAME") == other.replace(MADE_UP, "NAME"), (name, sub, seen)
        assert "Doodlers" not in seen
    # /standing of X's player reads like a user who never joined
    nobody = world.fake.user("nobody")
    seen = await reply(world, x.eve, x.theirs, "standing", None, {"user": world.ann})
    other = await reply(world, x.eve, x.theirs, "standing", None, {"user": nobody})
    assert seen.replace("ann", "NAME") == other.replace("nobody", "NAME"), seen
    # the time zone and announcements are those of Eve's own server
    await reply(world, x.eve, x.theirs, "campaign", "timezone", {"zone": "Asia/Tokyo"})
    await reply(world, x.eve, x.theirs, "announce", None, {})
    assert await snapshot(x) == before
    await no_audit_by_eve_on_x(x)
    # the names were real: X's moderator sees the campaign
    seen = await reply(world, world.mo, world.channel, "campaign", "status", {"name": "colours"})
    assert "colours" in seen


def forged(x: X) -> list[str]:
    key = tally_key(x.campaign_id, x.review_item)
    return [
        encode("r", key, 0),  # label X's review item
        encode("r", key, GOLD_BASE + 0),  # make it gold
        encode("r", key, 103),  # page through it
        encode("m", x.ann_player, OP_RESET),  # reset Ann's standing
        encode("m", x.campaign_id, 1),  # an operation on X's campaign
        encode("a", x.x_round, 0),  # answer X's channel round from Y
        encode("s", x.solo_round),  # skip Ann's solo task
        encode("q", x.solo_round, 0),  # a quick-draw pick on Ann's round
        encode("g", x.x_round),  # the guess input of X's round
        encode("c", 7),  # consent, odd value
        encode("f", 9),  # forget-me, odd value
        encode("p", 5, flag="h"),  # privacy, odd value
        encode("w", 99, 99),  # a rewards view that does not exist
    ]


def carrying(message: StoredMessage, custom_id: str) -> StoredMessage:
    """`message` as a modified client shows it: with a button carrying `custom_id` (discord.py
    only dispatches a component the message carries)."""
    button = {"type": 2, "style": 1, "label": "forged", "custom_id": custom_id}
    message.data["components"] = [{"type": 1, "components": [button]}]
    return message


async def test_forged_buttons_with_xs_ids_are_refused_and_change_nothing(
    world: World, x: X
) -> None:
    before = await snapshot(x)
    mine = (await world.slash(x.eve, "help", channel=x.theirs)).original
    assert mine is not None
    leaks: list[tuple[str, str]] = []
    for data in forged(x):
        ix = await world.fake.press(x.eve, carrying(mine, data), data)
        text = await answer_text(ix)
        if not text or re.search(r"colours|Doodlers|#play|\bann\b", text):
            leaks.append((data, text))
    assert leaks == []
    for data in (encode("c", 7), encode("f", 9), encode("p", 5, flag="h")):
        ix = await world.fake.press(x.eve, carrying(mine, data), data)
        assert "not one of mine" in await answer_text(ix), data
    assert await snapshot(x) == before
    await no_audit_by_eve_on_x(x)
    assert await x.store.get_identity("discord", str(x.eve.id)) is not None


def garbage(x: X) -> list[str]:
    """Forged payloads, malformed ones, a future version, the longest custom_id Discord takes."""
    odd = ["v2:a:1:0", "v1:a:zzzzzzzzzzzzz:0", "v1:", "v1:a:1", "x" * 100, "v1:z:1:1", "💥"]
    return forged(x) + odd


async def test_a_flood_of_presses_and_commands_is_answered_and_others_are_served(
    world: World, x: X
) -> None:
    """200 forged or garbage presses and 200 commands from one user, in waves of 20 sent
    without waiting: each is answered once within Discord's 3 s (the fake enforces both; a
    late or second answer is an error the trap reports), and another user is still served."""
    mine = (await world.slash(x.eve, "help", channel=x.theirs)).original
    assert mine is not None
    ids = garbage(x)
    presses = [ids[i % len(ids)] for i in range(200)]
    for wave in range(0, 200, 20):
        sent = [
            await world.fake.press(x.eve, carrying(mine, data), data)
            for data in presses[wave : wave + 20]
        ]
        for ix in sent:
            assert await answer_text(ix)
    commands: list[tuple[str, str | None, dict[str, Any]]] = [
        ("campaign", "status", {"name": "colours"}),
        ("round", None, {"campaign": "colours"}),
        ("review", None, {}),
        ("help", None, {}),
        ("points", None, {}),
    ]
    for wave in range(0, 200, 20):
        sent = [
            await world.fake.slash(x.eve, x.theirs, *_cmd(commands[i % len(commands)]))
            for i in range(wave, wave + 20)
        ]
        for ix in sent:
            assert await answer_text(ix)
    flood = [ix for ix in world.fake.interactions.values() if ix.user is x.eve]
    assert len(flood) >= 400 and all(ix.response_type and not ix.expired for ix in flood)
    before = await snapshot(x)
    await world.consent(world.bob)
    card = await world.post_round()
    press = await world.click(world.bob, card, "green")
    assert "Vote recorded" in shown(await world.private_reply(press))
    assert len(await x.store.round_answers(round_of(card))) == 1
    assert (await snapshot(x))["campaigns"] == before["campaigns"]


def _cmd(spec: tuple[str, str | None, dict[str, Any]]) -> tuple[str, dict[str, Any], str | None]:
    name, sub, options = spec
    return name, options, sub
