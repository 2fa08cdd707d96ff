"""A player drawing in a Telegram group, end to end through the fake: the round card names
the drawing, its author's guess is refused, `/hide` is for moderators, and a hidden drawing
never comes back."""

from __future__ import annotations

from tests.drawings.helpers import drawing_campaign, square
from tests.support.fakes.telegram.payloads import JSONDict
from tests.support.telegram_world import World


async def _drawn_in_group(tg: World) -> tuple[JSONDict, int, str]:
    """Ann drew for the group's campaign, whose imported doodles are all labelled already;
    returns (group, drawing id, word)."""
    await tg.start()
    group = tg.group()
    campaign = await drawing_campaign(tg.store)
    await tg.consented(tg.person(100, "Ann"), group)
    community = await tg.store.upsert_community("telegram", str(group["id"]), "Labelers", 0.0)
    async with tg.store.db.transaction() as tx:
        await tx.execute("UPDATE campaigns SET community_id = ?", (community.id,))
        await tx.execute("UPDATE tallies SET status = 'finalized'")
    tg.engine.kernel.forget_campaign(campaign.id)
    ann = tg.ref(tg.person(100, "Ann"))
    p = await tg.engine.drawings.prompt(ann)
    done = await tg.engine.drawings.submit(ann, p.id, square(), "telegram")
    return group, done.drawing_id, p.word


async def test_a_moderator_hides_a_player_drawing_for_good(tg: World) -> None:
    group, drawing_id, word = await _drawn_in_group(tg)
    chat = group["id"]
    mod, ann, bob = tg.person(7, "Mo"), tg.person(100, "Ann"), tg.person(101, "Bob")
    tg.fake.set_admins(group, mod)
    await tg.consented(bob, group)
    await tg.fake.send_command(group, mod, "/round")
    card = await tg.sent(chat, "sendAnimation", text=f"drawing #{drawing_id}")
    assert word not in (card.text or card.caption or "").lower()

    tg.clock.advance(5)
    await tg.fake.send_command(group, ann, "/guess", word)
    await tg.sent(ann["id"], text="your own drawing")
    assert await tg.count("guesses") == 0

    await tg.fake.send_command(group, bob, "/hide", str(drawing_id))
    await tg.sent(chat, text="Only moderators can hide drawings")
    await tg.fake.send_command(group, mod, "/hide", "nonsense")
    await tg.sent(chat, text="Usage: /hide DRAWING_ID")
    await tg.fake.send_command(group, mod, "/hide", str(drawing_id))
    await tg.sent(chat, text=f"Drawing #{drawing_id} (“{word}”) is hidden")

    tg.clock.advance(120)
    await tg.engine.tick()  # the round on show ends
    await tg.fake.send_command(group, mod, "/round")
    await tg.sent(chat, text="Every doodle of Doodles is labelled or already in play")
