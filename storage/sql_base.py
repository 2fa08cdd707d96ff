"""Shared helpers for the SQL store: JSON columns, row mapping, IN-lists."""

from __future__ import annotations

import json
from typing import Any

from storage.driver import Conn, Driver, Row
from storage.rows import (
    AnswerRow,
    CampaignRow,
    ChannelRow,
    CommunityRow,
    ItemRow,
    NewItem,
    PlayerRow,
    PlayerStatsRow,
    RoundRow,
    Standing,
    TallyRow,
)


def dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def loads(text: str | None) -> Any:
    return json.loads(text) if text else {}


def marks(n: int, width: int = 1) -> str:
    """`?, ?, ?` for n values, or `(?, ?), (?, ?)` for n tuples of `width`."""
    if width == 1:
        return ", ".join("?" * n)
    one = "(" + ", ".join("?" * width) + ")"
    return ", ".join([one] * n)


def keys_cte(columns: tuple[str, ...], n: int) -> str:
    """`WITH k(a, b) AS (VALUES (CAST(? AS BIGINT), ...), ...)` for n key tuples.

    Joining a table to this CTE looks each key up through the table's index on both
    backends (SQLite scans the whole table for a multi-row `(a, b) IN (VALUES ...)`)."""
    one = "(" + ", ".join(["CAST(? AS BIGINT)"] * len(columns)) + ")"
    return f"WITH k({', '.join(columns)}) AS (VALUES {', '.join([one] * n)}) "


def opt_bool(value: Any) -> bool | None:
    return None if value is None else bool(value)


class SqlBase:
    """Holds the driver; subclasses (mixins) add the queries of one area each."""

    def __init__(self, driver: Driver) -> None:
        self.db = driver

    @property
    def for_update(self) -> str:
        """Row-lock suffix: PostgreSQL needs it, SQLite's single writer makes it moot."""
        return " FOR UPDATE" if self.db.dialect == "postgres" else ""

    async def _before_player_delete(self, tx: Conn, player_id: int) -> None:
        """Remove, in the deleting transaction, what no foreign key cascades to. Mixins that
        keep such rows (the leaderboard rollup) override it and call `super()`."""

    def chunks(self, n: int, width: int) -> int:
        """How many rows of `width` parameters fit in one statement."""
        return max(1, self.db.max_params // max(1, width))


PLAYER_COLS = "id, display_name, created_at, consent_version, hidden, reminders, home_community_id"
CAMPAIGN_COLS = (
    "id, name, game, dataset_id, question, options, min_overlap, max_overlap, confidence, "
    "gold_rate, reward_multiplier, status, community_id, created_by, settings, created_at"
)
# An item is gold in a campaign when `campaign_gold` holds it for that campaign (migration 008);
# `t` is the campaign's tally row. `items.gold` is only the dataset's import default.
IS_GOLD = (
    "EXISTS (SELECT 1 FROM campaign_gold g "
    "WHERE g.campaign_id = t.campaign_id AND g.item_id = t.item_id)"
)
NOT_GOLD = f"NOT {IS_GOLD}"
ITEM_COLS = "id, dataset_id, kind, source, text, candidate, gold, gold_explanation, truth, meta"
ROUND_COLS = (
    "id, campaign_id, item_id, mode, channel_id, player_id, platform, message_ref, status, "
    "opened_at, closes_at, closed_at, state"
)
ANSWER_COLS = (
    "id, campaign_id, item_id, player_id, round_id, label, platform, latency_ms, created_at, "
    "is_gold, correct, weight, flag, extra, community_id"
)
TALLY_COLS = (
    "campaign_id, item_id, n_answers, pending, counts, label, confidence, agreement, status, "
    "finalized_at, reviewed_label, reviewed_by, extra_overlap"
)
STATS_COLS = (
    "player_id, points, answers, gold_answered, gold_right, settled, agreed, last_answer_at, "
    "counters"
)
COMMUNITY_COLS = "id, platform, external_id, name, timezone, announce_channel_id, settings"
CHANNEL_COLS = "id, platform, external_id, community_id, name, kind"


def player_row(r: Row) -> PlayerRow:
    return PlayerRow(
        int(r[0]),
        r[1],
        float(r[2]),
        int(r[3]),
        bool(r[4]),
        bool(r[5]),
        None if r[6] is None else int(r[6]),
    )


def campaign_row(r: Row) -> CampaignRow:
    return CampaignRow(
        id=int(r[0]),
        name=r[1],
        game=r[2],
        dataset_id=int(r[3]),
        question=r[4],
        options=json.loads(r[5]),
        min_overlap=int(r[6]),
        max_overlap=int(r[7]),
        confidence=float(r[8]),
        gold_rate=float(r[9]),
        reward_multiplier=float(r[10]),
        status=r[11],
        community_id=None if r[12] is None else int(r[12]),
        created_by=r[13],
        settings=loads(r[14]),
        created_at=float(r[15]),
    )


ITEM_INSERT = (
    "INSERT INTO items (dataset_id, kind, source, text, candidate, gold, gold_explanation, "
    "truth, meta, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
"""The items insert; its parameters are `item_values`."""


def item_values(dataset_id: int, it: NewItem, now: float) -> tuple[Any, ...]:
    """The parameters of `ITEM_INSERT` for one new item."""
    meta = dumps(it.meta)
    return (dataset_id, it.kind, it.source, it.text, it.candidate, it.gold,
            it.gold_explanation, it.truth, meta, now)  # fmt: skip


def item_row(r: Row) -> ItemRow:
    return ItemRow(int(r[0]), int(r[1]), r[2], r[3], r[4], r[5], r[6], r[7], r[8], loads(r[9]))


def round_row(r: Row) -> RoundRow:
    return RoundRow(
        id=int(r[0]),
        campaign_id=int(r[1]),
        item_id=int(r[2]),
        mode=r[3],
        channel_id=None if r[4] is None else int(r[4]),
        player_id=None if r[5] is None else int(r[5]),
        platform=r[6],
        message_ref=r[7],
        status=r[8],
        opened_at=float(r[9]),
        closes_at=None if r[10] is None else float(r[10]),
        closed_at=None if r[11] is None else float(r[11]),
        state=loads(r[12]),
    )


def answer_row(r: Row) -> AnswerRow:
    return AnswerRow(
        id=int(r[0]),
        campaign_id=int(r[1]),
        item_id=int(r[2]),
        player_id=int(r[3]),
        round_id=None if r[4] is None else int(r[4]),
        label=r[5],
        platform=r[6],
        latency_ms=None if r[7] is None else int(r[7]),
        created_at=float(r[8]),
        is_gold=bool(r[9]),
        correct=opt_bool(r[10]),
        weight=float(r[11]),
        flag=r[12],
        extra=loads(r[13]),
        community_id=None if r[14] is None else int(r[14]),
    )


def tally_row(r: Row) -> TallyRow:
    return TallyRow(
        campaign_id=int(r[0]),
        item_id=int(r[1]),
        n_answers=int(r[2]),
        pending=int(r[3]),
        counts=loads(r[4]),
        label=r[5],
        confidence=None if r[6] is None else float(r[6]),
        agreement=None if r[7] is None else float(r[7]),
        status=r[8],
        finalized_at=None if r[9] is None else float(r[9]),
        reviewed_label=r[10],
        reviewed_by=r[11],
        extra_overlap=int(r[12] or 0),
    )


def stats_row(r: Row) -> PlayerStatsRow:
    return PlayerStatsRow(
        int(r[0]),
        int(r[1]),
        int(r[2]),
        int(r[3]),
        int(r[4]),
        int(r[5]),
        int(r[6]),
        None if r[7] is None else float(r[7]),
        loads(r[8]),
    )


def community_row(r: Row) -> CommunityRow:
    return CommunityRow(
        int(r[0]), r[1], r[2], r[3], r[4], None if r[5] is None else int(r[5]), loads(r[6])
    )


def channel_row(r: Row) -> ChannelRow:
    return ChannelRow(int(r[0]), r[1], r[2], None if r[3] is None else int(r[3]), r[4], r[5])


STANDING_COLS = (
    "player_id, campaign_id, answers, gold_answered, gold_right, onboarding, "
    "onboarding_answered, onboarding_right, onboarding_failed_at, last_label, same_run, "
    "flagged, flags"
)


def standing_row(r: Row) -> Standing:
    return Standing(
        int(r[0]),
        int(r[1]),
        int(r[2]),
        int(r[3]),
        int(r[4]),
        r[5],
        int(r[6]),
        int(r[7]),
        None if r[8] is None else float(r[8]),
        r[9],
        int(r[10]),
        int(r[11]),
        loads(r[12]),
    )


def standing_params(s: Standing, now: float) -> tuple[object, ...]:
    return (
        s.player_id,
        s.campaign_id,
        s.answers,
        s.gold_answered,
        s.gold_right,
        s.onboarding,
        s.onboarding_answered,
        s.onboarding_right,
        s.onboarding_failed_at,
        s.last_label,
        s.same_run,
        s.flagged,
        dumps(s.flags),
        now,
    )


UPSERT_STANDING = (
    f"INSERT INTO player_campaign ({STANDING_COLS}, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (player_id, campaign_id) DO UPDATE SET answers = excluded.answers, "
    "gold_answered = excluded.gold_answered, gold_right = excluded.gold_right, "
    "onboarding = excluded.onboarding, onboarding_answered = excluded.onboarding_answered, "
    "onboarding_right = excluded.onboarding_right, "
    "onboarding_failed_at = excluded.onboarding_failed_at, last_label = excluded.last_label, "
    "same_run = excluded.same_run, flagged = excluded.flagged, flags = excluded.flags, "
    "updated_at = excluded.updated_at"
)
