"""A player drawing in a Discord channel, end to end through the fake: the round card names
the drawing, its author's /guess is refused, `/hide` is for moderators, and a hidden drawing
never comes back."""

from __future__ import annotations

from bot.core.kernel.models import PlayerRef
from tests.drawings.helpers import drawing_campaign, square
from tests.support.discord_world import World, shown


async def test_a_moderator_hides_a_player_drawing_for_good(dc: World) -> None:
    app = await dc.start_app()
    assert app.store is not None and app.engine is not None
    campaign = await drawing_campaign(app.store)
    for user in (dc.ann, dc.bob):
        await dc.consent(user)
    community = await app.store.upsert_community("discord", str(dc.guild.id), "Doodlers", 0.0)
    async with app.store.db.transaction() as tx:
        await tx.execute("UPDATE campaigns SET community_id = ?", (community.id,))
        await tx.execute("UPDATE tallies SET status = 'finalized'")
    app.engine.kernel.forget_campaign(campaign.id)
    ann = PlayerRef("discord", str(dc.ann.id), "ann")
    p = await app.engine.drawings.prompt(ann)
    drawing_id = (await app.engine.drawings.submit(ann, p.id, square(), "discord")).drawing_id

    card = await dc.post_round()
    assert f"drawing #{drawing_id}" in shown(card) and p.word not in shown(card).lower()
    dc.clock.advance(4)
    own = await dc.slash(dc.ann, "guess", {"word": p.word})
    assert own.ephemeral and "your own drawing" in shown(own.original)

    refused = await dc.slash(dc.bob, "hide", {"drawing": drawing_id})
    assert refused.ephemeral and "Only moderators can hide drawings" in shown(refused.original)
    missing = await dc.slash(dc.mo, "hide", {"drawing": drawing_id + 50})
    assert f"No drawing #{drawing_id + 50} here" in shown(missing.original)
    hidden = await dc.slash(dc.mo, "hide", {"drawing": drawing_id})
    assert hidden.ephemeral and f"Drawing #{drawing_id} (“{p.word}”) is hidden" in shown(
        hidden.original
    )

    dc.clock.advance(120)
    await app.engine.tick()  # the round on show ends
    again = await dc.slash(dc.mo, "round")
    assert "Every doodle of Doodles is labelled or already in play" in shown(again.original)
