"""Players and staff on the dashboard, driven through the engine as chat drives it (SQLite
and PostgreSQL): gold accuracy from a played tutorial, a hidden player (/privacy) stays
pseudonymous even to admins, and a moderator's chat action appears in the admins' audit log."""

from __future__ import annotations

import re

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from storage import SqlStore
from tests.support.engine import MOD, answer_payload, consented, player
from tests.support.seeds import seed_campaign
from tests.web.dashboard_world import ADMIN, moderator_of, serve
from tests.web.test_dashboard_pages import campaign_in, community


async def play_tutorial(engine: Engine, store: SqlStore, clock: ManualClock, i: int) -> None:
    """Player i answers the two gold items of the tutorial: the first right, the second
    wrong."""
    p = player(i)
    await consented(engine, p)
    card = await engine.play.next_task(p)
    for step in range(2):
        rnd = await store.get_round(card.round_id or 0)
        assert rnd is not None
        item = await store.get_item(rnd.item_id)
        assert item is not None and item.gold is not None
        right = "Yes" if item.gold == "yes" else "No"
        wrong = "No" if right == "Yes" else "Yes"
        clock.advance(4)
        reply = (await engine.handle_button(p, answer_payload(card, [right, wrong][step]))).chain()
        card = reply[-1]


async def test_contributors_show_gold_accuracy_and_hidden_players_stay_pseudonymous(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    camp = await seed_campaign(store, items=8, gold=2)
    await play_tutorial(engine, store, clock, 1)
    await play_tutorial(engine, store, clock, 2)
    await engine.players.privacy(player(2), hide=True)
    async with serve(engine) as web:
        status, _, html = await web.get(f"/dashboard/campaigns/{camp.id}/contributors", ADMIN)
        assert status == 200
        rows = re.findall(
            r"<tr><td>([^<]+)</td><td>(\d+)</td><td>(\d+)</td><td>([^<]+)</td>", html
        )
        assert [(who, gold, acc) for who, _, gold, acc in rows if who == "Player1"] == [
            ("Player1", "2", "50.0%")
        ]
        assert "Player2" not in html
        assert len([r for r in rows if re.fullmatch(r"w_[0-9a-f]{12}", r[0])]) == 1


async def test_a_moderators_chat_action_shows_in_the_admins_audit_log(
    engine: Engine, store: SqlStore
) -> None:
    shared = await seed_campaign(store, name="shared")
    club = (await store.upsert_community("discord", "g1", "Shape Club", 0.0)).id
    other = await community(store, "B")
    await campaign_in(store, shared, "club-run", club)
    reply = await engine.campaigns.campaign_action(MOD, "pause", "club-run")
    assert "club-run" in reply.text
    async with serve(engine) as web:
        _, _, html = await web.get("/dashboard/audit", ADMIN)
        assert "campaign.pause" in html and "club-run" in html and "Player90" in html
        status, _, html = await web.get("/dashboard/audit", moderator_of(club))
        assert status == 404 and "campaign.pause" not in html
        status, _, _ = await web.get("/dashboard", moderator_of(other))
        assert status == 200
        _, _, html = await web.get("/dashboard", moderator_of(club))
        assert re.search(r"club-run</a></td><td>Shape Club</td><td>verify</td><td>paused", html)
