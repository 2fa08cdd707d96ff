"""The last word on a typed item that reached its maximum overlap undecided.

The live tally (`bot.core.play.tally`) votes between whole normalised strings: a typed item
finalises when enough reliable players typed the same string, and goes to review when it
reaches its maximum overlap below the confidence threshold. A game that can combine answers
(`bot.games.base.CombinesAnswers`, e.g. transcribe's word-level ROVER vote) gets one more
look at such an item (and a game whose label for the item is decided by its feature,
`bot.games.base.DecidedElsewhere`, keeps it open and out of review): its answers, each
repeated as often as it was typed and weighted by its
voters' mean accuracy q (recovered from the tally's Σ logit(q) / n), go to `game.combine`. A
combined label finalises the item with the game's confidence (transcribe: the lowest
position share); None leaves it in review. Abstentions carry no evidence and are not passed.
"""

from __future__ import annotations

import math
from dataclasses import replace

from bot.core.play.tally import Counts, Summary
from bot.games.base import CombinesAnswers, DecidedElsewhere, Game
from storage import TALLY_FINALIZED, TALLY_OPEN, TALLY_REVIEW, CampaignRow, ItemRow


def answers_of(counts: Counts) -> tuple[list[str], list[float]]:
    """The evidence answers of a tally as (labels, weights), one entry per answer."""
    labels: list[str] = []
    weights: list[float] = []
    for label, entry in counts.items():
        n = int(entry[2]) if len(entry) > 2 else 0
        if n <= 0:
            continue
        q = 1.0 / (1.0 + math.exp(-entry[1] / n))
        labels += [label] * n
        weights += [q] * n
    return labels, weights


def decide(
    game: Game, campaign: CampaignRow, item: ItemRow, counts: Counts, summary: Summary
) -> Summary:
    """`summary`, or a finalised one when the game combines the answers of an item that was
    going to review (see the module docstring)."""
    if summary.status != TALLY_REVIEW:
        return summary
    if isinstance(game, DecidedElsewhere) and game.decided_elsewhere(item):
        return replace(summary, status=TALLY_OPEN)  # its feature decides (and may review)
    if not isinstance(game, CombinesAnswers):
        return summary
    labels, weights = answers_of(counts)
    combined = game.combine(campaign, item, labels, weights)
    if combined is None:
        return summary
    agree = sum(1 for lab in labels if lab == combined.label) / len(labels) if labels else 0.0
    return Summary(combined.label, combined.confidence, round(agree, 6), TALLY_FINALIZED)
