"""`run.py demo --db X` data fills every dashboard page: the demo is built into a temporary
SQLite file, then every page is rendered for an admin through real HTTP on loopback."""

from __future__ import annotations

import re
from pathlib import Path

from bot.core.engine import Engine
from bot.demo.run import run_demo
from storage import open_store
from tests.support.settings import settings_for
from tests.web.dashboard_world import ADMIN, Served, serve, svgs, values


async def test_every_page_is_filled_from_the_demo(tmp_path: Path) -> None:
    db = str(tmp_path / "demo.db")
    await run_demo(settings_for(db), players=12, items=30, seed=7, db=db)
    store = await open_store(db)
    engine = Engine(store, settings_for(db))
    try:
        async with serve(engine) as web:
            status, _, html = await web.get("/dashboard", ADMIN)
            assert status == 200
            ids = sorted(set(map(int, re.findall(r'href="/dashboard/campaigns/(\d+)"', html))))
            assert len(ids) >= 2
            for cid in ids:
                await _campaign_pages_are_filled(web, cid)
            status, _, html = await web.get("/dashboard/audit", ADMIN)
            assert status == 200 and "<tbody><tr>" in html
            status, _, html = await web.get("/dashboard/review", ADMIN)
            assert status == 200 and 'name="item"' in html  # the hard cases wait there
            status, _, html = await web.get("/dashboard/exports", ADMIN)
            assert status == 200 and html.count('name="what"') == len(ids)
    finally:
        await engine.close()
        await store.close()


async def _campaign_pages_are_filled(web: Served, cid: int) -> None:
    base = f"/dashboard/campaigns/{cid}"
    status, _, html = await web.get(base, ADMIN)
    assert status == 200, base
    progress, answers, labels = svgs(html)
    assert sum(values(answers, "rect")) > 0, base
    # the hard-cases campaign may have nothing finalized yet: its items wait in review
    state = "finalized" if values(progress, "circle") else "review"
    assert state == "review" or values(labels, "rect"), base
    status, _, html = await web.get(f"{base}/contributors", ADMIN)
    assert status == 200 and html.count("<tr>") > 2, base
    status, _, html = await web.get(f"{base}/items?state={state}", ADMIN)
    assert status == 200
    items = re.findall(rf'href="{base}/items/(\d+)"', html)
    assert items, base
    status, _, html = await web.get(f"{base}/items/{items[0]}", ADMIN)
    assert status == 200 and "<caption>Answers</caption>" in html, base
    image = re.search(r'<img class="item" src="([^"]+)"', html)
    if image is not None:
        status, ctype, data = await web.get_bytes(image.group(1), ADMIN)
        assert status == 200 and ctype.startswith("image/") and data, base
