"""The SQL texts of the answer batch's statements (`storage.batch.AnswerTx`), in the sizes
of `storage.batch_sql.pieces`."""

from __future__ import annotations

from functools import cache

from storage.batch_sql import BIGINT, REAL, TEXT, typed_rows
from storage.sql_base import UPSERT_STANDING, marks

TALLY_TYPES = (BIGINT, BIGINT, BIGINT, TEXT, TEXT, REAL, REAL, TEXT, REAL, BIGINT)
SAVE_TALLIES = (
    "WITH v(c, i, n, counts, label, conf, agr, status, fin, rel) AS (VALUES {values}) "
    "UPDATE tallies SET n_answers = v.n, counts = v.counts, label = v.label, "
    "confidence = v.conf, agreement = v.agr, status = v.status, finalized_at = v.fin, "
    "pending = CASE WHEN tallies.pending > v.rel THEN tallies.pending - v.rel ELSE 0 END "
    "FROM v WHERE tallies.campaign_id = v.c AND tallies.item_id = v.i"
)
STATS_TYPES = (BIGINT, BIGINT, BIGINT, BIGINT, BIGINT, BIGINT, BIGINT, REAL)
BUMP_STATS = (
    "WITH v(p, d_points, d_answers, d_gold_answered, d_gold_right, d_settled, d_agreed, "
    "d_last) AS (VALUES {values}) "
    "UPDATE player_stats SET points = player_stats.points + v.d_points, "
    "answers = player_stats.answers + v.d_answers, "
    "gold_answered = player_stats.gold_answered + v.d_gold_answered, "
    "gold_right = player_stats.gold_right + v.d_gold_right, "
    "settled = player_stats.settled + v.d_settled, agreed = player_stats.agreed + v.d_agreed, "
    "last_answer_at = COALESCE(v.d_last, player_stats.last_answer_at) "
    "FROM v WHERE player_stats.player_id = v.p"
)


@cache
def save_tallies_sql(n: int) -> str:
    return SAVE_TALLIES.format(values=typed_rows(TALLY_TYPES, n))


@cache
def bump_stats_sql(n: int) -> str:
    return BUMP_STATS.format(values=typed_rows(STATS_TYPES, n))


@cache
def insert_answers_sql(n: int) -> str:
    return (
        "INSERT INTO answers (campaign_id, item_id, player_id, round_id, label, platform, "
        "latency_ms, created_at, is_gold, correct, weight, flag, extra, community_id) "
        f"VALUES {marks(n, 14)} ON CONFLICT (campaign_id, item_id, player_id) DO NOTHING "
        "RETURNING id, campaign_id, item_id, player_id"
    )


@cache
def add_ledger_sql(n: int) -> str:
    return (
        "INSERT INTO ledger (player_id, created_at, points, kind, reason, answer_id, "
        f"campaign_id, community_id) VALUES {marks(n, 8)}"
    )


@cache
def upsert_standings(n: int) -> str:
    """`UPSERT_STANDING` for n rows."""
    return UPSERT_STANDING.replace(marks(1, 14), marks(n, 14), 1)


def prefixed(alias: str, cols: str) -> str:
    return ", ".join(f"{alias}.{c.strip()}" for c in cols.split(","))
