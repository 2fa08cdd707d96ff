"""A multilabel campaign's labels export (label set, per-attribute confidence and agreement),
its quality report (Krippendorff's alpha per attribute) and the dashboard's item page."""

from __future__ import annotations

import csv
import io
import json

from bot.core.engine import Engine
from bot.core.exports.labels import render
from bot.core.exports.multilabel import MULTILABEL_COLUMNS, labels_with_columns
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.scope import Actor
from bot.core.review.report import campaign_report, format_report
from storage import SqlStore
from tests.support.engine import consented, player
from tests.support.seeds import seed_campaign

ATTRS = ["red", "green", "blue"]


async def _answered(engine: Engine, store: SqlStore, clock: ManualClock) -> int:
    campaign = await seed_campaign(
        store,
        game="multilabel",
        options=ATTRS,
        items=1,
        min_overlap=3,
        max_overlap=5,
        confidence=0.7,
    )
    for i, picks in enumerate([["red", "blue"], ["red", "blue"], ["red"]], start=1):
        await consented(engine, player(i))
        card = await engine.play.next_task(player(i))
        assert card.select is not None
        menu = {c.label: c.payload for c in card.select.options}
        await engine.multilabel.pick(player(i), [menu[p] for p in picks])
        clock.advance(2)
    return campaign.id


async def test_labels_export_has_the_set_and_per_attribute_columns(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    cid = await _answered(engine, store, clock)
    campaign = await store.get_campaign(cid)
    assert campaign is not None
    rows, columns = await labels_with_columns(store, campaign)
    assert columns[-len(MULTILABEL_COLUMNS) :] == MULTILABEL_COLUMNS
    (row,) = list(csv.DictReader(io.StringIO(render(rows, columns, "csv").decode())))
    assert row["label"] == "red|blue" and json.loads(row["attributes"]) == ["red", "blue"]
    confidence = json.loads(row["attribute_confidence"])
    assert confidence["red"] > 0.9 and confidence["green"] < 0.1
    assert 0.5 < confidence["blue"] < confidence["red"]
    agreement = json.loads(row["attribute_agreement"])
    assert agreement == {"red": 1.0, "green": 1.0, "blue": round(2 / 3, 4)}


async def test_report_shows_agreement_per_attribute(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    cid = await _answered(engine, store, clock)
    campaign = await store.get_campaign(cid)
    assert campaign is not None
    report = await campaign_report(store, campaign, engine.quality)
    assert set(report.attribute_alpha) == set(ATTRS)
    assert report.attribute_alpha["red"] is None  # everybody said yes: no variation
    assert "Agreement per attribute" in format_report(report)


async def test_dashboard_item_page_describes_the_selections(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    cid = await _answered(engine, store, clock)
    (item,) = await store.campaign_items(cid)
    admin = Actor(player(99), True, None, False)
    detail = await engine.insights.item(admin, cid, item.id)
    assert sorted(a.label for a in detail.answers) == ["red", "red, blue", "red, blue"]
