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

from bot.core.play import tally
from bot.core.play.tally import Counts, Summary
from bot.games.base import CombinesAnswers, DecidedElsewhere, Game, JudgesAnswers
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


def is_evidence(game: Game, campaign: CampaignRow, item: ItemRow, label: str) -> bool:
    """Whether an answer counts as evidence for the item's label: the game says so for a
    game that judges its answers (`JudgesAnswers.is_evidence`); else every typed answer,
    and a button answer when its option is evidence (not "not sure")."""
    if isinstance(game, JudgesAnswers):
        return game.is_evidence(campaign, item, label)
    return game.free_text or label in game.evidence_options(campaign, item)


def summarize_item(
    game: Game,
    campaign: CampaignRow,
    item: ItemRow,
    counts: Counts,
    n_answers: int,
    max_overlap: int,
) -> Summary:
    """The item's live summary: the game's own verdict for a game that judges its answers
    (`bot.games.base.JudgesAnswers`: FINALIZED at `min_overlap` answers and a confidence at
    the campaign's threshold, REVIEW at `max_overlap` below it, OPEN otherwise), else the
    reliability-weighted vote (`bot.core.play.tally.summarize`) and `decide` above."""
    if isinstance(game, JudgesAnswers):
        labels, weights = answers_of(counts)
        if not labels:
            status = TALLY_REVIEW if n_answers >= max_overlap else TALLY_OPEN
            return Summary(None, None, None, status)
        v = game.judge(campaign, item, labels, weights)
        if (
            v.label is not None
            and n_answers >= campaign.min_overlap
            and (v.confidence >= campaign.confidence)
        ):
            status = TALLY_FINALIZED
        else:
            status = TALLY_REVIEW if n_answers >= max_overlap else TALLY_OPEN
        agreement = None if v.agreement is None else round(v.agreement, 6)
        return Summary(v.label, round(v.confidence, 6), agreement, status)
    s = tally.summarize(
        counts,
        game.evidence_options(campaign, item),
        n_answers,
        min_overlap=campaign.min_overlap,
        max_overlap=max_overlap,
        threshold=campaign.confidence,
    )
    return decide(game, campaign, item, counts, s)
