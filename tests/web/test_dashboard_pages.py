"""The dashboard's read pages through real HTTP on loopback (SQLite and PostgreSQL): the
campaigns list, one campaign with its charts, contributors, items with filters and pages,
one item with its answers and image; what a moderator of one community may see (404 for
another community's objects, exactly like missing ones) and how players are named."""

from __future__ import annotations

import re

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from storage import SqlStore
from storage.rows import CampaignRow, NewCampaign
from tests.support.engine import vote_round
from tests.support.images import png_bytes
from tests.support.seeds import seed_campaign
from tests.web.dashboard_world import ADMIN, desc, moderator_of, serve, svgs, values

DAY = 86_400.0


async def community(store: SqlStore, name: str) -> int:
    return (await store.upsert_community("telegram", f"-100{name}", name, 0.0)).id


async def campaign_in(store: SqlStore, base: CampaignRow, name: str, cid: int | None) -> int:
    new = NewCampaign(
        name, base.game, base.dataset_id, base.question, base.options, 2, 3, 0.8, 0.0,
        community_id=cid,
    )  # fmt: skip
    return (await store.create_campaign(new, 0.0)).id


async def two_days_of_votes(engine: Engine, clock: ManualClock) -> list[int]:
    """Day 1: one item finalized red (2 answers), one sent to review (3); day 2: one item
    finalized blue (2 answers). Returns the item ids."""
    first = await vote_round(engine, clock, ["red", "red"], first=1)
    second = await vote_round(engine, clock, ["red", "green", "blue"], first=3)
    clock.advance(DAY)
    third = await vote_round(engine, clock, ["blue", "blue"], first=10)
    return [first, second, third]


async def test_the_campaign_page_shows_figures_and_three_charts_that_match_the_data(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    camp = await seed_campaign(store, game="classify", items=6)
    await two_days_of_votes(engine, clock)
    async with serve(engine) as web:
        status, ctype, html = await web.get("/dashboard", ADMIN)
        assert (status, ctype) == (200, "text/html")
        assert f'href="/dashboard/campaigns/{camp.id}"' in html and "colours" in html
        assert "2 / 6" in html  # finalized / items

        status, _, html = await web.get(f"/dashboard/campaigns/{camp.id}", ADMIN)
        assert status == 200
        assert "Krippendorff" in html and "Mean confidence" in html
        assert re.search(r"<dt>In review</dt><dd>1</dd>", html)
        assert re.search(r"<dt>Open</dt><dd>3</dd>", html)
        progress, answers, labels = svgs(html)
        assert values(progress, "circle") == [1, 2]
        assert values(answers, "rect") == [5, 2]
        assert desc(answers) == "Answers per day, 01 Jan to 02 Jan: 5, 2"
        assert sorted(values(labels, "rect")) == [1, 1]
        assert desc(labels) in (
            "Label distribution (finalized items): red 1, blue 1",
            "Label distribution (finalized items): blue 1, red 1",
        )
        for svg in (progress, answers, labels):
            assert svg.attrib["role"] == "img"
            ids = svg.attrib["aria-labelledby"].split()
            assert [e.attrib["id"] for e in svg if "id" in e.attrib] == ids


async def test_a_campaign_without_answers_shows_readable_empty_charts(
    engine: Engine, store: SqlStore
) -> None:
    camp = await seed_campaign(store)
    async with serve(engine) as web:
        status, _, html = await web.get(f"/dashboard/campaigns/{camp.id}", ADMIN)
        assert status == 200
        charts = svgs(html)
        assert len(charts) == 3
        assert "no answers yet" in desc(charts[1])
        assert all(values(c, "rect") == [] for c in charts)
        status, _, html = await web.get(f"/dashboard/campaigns/{camp.id}/contributors", ADMIN)
        assert status == 200 and "No answers yet" in html


async def test_admins_see_names_moderators_see_pseudonyms(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    camp = await seed_campaign(store, game="classify", items=6)
    first, _, _ = await two_days_of_votes(engine, clock)
    mod = moderator_of(await community(store, "A"))
    async with serve(engine) as web:
        path = f"/dashboard/campaigns/{camp.id}/contributors"
        _, _, admin_html = await web.get(path, ADMIN)
        _, _, mod_html = await web.get(path, mod)
        assert "Player1" in admin_html and "Player10" in admin_html
        assert not re.search(r"Player\d", mod_html)
        assert len(set(re.findall(r"w_[0-9a-f]{12}", mod_html))) == 7
        # sorted by answers: everyone answered once, so 7 rows
        assert admin_html.count("<tr>") == 8
        points = re.findall(
            r"<tr><td>(Player\d+)</td>(?:<td>[^<]*</td>){3}<td>(\d+)</td>", admin_html
        )
        assert len(points) == 7 and all(int(p) > 0 for _, p in points)

        item = f"/dashboard/campaigns/{camp.id}/items/{first}"
        _, _, admin_item = await web.get(item, ADMIN)
        _, _, mod_item = await web.get(item, mod)
        assert "Player1" in admin_item and "Player2" in admin_item
        assert "Player1" not in mod_item and len(re.findall(r"w_[0-9a-f]{12}", mod_item)) == 2


async def test_items_filter_by_state_and_page(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    camp = await seed_campaign(store, game="classify", items=60)
    first, second, third = await two_days_of_votes(engine, clock)
    base = f"/dashboard/campaigns/{camp.id}/items"
    async with serve(engine) as web:
        _, _, html = await web.get(f"{base}?state=finalized", ADMIN)
        assert "2 items (Finalized)" in html
        assert f'href="{base}/{first}"' in html and f'href="{base}/{third}"' in html
        assert f'href="{base}/{second}"' not in html
        _, _, html = await web.get(f"{base}?state=review", ADMIN)
        assert "1 items (In review)" in html and f'href="{base}/{second}"' in html
        _, _, html = await web.get(f"{base}?state=open", ADMIN)
        assert "57 items (Open)" in html and "page 1 of 2" in html
        assert f'href="{base}?state=open&amp;page=2"' in html
        _, _, html = await web.get(f"{base}?state=open&page=2", ADMIN)
        assert "page 2 of 2" in html and html.count('<tr><td><a href="') == 7
        _, _, html = await web.get(base, ADMIN)
        assert "60 items" in html and '<div class="table-wrap">' in html


async def test_bad_ids_and_query_values_get_a_400_page_naming_the_parameter(
    engine: Engine, store: SqlStore
) -> None:
    camp = await seed_campaign(store)
    base = f"/dashboard/campaigns/{camp.id}"
    cases = {
        "/dashboard/campaigns/abc": "Bad id",
        "/dashboard/campaigns/0": "Bad id",
        f"{base}/items/x1": "Bad item_id",
        f"{base}/items?state=done": "Bad state",
        f"{base}/items?page=0": "Bad page",
        f"{base}/items?page=-1": "Bad page",
        "/dashboard/audit?page=two": "Bad page",
    }
    async with serve(engine) as web:
        for path, words in cases.items():
            status, ctype, html = await web.get(path, ADMIN)
            assert (status, ctype) == (400, "text/html"), path
            assert words in html, (path, html)


async def test_a_moderator_gets_404_for_another_communitys_campaign_items_and_images(
    engine: Engine, store: SqlStore
) -> None:
    shared = await seed_campaign(store, name="shared")
    a, b = await community(store, "A"), await community(store, "B")
    in_a = await campaign_in(store, shared, "in-a", a)
    in_b = await campaign_in(store, shared, "in-b", b)
    item = (await store.campaign_items(in_b))[0].id
    mod = moderator_of(a)
    async with serve(engine) as web:
        _, _, html = await web.get("/dashboard", mod)
        assert "in-a" in html and "shared" in html and "in-b" not in html
        _, _, html = await web.get("/dashboard", ADMIN)
        assert "in-a" in html and "in-b" in html
        tails = ["", "/contributors", "/items", f"/items/{item}", f"/items/{item}/image"]
        for tail in tails:
            hidden = await web.get(f"/dashboard/campaigns/{in_b}{tail}", mod)
            missing = await web.get(f"/dashboard/campaigns/999999{tail}", mod)
            assert hidden[0] == missing[0] == 404, tail
            assert hidden[2].replace(str(in_b), "N") == missing[2].replace("999999", "N")
            assert "in-b" not in hidden[2]
            assert (await web.get(f"/dashboard/campaigns/{in_b}{tail}", ADMIN))[0] == 200
        assert (await web.get(f"/dashboard/campaigns/{in_a}", mod))[0] == 200
        missing_item = await web.get(f"/dashboard/campaigns/{in_a}/items/999999", mod)
        assert missing_item[0] == 404


async def test_an_item_page_shows_its_image_served_in_scope_with_its_content_type(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    camp = await seed_campaign(store, game="classify", items=6)
    first, _, _ = await two_days_of_votes(engine, clock)
    item = await store.get_item(first)
    assert item is not None
    path = f"/dashboard/campaigns/{camp.id}/items/{first}"
    async with serve(engine) as web:
        status, _, html = await web.get(path, ADMIN)
        assert status == 200 and f'src="{path}/image"' in html
        assert "<td>red</td>" in html and "finalized" in html
        status, ctype, data = await web.get_bytes(f"{path}/image", ADMIN)
        colour = {"red": "red", "green": "green", "blue": "blue"}[item.truth or "red"]
        assert (status, ctype) == (200, "image/png") and data == png_bytes(colour)
