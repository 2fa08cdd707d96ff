"""Quality control end to end on Telegram (the real App against the fake Bot API): gold
feedback and the tutorial in the private chat; in a group, too-fast answers, dynamic
overlap, the review queue, standings and the report, moderators only."""

from __future__ import annotations

from bot.core.exports.labels import label_rows
from bot.core.kernel.codec import decode
from tests.review.owned import own_in
from tests.support.fakes.telegram.payloads import Call, FakeMessage, JSONDict
from tests.support.seeds import fast_answers_before
from tests.support.telegram_world import World, button, shown

GOLD_TEXT = {"yes": "Yes", "no": "No"}


async def edited(
    tg: World, chat_id: int, message_id: int, text: str, method: str = "editMessageText"
) -> FakeMessage:
    """Wait until that message of that chat was edited to show `text` (message ids repeat
    across chats, so the chat is part of the match)."""

    def hit(c: Call) -> bool:
        return (
            c.ok
            and c.params.get("chat_id") == chat_id
            and c.params.get("message_id") == message_id
            and text in shown(tg.fake.message(chat_id, message_id))
        )

    await tg.fake.wait_for_call(method, hit, include_consumed=True)
    return tg.fake.message(chat_id, message_id)


async def gold_of(world: World, card: FakeMessage) -> str:
    """The gold answer of the item on a solo card (looked up in the store)."""
    round_id = decode(button(card, "Yes")).args[0]
    rnd = await world.store.get_round(round_id)
    assert rnd is not None
    item = await world.store.get_item(rnd.item_id)
    assert item is not None and item.gold is not None
    return item.gold


async def test_tutorial_gold_feedback_pass_and_fail(tg: World) -> None:
    await tg.start()
    await tg.campaign(items=8, gold=2)  # the tutorial: 2 gold items, both must be right
    ann, bob = tg.person(42, "Ann"), tg.person(43, "Bob")
    for user, right in ((ann, True), (bob, False)):
        await tg.consented(user)
        chat = user["id"]
        await tg.fake.send_command(chat, user, "/play")
        card = await tg.sent(chat, "sendPhoto", text="🎓 Tutorial 1/2 (get 2 of 2 right)")
        for step in (1, 2):
            gold = await gold_of(tg, card)
            pick = GOLD_TEXT[gold] if right else GOLD_TEXT["no" if gold == "yes" else "yes"]
            tg.clock.advance(5)
            await tg.press(user, user, card, pick)
            done = await edited(tg, chat, card.message_id, "Your answer", "editMessageCaption")
            colour = "red" if gold == "yes" else "green"
            if right:
                assert "✅ Right!" in shown(done)
            else:
                assert f"❌ Not quite: the answer is {GOLD_TEXT[gold]}." in shown(done)
            assert f"It is {colour}." in shown(done)  # the explanation, at once
            if step == 1:
                card = await tg.sent(chat, "sendPhoto", text="🎓 Tutorial 2/2")
        if right:
            assert "🎓 Tutorial passed! Your answers now count toward labels." in shown(done)
            nxt = await tg.sent(chat, "sendPhoto", text="Is this red?")
            assert not shown(nxt).startswith("🎓")
        else:
            assert "🎓 Tutorial not passed this time. You can retry in 60 min." in shown(done)
            await tg.sent(chat, text="tutorial retry in 60 min")


async def group_with_moderator(tg: World) -> tuple[JSONDict, JSONDict, list[JSONDict]]:
    """Group "Labelers" with administrator Mo, and consented players P1..P6."""
    mod = tg.person(7, "Mo")
    group = tg.group()
    tg.fake.set_admins(group, mod)
    players = [tg.person(100 + i, f"P{i}") for i in range(1, 7)]
    for p in players:
        await tg.consented(p, group)
    return group, mod, players


async def answer_round(
    tg: World,
    group: JSONDict,
    mod: JSONDict,
    votes: list[tuple[JSONDict, str, float]],
    method: str = "sendMessage",
) -> tuple[FakeMessage, list[str]]:
    """Mo posts /round; each player presses their label `wait` seconds after the card."""
    await tg.fake.send_command(group, mod, "/round")
    card = await tg.sent(group["id"], method, text="🗳️ Round")
    toasts = []
    for player, label, wait in votes:
        tg.clock.advance(wait)
        toasts.append((await tg.press(group, player, card, label)).text or "")
    return card, toasts


async def test_overlap_too_fast_review_export_standing_and_report(tg: World) -> None:
    await tg.start()
    camp = await tg.campaign(
        game="classify", items=3, min_overlap=2, max_overlap=3, text_items=True
    )
    group, mod, (p1, p2, p3, p4, p5, p6) = await group_with_moderator(tg)
    await own_in(tg.engine, camp, str(group["id"]))  # only admins moderate shared campaigns
    chat = group["id"]

    # An easy item: two agreeing votes finalize it at the minimum overlap.
    _, toasts = await answer_round(tg, group, mod, [(p1, "red", 5), (p2, "red", 1)])
    assert "🏁 Your answer finalized this item: red." in toasts[1]

    await fast_answers_before(tg.store, "telegram", str(p3["id"]), camp.id)
    # A disputed one: a too-fast vote is set aside (and the player told why); three
    # counted votes that disagree reach the maximum overlap and send it to review.
    _, toasts = await answer_round(
        tg, group, mod, [(p3, "blue", 0.2), (p4, "red", 5), (p5, "green", 1), (p6, "blue", 1)]
    )
    assert "quicker than 1.2s, so it doesn't count and earns no points" in toasts[0]
    tally = await tg.store.get_tally(camp.id, 2)
    assert tally is not None and (tally.status, tally.n_answers) == ("review", 3)

    # Non-moderators are refused plainly.
    await tg.fake.send_command(group, p1, "/review")
    refusal = await tg.sent(chat, text="Only moderators can use /review")
    assert refusal.buttons() == []

    await tg.fake.send_command(group, mod, "/report")
    report = await tg.sent(chat, text="📊 Quality report · colours")
    assert "finalized 1 (33.3%, 0 by a moderator) · in review 1 · open 1" in shown(report)
    assert "too fast: 1 / 1" in shown(report)

    await tg.fake.send_command(group, mod, "/review")
    card = await tg.sent(chat, text="🔍 Review · colours · 1 of 1 in review")
    assert "Votes: red 1 · green 1 · blue 1" in shown(card)
    assert "Set aside: 1 (too fast ×1)" in shown(card)
    assert [label for row in card.buttons() for label, _ in row] == [
        "red",
        "green",
        "blue",
        "◀ Back",
        "Skip ⏭",
        "⭐ Make gold",
    ]
    toast = await tg.press(group, p1, card, "green")
    assert toast.text and "Only moderators" in toast.text
    toast = await tg.press(group, mod, card, "green")
    assert toast.text == "✅ Item 2 labelled green (expert label)."
    done = await edited(tg, chat, card.message_id, "Nothing to review")
    assert done.buttons() == []

    rows = {r["item_id"]: r for r in await label_rows(tg.store, camp)}
    assert (rows[2]["label"], rows[2]["method"], rows[2]["expert"]) == ("green", "expert", True)
    assert rows[1]["label"] == "red" and rows[1]["status"] == "finalized"

    # /standing as a reply to the player's message, and the reset.
    said = await tg.fake.send_text(group, p3, "hi all")
    assert said is not None
    await tg.fake.send_command(group, mod, "/standing", reply_to=said["message_id"])
    standing = await tg.sent(chat, text="🧾 Standing · P3")
    assert "⚠️ too fast ×1: answered in under 1.2s" in shown(standing)
    await tg.fake.send_command(group, p1, "/standing", str(p3["id"]))
    await tg.sent(chat, text="Only moderators can use /standing")
    toast = await tg.press(group, mod, standing, "♻️ Reset standing")
    assert toast.text == "Standing reset."
    after = await edited(tg, chat, standing.message_id, "Standing reset")
    assert "⚠️" not in shown(after)
    await tg.fake.send_command(group, mod, "/standing", str(p3["id"]))
    again = await tg.sent(chat, text="🧾 Standing · P3")
    assert "⚠️" not in shown(again) and again.message_id != standing.message_id


async def test_review_cards_page_with_their_pictures_and_make_gold(tg: World) -> None:
    await tg.start()
    camp = await tg.campaign(game="classify", items=4, min_overlap=2, max_overlap=3)
    group, mod, (p1, p2, p3, p4, p5, p6) = await group_with_moderator(tg)
    await own_in(tg.engine, camp, str(group["id"]))  # only admins moderate shared campaigns
    chat = group["id"]
    for votes in (
        [(p1, "red", 5.0), (p2, "green", 1.0), (p3, "blue", 1.0)],
        [(p4, "blue", 5.0), (p5, "green", 1.0), (p6, "red", 1.0)],
    ):
        await answer_round(tg, group, mod, votes, "sendPhoto")

    await tg.fake.send_command(group, mod, "/review")
    card = await tg.sent(chat, "sendPhoto", text="1 of 2 in review")
    first_picture = card.image().getpixel((0, 0))
    await tg.press(group, mod, card, "Skip ⏭")
    card = await edited(tg, chat, card.message_id, "2 of 2 in review", "editMessageMedia")
    assert card.image().getpixel((0, 0)) != first_picture  # the next item's picture

    await tg.press(group, mod, card, "⭐ Make gold")
    card = await edited(tg, chat, card.message_id, "Make it a gold item", "editMessageCaption")
    assert [label for row in card.buttons() for label, _ in row] == [
        "red",
        "green",
        "blue",
        "Cancel",
    ]
    toast = await tg.press(group, mod, card, "blue")
    assert toast.text == "⭐ Item 2 is now a gold item: blue."
    card = await edited(tg, chat, card.message_id, "1 of 1 in review", "editMessageMedia")
    assert (await tg.store.campaign_gold(camp.id))[2][0] == "blue"
    rows = {r["item_id"]: r for r in await label_rows(tg.store, camp)}
    assert (rows[2]["label"], rows[2]["status"], rows[2]["expert"]) == ("blue", "gold", True)
