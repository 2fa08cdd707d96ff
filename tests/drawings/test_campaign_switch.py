"""Whether a campaign takes player drawings: off by default, switched by a moderator in chat
(`/campaign drawings NAME allow=yes|no`) or on the command line (`run.py campaign drawings
NAME on|off`); only quickdraw campaigns take drawings."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.core.engine import Engine
from bot.core.kernel.errors import InvalidInput, NoTaskAvailable
from storage import SqlStore, open_store
from tests.support.doodles import doodle_campaign, person, players
from tests.support.seeds import seed_campaign

MOD = person(1, "Mo", mod=True)


async def _owned(store: SqlStore) -> None:
    community = await store.upsert_community("telegram", "-100777", "Doodlers", 0.0)
    async with store.db.transaction() as tx:
        await tx.execute("UPDATE campaigns SET community_id = ?", (community.id,))


async def test_a_moderator_lets_players_draw_for_a_quickdraw_campaign(
    engine: Engine, store: SqlStore
) -> None:
    campaign = await doodle_campaign(store, ("cat", "sun"))
    await _owned(store)
    (ann,) = await players(engine, "Ann")
    with pytest.raises(NoTaskAvailable):
        await engine.drawings.prompt(ann)
    with pytest.raises(InvalidInput, match="say allow=yes or allow=no"):
        await engine.campaigns.campaign_command(MOD, "drawings Doodles")
    said = await engine.campaigns.campaign_command(MOD, "drawings Doodles allow=yes")
    assert "Doodles takes player drawings" in said.text
    assert await store.takes_player_drawings(campaign.id)
    assert (await engine.drawings.prompt(ann)).word in ("cat", "sun")
    said = await engine.campaigns.campaign_command(MOD, "drawings Doodles allow=no")
    assert "no longer takes" in said.text
    with pytest.raises(NoTaskAvailable):
        await engine.drawings.prompt(ann)


async def test_only_quickdraw_campaigns_take_drawings(engine: Engine, store: SqlStore) -> None:
    await seed_campaign(store)
    await _owned(store)
    (c,) = await store.list_campaigns()
    with pytest.raises(InvalidInput, match="only quickdraw campaigns take drawings"):
        await engine.campaigns.campaign_command(MOD, f'drawings "{c.name}" allow=yes')


def test_run_py_campaign_drawings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "lq.db")

    async def seed() -> int:
        store = await open_store(db)
        try:
            return (await doodle_campaign(store, ("cat",))).id
        finally:
            await store.close()

    async def takes(cid: int) -> bool:
        store = await open_store(db)
        try:
            return await store.takes_player_drawings(cid)
        finally:
            await store.close()

    cid = asyncio.run(seed())
    assert main(["campaign", "drawings", "Doodles", "on", "--db", db]) == 0
    assert "Doodles: player drawings on" in capsys.readouterr().out
    assert asyncio.run(takes(cid))
    assert main(["campaign", "drawings", "Doodles", "off", "--db", db]) == 0
    assert not asyncio.run(takes(cid))
