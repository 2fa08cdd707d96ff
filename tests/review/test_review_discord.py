"""Quality control end to end on Discord (the real App against the fake gateway and REST):
gold feedback and the tutorial in solo play; in a channel, too-fast answers, dynamic
overlap, the review queue, standings and the report, moderators only."""

from __future__ import annotations

from bot.core.exports.labels import label_rows
from bot.core.kernel import codec
from storage import SqlStore
from tests.review.owned import own_in
from tests.support.discord_world import World, labels, shown
from tests.support.fakes.discord import FakeUser, StoredMessage

GOLD_TEXT = {"yes": "Yes", "no": "No"}


def store_of(dc: World) -> SqlStore:
    store = dc.apps[-1].store
    assert store is not None
    return store


async def gold_of(dc: World, card: StoredMessage) -> str:
    custom_id = card.button("Yes").custom_id
    assert custom_id is not None
    rnd = await store_of(dc).get_round(codec.decode(custom_id).args[0])
    assert rnd is not None
    item = await store_of(dc).get_item(rnd.item_id)
    assert item is not None and item.gold is not None
    return item.gold


async def test_tutorial_gold_feedback_pass_and_fail(dc: World) -> None:
    from tests.support.seeds import seed_campaign

    app = await dc.start_app()
    assert app.store is not None
    await seed_campaign(app.store, items=8, gold=2)  # the tutorial: 2 gold items
    for user, right in ((dc.ann, True), (dc.bob, False)):
        await dc.consent(user)
        card = (await dc.slash(user, "play")).original
        assert card is not None and "🎓 Tutorial 1/2 (get 2 of 2 right)" in shown(card)
        for step in (1, 2):
            gold = await gold_of(dc, card)
            pick = GOLD_TEXT[gold] if right else GOLD_TEXT["no" if gold == "yes" else "yes"]
            dc.clock.advance(5)
            press = await dc.click(user, card, pick)
            nxt = await dc.private_reply(press)
            await dc.wait_shown(card, "Your answer")
            if right:
                assert "✅ Right!" in shown(card)
            else:
                assert f"❌ Not quite: the answer is {GOLD_TEXT[gold]}." in shown(card)
            assert f"It is {'red' if gold == 'yes' else 'green'}." in shown(card)
            if step == 1:
                assert "🎓 Tutorial 2/2" in shown(nxt)
                card = nxt
        if right:
            assert "🎓 Tutorial passed! Your answers now count toward labels." in shown(card)
            assert "Is this red?" in shown(nxt) and not shown(nxt).startswith("🎓")
        else:
            assert "🎓 Tutorial not passed this time. You can retry in 60 min." in shown(card)
            assert "tutorial retry in 60 min" in shown(nxt)


async def answer_round(
    dc: World, votes: list[tuple[FakeUser, str, float]]
) -> tuple[StoredMessage, list[str]]:
    """The moderator posts a round in #play; each player clicks their label after `wait` s."""
    card = await dc.post_round()
    feedback = []
    for user, label, wait in votes:
        dc.clock.advance(wait)
        feedback.append(shown(await dc.private_reply(await dc.click(user, card, label))))
    return card, feedback


async def test_overlap_too_fast_review_export_standing_and_report(dc: World) -> None:
    from tests.support.seeds import fast_answers_before, seed_campaign

    app = await dc.start_app()
    assert app.store is not None
    camp = await seed_campaign(
        app.store, game="classify", items=3, min_overlap=2, max_overlap=3, text_items=True
    )
    more = [dc.fake.user(name) for name in ("dan", "eve", "fay")]
    for user in more:
        dc.fake.add_member(dc.guild, user)
    ann, bob, cat, dan, eve, fay = dc.ann, dc.bob, dc.cat, *more
    for user in (ann, bob, cat, dan, eve, fay):
        await dc.consent(user)
    await own_in(app.engine, camp, str(dc.guild.id))  # only admins moderate shared campaigns

    # An easy item: two agreeing votes finalize it at the minimum overlap.
    _, said = await answer_round(dc, [(ann, "red", 5), (bob, "red", 1)])
    assert "🏁 Your answer finalized this item: red." in said[1]

    await fast_answers_before(app.store, "discord", str(cat.id), camp.id)
    # A disputed one: a too-fast vote is set aside (the player is told why); three counted
    # votes that disagree reach the maximum overlap and send it to review.
    _, said = await answer_round(
        dc, [(cat, "blue", 0.2), (dan, "red", 5), (eve, "green", 1), (fay, "blue", 1)]
    )
    assert "quicker than 1.2s, so it doesn't count and earns no points" in said[0]
    tally = await app.store.get_tally(camp.id, 2)
    assert tally is not None and (tally.status, tally.n_answers) == ("review", 3)

    refused = await dc.slash(ann, "review")  # not a moderator
    assert refused.ephemeral and "Only moderators can use /review" in shown(refused.original)

    report = await dc.slash(dc.mo, "report")
    assert report.ephemeral and "📊 Quality report · colours" in shown(report.original)
    assert "finalized 1 (33.3%, 0 by a moderator) · in review 1 · open 1" in shown(report.original)
    assert "too fast: 1 / 1" in shown(report.original)

    ix = await dc.slash(dc.mo, "review")
    card = ix.original
    assert card is not None and ix.ephemeral
    assert "🔍 Review · colours · 1 of 1 in review" in shown(card)
    assert "Votes: red 1 · green 1 · blue 1" in shown(card)
    assert "Set aside: 1 (too fast ×1)" in shown(card)
    assert labels(card) == ["red", "green", "blue", "◀ Back", "Skip ⏭", "⭐ Make gold"]
    await dc.click(dc.mo, card, "green")
    await dc.wait_shown(card, "✅ Item 2 labelled green (expert label).")
    assert "Nothing to review" in shown(card) and card.buttons() == []

    rows = {r["item_id"]: r for r in await label_rows(app.store, camp)}
    assert (rows[2]["label"], rows[2]["method"], rows[2]["expert"]) == ("green", "expert", True)
    assert rows[1]["label"] == "red" and rows[1]["status"] == "finalized"

    refused = await dc.slash(ann, "standing", {"user": cat})
    assert "Only moderators can use /standing" in shown(refused.original)
    ix = await dc.slash(dc.mo, "standing", {"user": cat})
    standing = ix.original
    assert standing is not None and ix.ephemeral
    assert "🧾 Standing · cat" in shown(standing)
    assert "⚠️ too fast ×1: answered in under 1.2s" in shown(standing)
    await dc.click(dc.mo, standing, "♻️ Reset standing")
    await dc.wait_shown(standing, "Standing reset")
    assert "⚠️" not in shown(standing)
    nobody = dc.fake.user("zed")
    dc.fake.add_member(dc.guild, nobody)
    missing = await dc.slash(dc.mo, "standing", {"user": nobody})
    assert "zed hasn't joined LabelQuest" in shown(missing.original)
