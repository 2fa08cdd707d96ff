"""The labels export of a multilabel campaign: the label set plus per-attribute columns.

Beside `LABEL_COLUMNS` (`label` is the attribute set as stored: `a|b`, or `none`):
- `attributes`: the label's attributes as a JSON list (`[]` for none of these);
- `attribute_confidence`: JSON {attribute: P(present)} under the live model
  (`bot.games.multilabel`, each counted answer weighted by its player's reliability);
- `attribute_agreement`: JSON {attribute: share of the answers agreeing with the label on it};
- `gold_attribute_accuracy` (gold items): the share of (answer, attribute) decisions that match
  the gold set; the answers export's `correct` is the exact set match.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from bot.core.exports.batch_labels import LIVE
from bot.core.exports.labels import LABEL_COLUMNS, label_rows
from bot.games.multilabel import attribute_posteriors, attributes_of
from storage import AnswerRow, CampaignRow, Store

GAME = "multilabel"
MULTILABEL_COLUMNS = (
    "attributes",
    "attribute_confidence",
    "attribute_agreement",
    "gold_attribute_accuracy",
)


async def labels_with_columns(
    store: Store, campaign: CampaignRow, *, method: str = LIVE
) -> tuple[list[dict[str, Any]], tuple[str, ...]]:
    """The labels export's rows and columns: `label_rows` and `LABEL_COLUMNS`, plus the
    per-attribute columns for a multilabel campaign."""
    rows = await label_rows(store, campaign, method=method)
    if campaign.game != GAME:
        return rows, LABEL_COLUMNS
    items = {i.id: i for i in await store.campaign_items(campaign.id)}
    by_item: dict[int, list[AnswerRow]] = defaultdict(list)
    for a in await store.campaign_answers(campaign.id):
        by_item[a.item_id].append(a)
    for row in rows:
        answers = by_item.get(row["item_id"], [])
        gold = items[row["item_id"]].gold
        row.update(attribute_columns(campaign.options, row["label"], answers, gold))
    return rows, (*LABEL_COLUMNS, *MULTILABEL_COLUMNS)


def attribute_columns(
    options: list[str], label: str | None, answers: list[AnswerRow], gold: str | None
) -> dict[str, Any]:
    chosen = attributes_of(label or "")
    live = [a for a in answers if a.flag is None and not a.is_gold]
    post = attribute_posteriors(options, [a.label for a in live], [a.weight for a in live])
    sets = [attributes_of(a.label) for a in live]
    agree = {
        o: round(sum((o in s) == (o in chosen) for s in sets) / len(sets), 4) for o in options
    }
    out: dict[str, Any] = {
        "attributes": json.dumps([o for o in options if o in chosen]),
        "attribute_confidence": json.dumps({o: round(p, 4) for o, p in post.items()})
        if live
        else None,
        "attribute_agreement": json.dumps(agree) if sets else None,
        "gold_attribute_accuracy": None,
    }
    if gold is not None and answers:
        truth = attributes_of("|".join(w.strip() for w in gold.replace(",", "|").split("|")))
        hits = [(o in attributes_of(a.label)) == (o in truth) for a in answers for o in options]
        out["gold_attribute_accuracy"] = round(sum(hits) / len(hits), 4)
    return out
