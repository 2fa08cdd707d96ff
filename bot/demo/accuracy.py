"""The demo's label accuracy per game (`accuracy_by_game` in `run.py demo --json`).

Each figure is the share of decided labels that equal the hidden ground truth, for the game's
own kind of label:

- `verify`, `classify`: the engine's live label of every non-gold item that has a truth (an
  item left unlabelled counts as wrong), over the demo's shape campaigns;
- `quickdraw`: the share of decided doodles whose verdict (recognizable or not) matches the
  drawing's known quality (`quickdraw_sim`, `agreement_with_drawing_quality`);
- `transcribe`: finalized handwriting items whose label equals the normalised text
  (`transcribe_sim`);
- `translate`: accepted translations equal (normalised) to the reference (`translate_sim`);
- `capture`: settled photos whose outcome (accepted or rejected) matches what the photo
  shows (`capture_sim`, `settle_accuracy`);
- `multilabel`: micro-averaged per-attribute F1 of the finalized attribute sets
  (`multilabel_sim`; its `exact_match` is in the game's own section);
- `compare`: Spearman's rank correlation of the Bradley-Terry ranking with the true order
  (`compare_sim`);
- `rate`: the mean absolute error of the finalized medians (`rate_sim`, `mae`: lower is
  better, the one figure here that is not a share);
- `locate`: the share of true boxes found at IoU >= 0.5 by the finalized labels
  (`locate_sim`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from storage import CampaignRow, Store


async def live_accuracy_by_game(
    store: Store, campaigns: Sequence[CampaignRow]
) -> dict[str, float]:
    """Live label accuracy per game over the campaigns' non-gold items with a truth."""
    right: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    for c in campaigns:
        items = [i for i in await store.campaign_items(c.id) if i.gold is None and i.truth]
        tallies = {t.item_id: t for t in await store.campaign_tallies(c.id)}
        total[c.game] += len(items)
        right[c.game] += sum(1 for i in items if tallies[i.id].label == i.truth)
    return {g: round(right[g] / n, 4) for g, n in total.items() if n}


def accuracy_by_game(live: Mapping[str, float], extra: Mapping[str, Any]) -> dict[str, float]:
    """`live` plus the figure each simulated game reports (module docstring)."""
    out = dict(live)
    picks = {
        "quickdraw": ("quickdraw", "agreement_with_drawing_quality"),
        "transcribe": ("transcribe", "accuracy"),
        "translate": ("translate", "accuracy"),
        "capture": ("capture", "settle_accuracy"),
        "multilabel": ("multilabel", "accuracy"),
        "compare": ("compare", "accuracy"),
        "rate": ("rate", "mae"),
        "locate": ("locate", "accuracy"),
    }
    for game, (section, key) in picks.items():
        value = (extra.get(section) or {}).get(key)
        if isinstance(value, int | float):
            out[game] = round(float(value), 4)
    return out
