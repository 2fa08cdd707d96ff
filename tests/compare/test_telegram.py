"""Compare on Telegram, end to end through the fake: /play shows a pair as one side-by-side
picture (L and R) with ⬅️ Left / ➡️ Right / 🤷 Can't tell; a press stores one answer (a
second press on the same card stores nothing); the same two items never come back."""

from __future__ import annotations

import io

from PIL import Image

from bot.render.pair import BAND, GAP, PANEL
from tests.compare.helpers import compare_campaign
from tests.support.telegram_world import World, button, shown


async def test_a_player_compares_pairs_in_the_private_chat(tg: World) -> None:
    await tg.start()
    campaign = await compare_campaign(tg.engine, pairs_per_item=3)  # 4 discs, 6 pairs
    ann = tg.person(42, "Ann")
    await tg.consented(ann)
    await tg.fake.send_command(ann["id"], ann, "/play")
    seen: set[tuple[int, int]] = set()
    card = await tg.sent(ann["id"], "sendPhoto", text="Which disc is bigger?")
    for n in range(6):
        assert card.file is not None
        with Image.open(io.BytesIO(card.file.data)) as pic:
            assert pic.size == (2 * PANEL + 3 * GAP, PANEL + BAND + 2 * GAP)
        labels = [label for row in card.buttons() for label, _ in row]
        assert labels[:3] == ["⬅️ Left", "➡️ Right", "🤷 Can't tell"]
        tg.clock.advance(5)
        # a double click: a second button pressed before the first answer edits the card
        first = button(card, "⬅️ Left" if n % 2 else "🤷 Can't tell")
        q1 = await tg.fake.press(ann, ann, card.message_id, first)
        q2 = await tg.fake.press(ann, ann, card.message_id, button(card, "➡️ Right"))
        await tg.fake.wait_for_answer(q1)
        await tg.fake.wait_for_answer(q2)
        await tg.edited(ann["id"], card.message_id, "Your answer", "editMessageCaption")
        rows = await tg.store.campaign_answers(campaign.id)
        assert len(rows) == n + 1
        item = await tg.store.get_item(rows[-1].item_id)
        assert item is not None and item.kind == "pair"
        key = (
            min(item.meta["left_id"], item.meta["right_id"]),
            max(item.meta["left_id"], item.meta["right_id"]),
        )
        assert key not in seen
        seen.add(key)
        if n < 5:
            card = await tg.sent(ann["id"], "sendPhoto", text="Which disc is bigger?")
    await tg.sent(ann["id"], text="No tasks for you right now")
    assert "Which disc is bigger?" in shown(card)
    assert sorted(a.label for a in await tg.store.campaign_answers(campaign.id)) == [
        "cant_tell", "cant_tell", "cant_tell", "left", "left", "left",
    ]  # fmt: skip
