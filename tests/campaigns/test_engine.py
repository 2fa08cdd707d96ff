"""Campaign use cases in the engine: permissions, creation from uploads, lifecycle,
schedules that survive a restart, completion, exports and the audit log."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

import pytest

from bot.core.campaigns.cases import CreateRequest
from bot.core.campaigns.importing import ImportFailed
from bot.core.campaigns.uploads import Upload
from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.errors import (
    InvalidInput,
    LabelQuestError,
    NotFound,
    PermissionDenied,
    WrongPlace,
)
from bot.core.kernel.events import ChannelPost
from storage import SqlStore
from tests.support.engine import group_ref, private_ref
from tests.support.settings import settings_for
from tests.support.uploads import images_zip, labels_csv

ADMIN = "1"


def uploads(*files: tuple[str, bytes]) -> Callable[[], Any]:
    fetched: list[str] = []

    async def fetch() -> Sequence[Upload]:
        fetched.append("yes")
        return [Upload(name, data) for name, data in files]

    fetch.fetched = fetched  # type: ignore[attr-defined]
    return fetch


def make_engine(store: SqlStore, clock: ManualClock, **campaigns: Any) -> Engine:
    settings = settings_for(
        ":memory:",
        admins={"telegram": [ADMIN]},
        game={"round_seconds": 60},
        campaigns={"hours": "all", **campaigns},
    )
    return Engine(store, settings, clock)


@pytest.fixture
async def eng(store: SqlStore, clock: ManualClock) -> AsyncIterator[Engine]:
    e = make_engine(store, clock)
    try:
        yield e
    finally:
        await e.close()


def posts(engine: Engine) -> list[ChannelPost]:
    seen: list[ChannelPost] = []
    engine.bus.subscribe(lambda ev: seen.append(ev) if isinstance(ev, ChannelPost) else None)
    return seen


async def test_players_are_refused_plainly_and_files_are_not_fetched(eng: Engine) -> None:
    player = group_ref("50", "Pat", moderator=False)
    fetch = uploads(("c.zip", images_zip()))
    with pytest.raises(PermissionDenied, match="Only moderators"):
        await eng.campaigns.campaign_create(player, CreateRequest("Colours", "verify"), fetch)
    assert fetch.fetched == []  # type: ignore[attr-defined]
    for call in (
        eng.campaigns.campaign_command(player, "status Colours"),
        eng.campaigns.campaign_command(player, "schedule Colours"),
        eng.campaigns.campaign_command(player, "timezone Europe/Berlin"),
    ):
        with pytest.raises(PermissionDenied, match="Only moderators"):
            await call
    mod = group_ref()
    with pytest.raises(PermissionDenied, match="Only LabelQuest admins can export"):
        await eng.campaigns.export_campaign(mod, "Colours")
    with pytest.raises(PermissionDenied, match="audit log"):
        await eng.campaigns.audit_log(mod)


async def test_create_start_schedule_post_and_restart_without_double_post(
    eng: Engine, store: SqlStore, clock: ManualClock
) -> None:
    mod = group_ref()
    reply = await eng.campaigns.campaign_command(
        mod, "create Colours game=verify overlap=1-1", uploads(("colours.zip", images_zip()))
    )
    assert "Campaign Colours created: 4 items, game verify, draft" in reply.text
    campaign = await store.get_campaign_by_name("Colours")
    assert campaign is not None and campaign.status == "draft"
    assert campaign.community_id is not None  # belongs to the group that made it
    sched = await eng.campaigns.campaign_command(mod, "schedule Colours every=10")
    assert (
        "every 10 min, all day" in sched.text and "runs once the campaign is active" in sched.text
    )
    seen = posts(eng)
    assert await eng.tick() == 0 and seen == []  # a draft does not run
    await eng.campaigns.campaign_command(mod, "start Colours")
    await eng.tick()
    (first,) = seen
    assert (first.platform, first.channel_external_id) == ("telegram", "-100123")
    assert first.reply.round_id is not None and "Is this red?" in first.reply.text
    await eng.play.bind_round_message(first.reply.round_id, "-100123:10")
    clock.advance(5 * 60)
    await eng.tick()
    assert len(seen) == 1  # not due yet

    # a restart: a new engine over the same store posts nothing that was posted already
    again = make_engine(store, clock)
    seen2 = posts(again)
    await again.tick()
    assert seen2 == []
    clock.advance(5 * 60)
    await again.tick()
    assert len(seen2) == 1 and seen2[0].reply.round_id != first.reply.round_id
    await again.close()


async def test_a_round_created_but_never_posted_is_posted_at_start_not_created_again(
    eng: Engine, store: SqlStore, clock: ManualClock
) -> None:
    mod = group_ref()
    await eng.campaigns.campaign_command(
        mod, "create Colours game=verify start=yes", uploads(("colours.zip", images_zip()))
    )
    await eng.campaigns.campaign_command(mod, "schedule Colours every=30")
    await eng.tick()  # the round is created; the process "crashes" before posting it
    async with store.db.read() as c:
        (round_id,) = [r[0] for r in await c.fetch("SELECT id FROM rounds")]
    clock.advance(20)
    restarted = make_engine(store, clock)
    seen = posts(restarted)
    await restarted.tick()
    assert [p.reply.round_id for p in seen] == [round_id]
    async with store.db.read() as c:
        assert await c.fetchval("SELECT COUNT(*) FROM rounds") == 1
    await restarted.close()


async def test_bad_uploads_list_every_line_and_store_nothing(eng: Engine, store: SqlStore) -> None:
    mod = group_ref()
    bad = b"file,label\nimg0.png,red\nmissing.png,red\nimg0.png,red\n"
    with pytest.raises(ImportFailed) as err:
        await eng.campaigns.campaign_command(
            mod,
            "create Colours game=verify",
            uploads(("c.zip", images_zip(with_labels=False)), ("labels.csv", bad)),
        )
    assert "line 3: file not found: missing.png" in err.value.message
    assert "line 4: duplicate of line 2" in err.value.message
    assert await store.list_campaigns() == [] and await store.list_datasets() == []
    with pytest.raises(InvalidInput, match="names image files"):
        await eng.campaigns.campaign_command(
            mod, "create Colours game=verify", uploads(("labels.csv", labels_csv()))
        )
    with pytest.raises(InvalidInput, match="say which game"):
        await eng.campaigns.campaign_command(
            mod, "create Colours", uploads(("c.zip", images_zip()))
        )


async def test_lifecycle_rules_and_community_ownership(eng: Engine, store: SqlStore) -> None:
    mod = group_ref()
    await eng.campaigns.campaign_command(
        mod, "create Colours game=verify", uploads(("c.zip", images_zip()))
    )
    with pytest.raises(InvalidInput, match="is draft: only an active campaign can be paused"):
        await eng.campaigns.campaign_command(mod, "pause Colours")
    for action, status in [
        ("start", "active"),
        ("pause", "paused"),
        ("resume", "active"),
        ("stop", "stopped"),
        ("archive", "archived"),
    ]:
        await eng.campaigns.campaign_command(mod, f"{action} Colours")
        found = await store.get_campaign_by_name("Colours")
        assert found is not None and found.status == status
    other = group_ref("8", "Olga", chat="-100999")
    # another community's campaign reads exactly like a missing one (issue 12)
    with pytest.raises(NotFound) as missing:
        await eng.campaigns.campaign_command(other, "status Colours")
    assert str(missing.value) == "There is no campaign named 'Colours'. /campaign list shows them."
    # a shared campaign: moderators schedule it, only admins change it
    admin = private_ref(ADMIN)
    await eng.campaigns.campaign_command(
        admin,
        "create Shared game=classify options=red,green,blue everyone=yes",
        uploads(("c.zip", images_zip())),
    )
    with pytest.raises(PermissionDenied, match="only admins can change it"):
        await eng.campaigns.campaign_command(other, "start Shared")
    await eng.campaigns.campaign_command(admin, "start Shared")
    assert "Shared" in (await eng.campaigns.campaign_command(other, "schedule Shared")).text
    with pytest.raises(WrongPlace):
        await eng.campaigns.campaign_command(admin, "schedule Shared")  # not in a channel


async def test_completion_is_announced_where_the_campaign_ran(
    eng: Engine, store: SqlStore, clock: ManualClock
) -> None:
    mod = group_ref()
    await eng.campaigns.campaign_command(
        mod, "create Colours game=verify overlap=2-2 start=yes", uploads(("c.zip", images_zip(2)))
    )
    await eng.campaigns.campaign_command(mod, "schedule Colours every=1")
    seen = posts(eng)
    players = [group_ref(str(100 + i), f"P{i}", moderator=False) for i in range(2)]
    for p in players:
        await eng.players.consent(p, True)
    for _ in range(2):
        await eng.tick()
        card = seen[-1].reply
        assert card.round_id is not None
        clock.advance(5)
        for p in players:
            await eng.play.answer(p, card.round_id, 0)  # "Yes"
        clock.advance(61)
    await eng.tick()
    done = [p for p in seen if "complete" in p.reply.text]
    assert len(done) == 1 and done[0].channel_external_id == "-100123"
    text = done[0].reply.text
    assert "Campaign Colours is complete!" in text and "2 labels produced from 4 answers" in text
    assert "Top contributors: 🥇 P" in text and done[0].reply.media is not None
    campaign = await store.get_campaign_by_name("Colours")
    assert campaign is not None and campaign.status == "completed"
    log = (await eng.campaigns.audit_log(private_ref(ADMIN), campaign_name="Colours")).text
    assert "campaign.complete" in log and "campaign.create" in log and "schedule.set" in log


async def test_exports_fit_the_limit_and_are_audited(eng: Engine, store: SqlStore) -> None:
    admin = private_ref(ADMIN)
    await eng.campaigns.campaign_command(
        admin, "create Colours game=verify", uploads(("c.zip", images_zip(40)))
    )
    whole = await eng.campaigns.export_campaign(admin, "Colours")
    (doc,) = whole.files
    assert doc.filename == "colours-labels.csv" and doc.kind == "document"
    assert doc.data.decode().splitlines()[0].startswith("item_id,source,label")
    small = await eng.campaigns.export_campaign(
        admin, "Colours", "jsonl", max_bytes=len(doc.data) // 3
    )
    parts = [f for r in small.chain() for f in r.files]
    assert all(p.filename.endswith(".zip") for p in parts)
    rows = []
    for p in parts:
        with zipfile.ZipFile(io.BytesIO(p.data)) as zf:
            rows += zf.read(zf.namelist()[0]).decode().splitlines()
    assert len(rows) == 40
    log = (await eng.campaigns.audit_log(admin, limit=2)).text
    assert log.count("· export Colours") == 2 and "Admin (telegram 1)" in log
    with pytest.raises(InvalidInput, match="format must be one of"):
        await eng.campaigns.export_campaign(admin, "Colours", "xlsx")


async def test_timezone_is_set_by_moderators_and_used_by_schedules(
    eng: Engine, store: SqlStore
) -> None:
    mod = group_ref()
    assert "UTC" in (await eng.campaigns.campaign_command(mod, "timezone")).text
    with pytest.raises(InvalidInput, match="unknown time zone 'Mars/Olympus'"):
        await eng.campaigns.campaign_command(mod, "timezone Mars/Olympus")
    await eng.campaigns.campaign_command(mod, "timezone Europe/Berlin")
    await eng.campaigns.campaign_command(
        mod, "create Colours game=verify start=yes", uploads(("c.zip", images_zip()))
    )
    reply = await eng.campaigns.campaign_command(
        mod, "schedule Colours every=60 hours=09:00-10:00"
    )
    assert "(Europe/Berlin)" in reply.text
    (s,) = await store.campaign_schedules((await store.get_campaign_by_name("Colours")).id)  # type: ignore[union-attr]
    # the ManualClock starts at 2026-01-01 00:00 UTC = 01:00 in Berlin: next is 09:00 there
    assert s.next_run_at == 1_767_225_600.0 + 8 * 3600
    status = await eng.campaigns.campaign_command(mod, "status Colours")
    assert status.media is not None and "Labelers (telegram): every 60 min" in status.text


async def test_a_quick_draw_file_makes_a_doodle_campaign(eng: Engine, store: SqlStore) -> None:
    stroke = [[[0, 40, 80], [0, 40, 10]], [[10, 60], [70, 20]]]
    lines = [
        json.dumps(
            {
                "word": word,
                "countrycode": "US",
                "recognized": True,
                "key_id": str(i),
                "drawing": stroke,
            }
        )
        for i, word in enumerate(["cat", "dog", "cat"], start=1)
    ]
    data = ("\n".join(lines) + "\nnot json\n").encode()
    with pytest.raises(LabelQuestError) as refused:
        await eng.campaigns.campaign_command(
            group_ref(), "create Doodles", uploads(("doodles.ndjson", data))
        )
    assert "nothing was stored" in refused.value.message
    assert "doodles.ndjson line 4" in refused.value.message
    assert await store.get_campaign_by_name("Doodles") is None
    reply = await eng.campaigns.campaign_command(
        group_ref(), "create Doodles skip_bad=yes", uploads(("doodles.ndjson", data))
    )
    assert "Campaign Doodles created: 3 items, game quickdraw, draft" in reply.text
    assert "Skipped 1 bad row(s):\n  doodles.ndjson line 4" in reply.text
    campaign = await store.get_campaign_by_name("Doodles")
    assert campaign is not None and sorted(campaign.options) == ["cat", "dog"]
