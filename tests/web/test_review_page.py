"""The dashboard's review queue through real HTTP on loopback (SQLite and PostgreSQL): bulk
set label, send back, make gold, the CSRF check, and the scope rule (a moderator of another
community gets 404 exactly like a missing campaign)."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from urllib.parse import parse_qs, urlsplit

import pytest

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.models import Reply
from storage import SqlStore
from storage.rows import CampaignRow
from tests.review.owned import own
from tests.support.engine import GENERAL, answer_payload, consented, player, vote_round
from tests.support.seeds import seed_campaign
from tests.web.viewers import CSRF, Served, serve, viewer

PAGE = "/dashboard/review"


@pytest.fixture
async def queue(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> tuple[CampaignRow, int, int]:
    """A campaign of #general's community with two items in review (a split crowd each)."""
    camp = await own(
        engine,
        await seed_campaign(
            store, game="classify", items=2, min_overlap=2, max_overlap=3, text_items=True
        ),
    )
    a = await vote_round(engine, clock, ["red", "green", "blue"], first=1)
    b = await vote_round(engine, clock, ["green", "red", "blue"], first=4)
    assert a != b
    return camp, a, b


@pytest.fixture
async def served(
    engine: Engine, store: SqlStore, queue: tuple[CampaignRow, int, int]
) -> AsyncIterator[Served]:
    camp = queue[0]
    other = (await store.upsert_community("telegram", "-100other", "Other", 0.0)).id
    viewers = {
        "mod": viewer("Mo", community=camp.community_id, moderator=True),
        "stranger": viewer("Stan", community=other, moderator=True),
        "admin": viewer("Ada", admin=True),
    }
    async with serve(engine, viewers) as s:
        yield s


async def bulk(served: Served, who: str, fields: list[tuple[str, str]]) -> tuple[int, str, str]:
    """POST the bulk form; (status, Location, body) without following the redirect."""
    async with (
        served.http(who) as http,
        http.post(PAGE, data=fields, allow_redirects=False) as resp,
    ):
        return resp.status, resp.headers.get("Location", ""), await resp.text()


async def get(served: Served, who: str, path: str) -> tuple[int, str]:
    async with served.http(who) as http, http.get(path) as resp:
        return resp.status, await resp.text()


async def test_bulk_label_two_items_then_the_export_shows_the_expert_labels(
    served: Served, store: SqlStore, queue: tuple[CampaignRow, int, int]
) -> None:
    camp, a, b = queue
    status, body = await get(served, "mod", PAGE)
    assert status == 200
    assert f'name="item" value="{a}"' in body and f'name="item" value="{b}"' in body
    assert "red 1 · green 1 · blue 1" in body and camp.name in body
    assert f'name="csrf" value="{CSRF}"' in body

    fields = [("csrf", CSRF), ("campaign", str(camp.id)), ("item", str(a)), ("item", str(b))]
    fields += [("action", "label"), ("label", "green"), ("explanation", "")]
    status, location, _ = await bulk(served, "mod", fields)
    assert status == 303
    query = parse_qs(urlsplit(location).query)
    assert query == {"campaign": [str(camp.id)], "done": ["label"], "n": ["2"], "label": ["green"]}
    status, body = await get(served, "mod", location)
    assert status == 200 and "2 items labelled &#x27;green&#x27;" in body
    assert "Nothing to review" in body

    status, text = await get(served, "admin", f"/dashboard/exports/download?campaign={camp.id}")
    assert status == 200
    rows = {int(r["item_id"]): r for r in csv.DictReader(io.StringIO(text))}
    assert {rows[a]["label"], rows[b]["label"]} == {"green"}
    assert rows[a]["method"] == rows[b]["method"] == "expert"
    log = await store.review_log(campaign_id=camp.id)
    assert sorted((e.action, e.item_id, e.actor) for e in log) == [
        ("label", a, "telegram:id-Mo"),
        ("label", b, "telegram:id-Mo"),
    ]


async def test_send_back_makes_the_item_answerable_again(
    served: Served, engine: Engine, store: SqlStore, queue: tuple[CampaignRow, int, int]
) -> None:
    camp, a, b = queue
    fields = [("csrf", CSRF), ("campaign", str(camp.id)), ("item", str(a))]
    status, location, _ = await bulk(served, "mod", [*fields, ("action", "send_back")])
    assert status == 303 and "done=send_back" in location
    status, body = await get(served, "mod", location)
    assert "1 item sent back to the crowd" in body
    assert (
        f'name="item" value="{a}"' not in body and f'name="item" value="{b}"' in body
    )  # a left the queue

    tally = await store.get_tally(camp.id, a)
    assert tally is not None and tally.status == "open" and tally.n_answers == 3  # kept
    newcomer = player(20, GENERAL)
    await consented(engine, newcomer)
    card: Reply = await engine.play.next_task(newcomer)
    assert card.round_id is not None
    rnd = await store.get_round(card.round_id)
    assert rnd is not None and rnd.item_id == a  # served to the crowd again
    await engine.handle_button(newcomer, answer_payload(card, "red"))
    tally = await store.get_tally(camp.id, a)
    assert tally is not None and tally.n_answers == 4
    assert (tally.status, tally.label) == ("finalized", "red")  # the crowd decided it this time
    [entry] = await store.review_log(campaign_id=camp.id)
    assert (entry.action, entry.item_id) == ("send_back", a)


async def test_make_gold_with_an_explanation(
    served: Served, engine: Engine, queue: tuple[CampaignRow, int, int]
) -> None:
    camp, a, _b = queue
    fields = [("csrf", CSRF), ("campaign", str(camp.id)), ("item", str(a))]
    fields += [("action", "gold"), ("label", "blue"), ("explanation", "Look at the sky.")]
    status, location, _ = await bulk(served, "admin", fields)
    assert status == 303
    status, body = await get(served, "admin", location)
    assert "1 item made gold with the answer &#x27;blue&#x27;" in body
    item = await engine.kernel.campaign_item(camp.id, a)
    assert (item.gold, item.gold_explanation) == ("blue", "Look at the sky.")


async def test_bad_input_is_named_and_nothing_changes(
    served: Served, store: SqlStore, queue: tuple[CampaignRow, int, int]
) -> None:
    camp, a, b = queue
    base = [("csrf", CSRF), ("campaign", str(camp.id)), ("item", str(a)), ("item", str(b))]
    status, _, body = await bulk(served, "mod", [*base, ("action", "label"), ("label", "pink")])
    assert status == 400 and "&#x27;pink&#x27; is not one of: red, green, blue" in body
    status, _, body = await bulk(served, "mod", [*base, ("item", "999"), ("action", "label")])
    assert status == 400 and "item(s) 999" in body
    status, _, body = await bulk(served, "mod", [*base, ("action", "burn")])
    assert status == 400 and "Unknown action &#x27;burn&#x27;" in body
    status, _, body = await bulk(served, "mod", [*base[:2], ("action", "label")])
    assert status == 400 and "Pick at least one item" in body
    status, body = await get(served, "mod", f"{PAGE}?campaign=abc")
    assert status == 400 and "campaign must be a whole number" in body
    for item in (a, b):
        tally = await store.get_tally(camp.id, item)
        assert tally is not None and tally.status == "review"
    assert await store.review_log(campaign_id=camp.id) == []


async def test_a_wrong_csrf_field_is_refused_and_nothing_changes(
    served: Served, store: SqlStore, queue: tuple[CampaignRow, int, int]
) -> None:
    camp, a, _b = queue
    fields = [("campaign", str(camp.id)), ("item", str(a)), ("action", "send_back")]
    for csrf in ([], [("csrf", "forged")]):
        status, _, body = await bulk(served, "mod", [*csrf, *fields])
        assert status == 403 and "expired" in body
    tally = await store.get_tally(camp.id, a)
    assert tally is not None and tally.status == "review"


async def test_a_moderator_of_another_community_gets_404_like_a_missing_campaign(
    served: Served, store: SqlStore, queue: tuple[CampaignRow, int, int]
) -> None:
    camp, a, _b = queue
    status, body = await get(served, "stranger", PAGE)
    assert status == 200 and camp.name not in body and f'name="item" value="{a}"' not in body
    missing = camp.id + 1000
    status, theirs = await get(served, "stranger", f"{PAGE}?campaign={camp.id}")
    _, nothing = await get(served, "stranger", f"{PAGE}?campaign={missing}")
    assert status == 404
    said = theirs.replace(f"campaign {camp.id} ", "campaign N ")
    assert "There is no campaign" in said
    assert said == nothing.replace(f"campaign {missing} ", "campaign N ")
    status, _ = await get(served, "stranger", f"{PAGE}/media/{camp.id}/{a}")
    assert status == 404
    fields = [("csrf", CSRF), ("campaign", str(camp.id)), ("item", str(a))]
    status, _, _ = await bulk(served, "stranger", [*fields, ("action", "send_back")])
    assert status == 404
    tally = await store.get_tally(camp.id, a)
    assert tally is not None and tally.status == "review"


async def test_shared_campaigns_are_reviewed_by_admins_only(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    camp = await seed_campaign(store, game="classify", items=1, min_overlap=2, max_overlap=3)
    a = await vote_round(engine, clock, ["red", "green", "blue"])
    community = (await engine.kernel.channel(GENERAL)).community_id
    viewers = {
        "mod": viewer("Mo", community=community, moderator=True),
        "admin": viewer("Ada", admin=True),
    }
    async with serve(engine, viewers) as served:
        status, body = await get(served, "mod", PAGE)
        assert status == 200 and f'name="item" value="{a}"' not in body
        assert (await get(served, "mod", f"{PAGE}?campaign={camp.id}"))[0] == 404
        status, body = await get(served, "admin", f"{PAGE}?campaign={camp.id}")
        assert status == 200 and f'name="item" value="{a}"' in body
        async with (
            served.http("admin") as http,
            http.get(f"{PAGE}/media/{camp.id}/{a}") as resp,
        ):
            assert resp.status == 200 and resp.content_type == "image/png"
            assert (await resp.read()).startswith(b"\x89PNG")
