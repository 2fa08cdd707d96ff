"""Exports: a campaign's labels, or its raw answers in crowd-kit's long form.

Workers are pseudonymous by default: `w_` + the first 12 hex digits of
SHA-256(salt + player id), with a random salt created once and kept in the database, so the
same player has the same pseudonym in every export of one installation and no export can be
joined to a platform account. `raw_ids` exports internal player ids instead (admins only).
Players who chose /privacy are pseudonymous even then.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import secrets
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from storage import SqlStore
from storage.rows import CampaignRow

LABEL_COLUMNS = (
    "item_id", "source", "label", "confidence", "n_answers", "agreement", "status", "is_gold",
)  # fmt: skip
ANSWER_COLUMNS = (
    "task", "worker", "label", "created_at", "platform", "latency_ms", "is_gold", "correct",
    "flag", "weight",
)  # fmt: skip
FORMATS = ("csv", "jsonl")


async def pseudonym_salt(store: SqlStore) -> str:
    return await store.set_meta_default("pseudonym_salt", secrets.token_hex(16))


def pseudonym(salt: str, player_id: int) -> str:
    return "w_" + hashlib.sha256(f"{salt}:{player_id}".encode()).hexdigest()[:12]


def iso(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).isoformat(timespec="milliseconds")


async def label_rows(store: SqlStore, campaign: CampaignRow) -> list[dict[str, Any]]:
    items = {i.id: i for i in await store.dataset_items(campaign.dataset_id)}
    out = []
    for t in await store.campaign_tallies(campaign.id):
        item = items[t.item_id]
        label = t.reviewed_label or (item.gold if item.gold is not None else t.label)
        out.append({
            "item_id": t.item_id, "source": item.source, "label": label,
            "confidence": None if t.confidence is None else round(t.confidence, 4),
            "n_answers": t.n_answers,
            "agreement": None if t.agreement is None else round(t.agreement, 4),
            "status": "gold" if item.gold is not None else t.status,
            "is_gold": item.gold is not None,
        })  # fmt: skip
    return out


async def answer_rows(
    store: SqlStore, campaign: CampaignRow, *, raw_ids: bool = False
) -> list[dict[str, Any]]:
    salt = await pseudonym_salt(store)
    hidden = await store.hidden_players()
    out = []
    for a in await store.campaign_answers(campaign.id):
        worker = (str(a.player_id) if raw_ids and a.player_id not in hidden
                  else pseudonym(salt, a.player_id))  # fmt: skip
        out.append({
            "task": str(a.item_id), "worker": worker, "label": a.label,
            "created_at": iso(a.created_at), "platform": a.platform,
            "latency_ms": a.latency_ms, "is_gold": a.is_gold, "correct": a.correct,
            "flag": a.flag, "weight": round(a.weight, 4),
        })  # fmt: skip
    return out


def render(rows: Iterable[dict[str, Any]], columns: Sequence[str], fmt: str) -> bytes:
    """CSV (header first, empty cells for None) or JSON Lines (one object per row)."""
    if fmt == "jsonl":
        return "".join(
            json.dumps({c: r.get(c) for c in columns}, ensure_ascii=False) + "\n" for r in rows
        ).encode()
    if fmt != "csv":
        raise ValueError(f"unknown export format {fmt!r} (use {', '.join(FORMATS)})")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow(["" if r.get(c) is None else _cell(r.get(c)) for c in columns])
    return buf.getvalue().encode()


def _cell(v: Any) -> Any:
    return int(v) if isinstance(v, bool) else v
