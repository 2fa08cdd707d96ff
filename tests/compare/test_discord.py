"""Compare on Discord, end to end through the fake: /play shows a pair as one side-by-side
picture with ⬅️ Left / ➡️ Right / 🤷 Can't tell, privately; each click stores one answer and
brings the next pair; the same two items never come back."""

from __future__ import annotations

from bot.render.pair import BAND, GAP, PANEL
from tests.compare.helpers import compare_campaign
from tests.support.discord_world import World, labels, shown


async def test_a_player_compares_every_pair_once(dc: World) -> None:
    app = await dc.start_app()
    assert app.engine is not None and app.store is not None
    campaign = await compare_campaign(app.engine, pairs_per_item=3)  # 4 discs, 6 pairs
    await dc.consent(dc.ann)
    ix = await dc.slash(dc.ann, "play")
    card = ix.original
    assert card is not None and ix.ephemeral
    keys: set[tuple[int, int]] = set()
    for n in range(6):
        assert "Which disc is bigger?" in shown(card)
        assert labels(card)[:3] == ["⬅️ Left", "➡️ Right", "🤷 Can't tell"]
        (image,) = card.attachments
        assert image.image().size == (2 * PANEL + 3 * GAP, PANEL + BAND + 2 * GAP)
        dc.clock.advance(5)
        press = await dc.click(dc.ann, card, "➡️ Right")
        nxt = await dc.private_reply(press)
        await dc.wait_shown(card, "Your answer")
        answers = await app.store.campaign_answers(campaign.id)
        assert len(answers) == n + 1 and answers[-1].label == "right"
        item = await app.store.get_item(answers[-1].item_id)
        assert item is not None and item.kind == "pair"
        key = tuple(sorted((item.meta["left_id"], item.meta["right_id"])))
        assert key not in keys
        keys.add((key[0], key[1]))
        card = nxt
    assert "No tasks for you right now" in shown(card)
    assert len(keys) == 6
