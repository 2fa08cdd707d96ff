"""A compare campaign in the exports (docs/compare.md#exports).

- `ranking_rows` (`run.py export --format ranking NAME`): one row per base item, best first:
  `rank`, `item_id`, `source`, `name`, `score` (Bradley-Terry log-strength, mean 0; 4
  decimals), `comparisons` (left / right answers it took part in), `pairs` (pair items it is
  in);
- `compare_label_rows` (the labels export of a compare campaign): base items only, in the
  labels export's columns (`bot.core.exports.labels.LABEL_COLUMNS`): `label` is the item's
  rank, `confidence` its score, `n_answers` its comparisons, `status` `ranked` (or `open` when
  never compared), `method` `bradley-terry`. Pairs are steps, not labels: their answers are in
  the answers export (left / right / cant_tell per pair item).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from bot.core.compare import texts
from bot.core.compare.ranking import fit_ranking
from bot.games.compare import PAIR_KIND
from storage import CampaignRow, Store

RANKING_COLUMNS = ("rank", "item_id", "source", "name", "score", "comparisons", "pairs")
METHOD = "bradley-terry"


async def ranking_rows(store: Store, campaign: CampaignRow) -> list[dict[str, Any]]:
    """The campaign's ranking as export rows (module rule)."""
    base = {i.id: i for i in await store.campaign_items(campaign.id) if i.kind != PAIR_KIND}
    pairs = await store.compare_pairs(campaign.id)
    pair_items = await store.get_items([p.pair_item_id for p in pairs])
    answers = [a for a in await store.campaign_answers(campaign.id) if a.item_id in pair_items]
    ranking = fit_ranking([base[i] for i in sorted(base)], pair_items, answers)
    in_pairs = Counter(i for p in pairs for i in (p.low_id, p.high_id))
    return [
        {
            "rank": r.rank,
            "item_id": r.item_id,
            "source": base[r.item_id].source,
            "name": r.name,
            "score": round(r.score, 4),
            "comparisons": r.comparisons,
            "pairs": in_pairs[r.item_id],
        }
        for r in ranking.items
    ]


async def compare_label_rows(store: Store, campaign: CampaignRow) -> list[dict[str, Any]]:
    """The labels export of a compare campaign (module rule)."""
    return [
        {
            "item_id": r["item_id"],
            "source": r["source"],
            "label": str(r["rank"]),
            "confidence": r["score"],
            "n_answers": r["comparisons"],
            "agreement": None,
            "status": "ranked" if r["comparisons"] else "open",
            "is_gold": False,
            "method": METHOD,
            "expert": False,
            "gold_accuracy": None,
        }
        for r in await ranking_rows(store, campaign)
    ]


async def status_lines(store: Store, campaign: CampaignRow, top: int = 3) -> list[str]:
    """`/campaign status` of a compare campaign, briefly: how many items were compared and
    the `top` items of the ranking."""
    rows = await ranking_rows(store, campaign)
    compared = [r for r in rows if r["comparisons"]]
    if not compared:
        return [texts.RANKING_EMPTY]
    answers = sum(r["comparisons"] for r in rows) // 2
    head = texts.RANKING_HEAD.format(compared=len(compared), total=len(rows), answers=answers)
    lines = [
        texts.RANKING_LINE.format(
            rank=r["rank"], name=r["name"], score=r["score"], comparisons=r["comparisons"]
        )
        for r in compared[:top]
    ]
    return [head, *lines]
