"""Exports: a campaign's labels, or its raw answers in crowd-kit's long form.

Workers are pseudonymous by default: `w_` + the first 12 hex digits of
SHA-256(salt + player id), with a random salt created once and kept in the database, so the
same player has the same pseudonym in every export of one installation and no export can be
joined to a platform account. `raw_ids` exports internal player ids instead (admins only).
Players who chose /privacy are pseudonymous even then.

Label rows (`LABEL_COLUMNS`), one per item:
- `label` comes from `method`: `live` (the engine's reliability-weighted tally, the
  default) or a batch aggregator of `bot.aggregation.METHODS` re-run over the answers (see
  `bot.core.exports.batch_labels` for what it sees); `confidence` is that method's posterior.
- An expert label set in review overrides the crowd: `method` is `expert`, `expert` is
  true and `confidence` is empty. A gold item carries its known answer (`method` `gold`).
- `n_answers` and `agreement` describe the answers the label is based on (agreement: the
  share of those naming a label that name this one); `status` is the review status (open,
  finalized, review, reviewed, gold).
- compare campaigns (docs/compare.md) list their base items: `label` the rank, `confidence`
  the Bradley-Terry score (`bot.core.compare.export`).
- translate campaigns (docs/translate.md) list their source sentences only: `label` is the
  accepted translation, `confidence` its validation score; candidates and pairs are steps.
- a game that judges its own answers (`JudgesAnswers`: rate's weighted median) gives the
  live method's `agreement` itself (rate: 1 - the normalised mean absolute deviation from
  the median, docs/rate.md).
- `gold_accuracy`: the mean gold accuracy (right / answered check items, in this campaign)
  of the contributors to the item who answered any gold item; empty when none did.
Answer rows (`ANSWER_COLUMNS`) carry `worker_gold_accuracy`, the same figure per worker. A
rating (a game measured at the interval level, `alpha_level`) is a number in `label` (JSON
Lines: 3, not "3"; "Can't say" stays the text `cant_say`).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import secrets
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from bot.core.compare import compare_label_rows
from bot.core.exports.batch_labels import LIVE, MethodLabel, evidence_of, fit_method, method_rows
from bot.csv_safe import csv_line, safe_cell
from bot.games.base import JudgesAnswers
from bot.games.registry import get_game
from bot.games.translate import is_label_item
from storage import TALLY_HIDDEN, AnswerRow, CampaignRow, Standing, Store

LABEL_COLUMNS = (
    "item_id",
    "source",
    "label",
    "confidence",
    "n_answers",
    "agreement",
    "status",
    "is_gold",
    "method",
    "expert",
    "gold_accuracy",
)
ANSWER_COLUMNS = (
    "task",
    "worker",
    "label",
    "created_at",
    "platform",
    "latency_ms",
    "is_gold",
    "correct",
    "flag",
    "weight",
    "worker_gold_accuracy",
)
FORMATS = ("csv", "jsonl")
# How each CSV column is written (`render`): numbers as numbers (booleans as 0/1), text made
# spreadsheet-safe (`bot.csv_safe`). tests/exports/test_csv_safety.py checks that every
# column of every export is in exactly one of the two.
NUMBER_COLUMNS = frozenset(
    {
        "item_id",
        "confidence",
        "n_answers",
        "agreement",
        "is_gold",
        "expert",
        "gold_accuracy",
        "latency_ms",
        "correct",
        "weight",
        "worker_gold_accuracy",
        "model_recognized",
        "guessers",
        "recognition_rate",
        "top_share",
        "human_recognized",
        "ignored_after_reveal",
        "gold_attribute_accuracy",
    }
)
TEXT_COLUMNS = frozenset(
    {
        "source",
        "label",
        "status",
        "method",
        "task",
        "worker",
        "created_at",
        "platform",
        "flag",
        "word",
        "key_id",
        "countrycode",
        "top_guess",
        "verdict",
        "attributes",
        "attribute_confidence",
        "attribute_agreement",
    }
)


async def pseudonym_salt(store: Store) -> str:
    return await store.set_meta_default("pseudonym_salt", secrets.token_hex(16))


def pseudonym(salt: str, player_id: int) -> str:
    return "w_" + hashlib.sha256(f"{salt}:{player_id}".encode()).hexdigest()[:12]


def iso(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).isoformat(timespec="milliseconds")


def gold_accuracy(standings: Iterable[Standing]) -> dict[int, float]:
    """Per player: right / answered gold items in the campaign (players with none left out)."""
    return {s.player_id: s.gold_right / s.gold_answered for s in standings if s.gold_answered}


def _r4(v: float | None) -> float | None:
    return None if v is None else round(v, 4)


def _share(votes: Counter[str], label: str | None) -> float | None:
    """The share of the answers naming a label that name `label`."""
    return _r4(votes[label] / votes.total()) if label is not None and votes else None


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


async def label_rows(
    store: Store, campaign: CampaignRow, *, method: str = LIVE
) -> list[dict[str, Any]]:
    """One row per item of the campaign (see the module docstring for the columns)."""
    if campaign.game == "compare":  # base items ranked by Bradley-Terry (issue 17)
        return await compare_label_rows(store, campaign)
    return await _vote_label_rows(store, campaign, method=method)


async def _vote_label_rows(
    store: Store, campaign: CampaignRow, *, method: str = LIVE
) -> list[dict[str, Any]]:
    """`label_rows` of a game whose items are labelled by their answers."""
    if campaign.game == "translate":
        method = LIVE  # the accepted translation is decided by validation, not re-aggregated
    game = get_game(campaign.game)
    items = {i.id: i for i in await store.campaign_items(campaign.id)}
    answers = await store.campaign_answers(campaign.id)
    accuracy = gold_accuracy(await store.campaign_standings(campaign.id))
    names_label = evidence_of(game, campaign, items)
    batch: dict[int, MethodLabel] = {}
    if method == LIVE:
        used = [a for a in answers if a.flag is None and not a.is_gold and names_label(a)]
    else:
        used = [a for a in answers if names_label(a)]
        batch = await asyncio.to_thread(fit_method, method, method_rows(used, names_label))
    votes: dict[int, Counter[str]] = {}
    who: dict[int, set[int]] = {}
    for a in used:
        votes.setdefault(a.item_id, Counter())[a.label] += 1
        who.setdefault(a.item_id, set()).add(a.player_id)
    out = []
    judged = method == LIVE and isinstance(game, JudgesAnswers)
    for t in await store.campaign_tallies(campaign.id):
        if t.status == TALLY_HIDDEN:  # a hidden player drawing is in no export (issue 15)
            continue
        item = items[t.item_id]
        if not is_label_item(campaign, item):  # translate: candidates and pairs are not labels
            continue
        got = batch.get(t.item_id)
        label, conf, n = (
            (t.label, t.confidence, t.n_answers)
            if method == LIVE
            else ((got.label, got.confidence, got.n_answers) if got else (None, None, 0))
        )
        shown = method
        if t.reviewed_label is not None:
            label, conf, shown = t.reviewed_label, None, "expert"
        elif item.gold is not None:
            label, conf, shown = item.gold, None, "gold"
        v = votes.get(t.item_id, Counter())
        out.append(
            {
                "item_id": t.item_id,
                "source": item.source,
                "label": label,
                "confidence": _r4(conf),
                "n_answers": n,
                "agreement": _r4(t.agreement) if judged else _share(v, label),
                "status": "gold" if item.gold is not None else t.status,
                "is_gold": item.gold is not None,
                "method": shown,
                "expert": t.reviewed_label is not None,
                "gold_accuracy": _r4(
                    _mean([accuracy[p] for p in who.get(t.item_id, ()) if p in accuracy])
                ),
            }
        )
    return out


async def answer_rows(
    store: Store, campaign: CampaignRow, *, raw_ids: bool = False
) -> list[dict[str, Any]]:
    salt = await pseudonym_salt(store)
    hidden = await store.hidden_players()
    accuracy = gold_accuracy(await store.campaign_standings(campaign.id))
    tallies = await store.campaign_tallies(campaign.id)
    gone = {t.item_id for t in tallies if t.status == TALLY_HIDDEN}  # hidden drawings (issue 15)
    rows = [
        answer_row(a, salt, hidden, accuracy, raw_ids)
        for a in await store.campaign_answers(campaign.id)
        if a.item_id not in gone
    ]
    if getattr(get_game(campaign.game), "alpha_level", "nominal") == "interval":
        for r in rows:
            r["label"] = int(r["label"]) if r["label"].isdigit() else r["label"]
    return rows


def answer_row(
    a: AnswerRow, salt: str, hidden: set[int], accuracy: dict[int, float], raw_ids: bool
) -> dict[str, Any]:
    worker = (
        str(a.player_id) if raw_ids and a.player_id not in hidden else pseudonym(salt, a.player_id)
    )
    return {
        "task": str(a.item_id),
        "worker": worker,
        "label": a.label,
        "created_at": iso(a.created_at),
        "platform": a.platform,
        "latency_ms": a.latency_ms,
        "is_gold": a.is_gold,
        "correct": a.correct,
        "flag": a.flag,
        "weight": round(a.weight, 4),
        "worker_gold_accuracy": _r4(accuracy.get(a.player_id)),
    }


def render(
    rows: Iterable[dict[str, Any]], columns: Sequence[str], fmt: str, *, raw_cells: bool = False
) -> bytes:
    """CSV (header first, empty cells for None) or JSON Lines (one object per row, raw: no
    spreadsheet opens it). CSV text cells are spreadsheet-safe (`bot.csv_safe`) unless
    `raw_cells` (the command line's `--raw-cells`; chat exports are always safe)."""
    if fmt == "jsonl":
        return "".join(
            json.dumps({c: r.get(c) for c in columns}, ensure_ascii=False) + "\n" for r in rows
        ).encode()
    if fmt != "csv":
        raise ValueError(f"unknown export format {fmt!r} (use {', '.join(FORMATS)})")
    lines = [csv_line(columns)]
    for r in rows:
        lines.append(
            csv_line("" if r.get(c) is None else _cell(r.get(c), c, raw_cells) for c in columns)
        )
    return "".join(lines).encode()


def _cell(v: Any, column: str, raw: bool) -> Any:
    """A number column's number as it is (a bool as 0/1); anything else as safe text."""
    if isinstance(v, bool):
        return int(v)
    if raw or (column in NUMBER_COLUMNS and isinstance(v, int | float)):
        return v
    return safe_cell(str(v))


async def doodle_label_rows(
    store: Store, campaign: CampaignRow, *, method: str = LIVE
) -> list[dict[str, Any]]:
    """`label_rows` of a quick-draw campaign plus the doodle columns (`DOODLE_COLUMNS`:
    word, key id, the model's flag, recognition rate, top guess, verdict, ...)."""
    from bot.core.quickdraw.labels import doodle_columns, doodle_labels

    items = {i.id: i for i in await store.campaign_items(campaign.id)}
    labels = await doodle_labels(store, campaign)
    return [
        {**row, **doodle_columns(items[row["item_id"]], labels.get(row["item_id"]))}
        for row in await label_rows(store, campaign, method=method)
    ]
