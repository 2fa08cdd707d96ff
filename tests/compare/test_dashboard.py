"""A compare campaign's dashboard page shows its ranking, over real HTTP on loopback."""

from __future__ import annotations

from bot.core.engine import Engine
from bot.core.kernel.errors import NoTaskAvailable
from tests.compare.helpers import compare_campaign, task, truthful_choice
from tests.support.engine import consented, player
from tests.web.dashboard_world import ADMIN, serve

WORDS = ("poor", "fair", "good")


async def test_the_campaign_page_shows_the_ranking(engine: Engine) -> None:
    campaign = await compare_campaign(engine, texts=WORDS, pairs_per_item=2)
    items = await engine.store.campaign_items(campaign.id)
    score = {i.id: float(WORDS.index(i.text or "")) for i in items}
    ann = player(1)
    await consented(engine, ann)
    while True:
        try:
            card, item = await task(engine, ann)
        except NoTaskAvailable:
            break
        assert card.round_id is not None
        choice = truthful_choice(item, score)
        await engine.play.answer(ann, card.round_id, choice, continue_session=False)
    async with serve(engine) as web:
        status, _, html = await web.get(f"/dashboard/campaigns/{campaign.id}", ADMIN)
    assert status == 200
    assert "Ranking (Bradley-Terry, 3 comparisons)" in html
    rows = html.split("<caption>Ranking")[1]
    assert rows.index("<td>good</td>") < rows.index("<td>fair</td>") < rows.index("<td>poor</td>")
