"""The dashboard's exports through real HTTP on loopback (SQLite and PostgreSQL): every option
of `run.py export`, downloads byte for byte equal to the command line's file for the same
options, pseudonymous unless a bot admin asks, 400 naming a bad option, 404 outside scope."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from storage import SqlStore
from storage.rows import CampaignRow, NewCampaign
from tests.review.owned import own
from tests.support.doodles import doodle_campaign
from tests.support.engine import GENERAL, vote_round
from tests.support.seeds import seed_campaign
from tests.web.viewers import Served, serve, viewer

PAGE = "/dashboard/exports"
DOWNLOAD = PAGE + "/download"


@pytest.fixture
async def camp(engine: Engine, store: SqlStore, clock: ManualClock) -> CampaignRow:
    """#general's community's campaign: item 1 finalized, item 2 in review."""
    camp = await own(
        engine, await seed_campaign(store, game="classify", items=3, min_overlap=2, max_overlap=3)
    )
    await vote_round(engine, clock, ["red", "red"], first=1)
    await vote_round(engine, clock, ["red", "green", "blue"], first=3)
    return camp


@pytest.fixture
async def served(engine: Engine, store: SqlStore, camp: CampaignRow) -> AsyncIterator[Served]:
    other = (await store.upsert_community("telegram", "-100other", "Other", 0.0)).id
    viewers = {
        "mod": viewer("Mo", community=camp.community_id, moderator=True),
        "stranger": viewer("Stan", community=other, moderator=True),
        "admin": viewer("Ada", admin=True),
    }
    async with serve(engine, viewers) as s:
        yield s


async def fetch(served: Served, who: str, path: str) -> tuple[int, str, dict[str, str], bytes]:
    async with served.http(who) as http, http.get(path) as resp:
        return resp.status, resp.content_type, dict(resp.headers), await resp.read()


async def cli_export(db_url: str, tmp_path: Path, name: str, *flags: str) -> bytes:
    out = tmp_path / "cli-export"
    argv = ["export", "--db", db_url, "--campaign", name, *flags, "-o", str(out)]
    assert await asyncio.to_thread(main, argv) == 0
    return out.read_bytes()


async def test_the_page_offers_every_option_to_admins_and_is_404_for_moderators(
    served: Served, store: SqlStore, camp: CampaignRow
) -> None:
    theirs = (await store.upsert_community("telegram", "-100third", "Third", 0.0)).id
    base = camp
    hidden = NewCampaign(
        "secret-project", base.game, base.dataset_id, base.question, base.options, 2, 3, 0.8, 0.0,
        community_id=theirs,
    )  # fmt: skip
    await store.create_campaign(hidden, 0.0)
    status, _, _, _ = await fetch(served, "mod", PAGE)
    assert status == 404  # exports are for bot admins only, as /export in chat
    status, _, _, body = await fetch(served, "admin", PAGE)
    page = body.decode()
    assert status == 200 and camp.name in page and "secret-project" in page
    for field in ('name="what"', 'name="format"', 'name="method"', 'name="raw_cells"'):
        assert field in page
    for method in ("live", "mv", "wawa", "ds", "onecoin", "sds"):
        assert f'<option value="{method}">' in page
    assert 'value="answers"' in page and 'value="jsonl"' in page
    assert 'name="raw_ids"' in page
    assert 'value="ndjson"' not in page  # doodles only


@pytest.mark.parametrize(
    ("query", "flags"),
    [
        ("", ()),
        ("&format=jsonl", ("--format", "jsonl")),
        ("&what=answers", ("--answers",)),
        ("&what=answers&format=jsonl", ("--answers", "--format", "jsonl")),
        ("&method=mv&raw_cells=1", ("--method", "mv", "--raw-cells")),
    ],
)
async def test_downloads_equal_the_command_line_export(
    served: Served,
    camp: CampaignRow,
    db_url: str,
    tmp_path: Path,
    query: str,
    flags: tuple[str, ...],
) -> None:
    status, ctype, headers, data = await fetch(
        served, "admin", f"{DOWNLOAD}?campaign={camp.id}{query}"
    )
    assert status == 200
    what = "answers" if "answers" in query else "labels"
    fmt = "jsonl" if "jsonl" in query else "csv"
    assert ctype == ("text/csv" if fmt == "csv" else "application/jsonl")
    assert headers["Content-Disposition"] == f'attachment; filename="colours-{what}.{fmt}"'
    assert data == await cli_export(db_url, tmp_path, camp.name, *flags)
    text = data.decode()
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
    else:
        rows = [json.loads(line) for line in text.splitlines()]
    assert len(rows) == (5 if what == "answers" else 3)
    if what == "answers":
        assert all(str(r["worker"]).startswith("w_") for r in rows)  # pseudonymous


async def test_downloads_are_for_bot_admins_only_with_player_ids_on_request(
    served: Served, camp: CampaignRow, db_url: str, tmp_path: Path
) -> None:
    path = f"{DOWNLOAD}?campaign={camp.id}&what=answers&raw_ids=1"
    status, _, _, body = await fetch(served, "mod", path)
    assert status == 404 and b"w_" not in body
    status, _, _, data = await fetch(served, "admin", path)
    assert status == 200
    workers = {r["worker"] for r in csv.DictReader(io.StringIO(data.decode()))}
    assert workers and not any(w.startswith("w_") for w in workers)
    assert data == await cli_export(db_url, tmp_path, camp.name, "--answers", "--raw-ids")


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("&format=xml", "format &#x27;xml&#x27; is not an export format"),
        ("&method=best", "method &#x27;best&#x27; is not an aggregation method"),
        ("&what=both", "what must be labels or answers"),
        ("&colour=red", "unknown option colour"),
        ("&raw_cells=maybe", "raw_cells must be on or off"),
        ("&what=answers&method=mv", "method applies to labels, not to answers"),
        ("&format=ndjson", "format ndjson exports the doodles of a quick-draw campaign"),
    ],
)
async def test_a_bad_option_is_a_400_naming_it(
    served: Served, camp: CampaignRow, query: str, named: str
) -> None:
    status, ctype, _, body = await fetch(served, "admin", f"{DOWNLOAD}?campaign={camp.id}{query}")
    assert (status, ctype) == (400, "text/html") and named in body.decode()


async def test_another_communitys_campaign_is_404_like_a_missing_one(
    served: Served, camp: CampaignRow
) -> None:
    status, _, _, theirs = await fetch(served, "stranger", f"{DOWNLOAD}?campaign={camp.id}")
    _, _, _, missing = await fetch(served, "stranger", f"{DOWNLOAD}?campaign=9999")
    assert status == 404
    assert theirs.decode().replace(f"id {camp.id}<", "id N<") == missing.decode().replace(
        "id 9999<", "id N<"
    )
    status, _, _, _ = await fetch(served, "admin", f"{DOWNLOAD}?campaign=x")
    assert status == 400


async def test_doodles_as_quick_draw_ndjson_and_labels_with_doodle_columns(
    engine: Engine, store: SqlStore, db_url: str, tmp_path: Path
) -> None:
    doodles = await own(engine, await doodle_campaign(store, ("cat", "sun")), GENERAL)
    viewers = {"admin": viewer("Ada", admin=True)}
    async with serve(engine, viewers) as served:
        _, _, _, page = await fetch(served, "admin", PAGE)
        assert 'value="ndjson"' in page.decode()
        path = f"{DOWNLOAD}?campaign={doodles.id}&format=ndjson"
        status, ctype, headers, data = await fetch(served, "admin", path)
        assert (status, ctype) == (200, "application/x-ndjson")
        assert headers["Content-Disposition"] == 'attachment; filename="doodles-doodles.ndjson"'
        words = [json.loads(line)["word"] for line in data.decode().splitlines()]
        assert words == ["cat", "sun"]
        assert data == await cli_export(db_url, tmp_path, doodles.name, "--format", "ndjson")
        _, _, _, labels = await fetch(served, "admin", f"{DOWNLOAD}?campaign={doodles.id}")
        assert "recognition_rate" in labels.decode().splitlines()[0]
        assert labels == await cli_export(db_url, tmp_path, doodles.name)
