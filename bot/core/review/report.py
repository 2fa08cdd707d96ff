"""The campaign quality report (`run.py campaign report NAME`, /report in chat).

Over the campaign's non-gold items:
- progress: finalized, reviewed (expert label), in review, open; the finalized share is
  (finalized + reviewed) / items;
- mean confidence: the mean posterior of the live label over finalized items;
- Krippendorff's alpha (nominal) over the counted answers that name a label
  (`bot.aggregation.metrics.krippendorff_alpha_nominal`; undefined -> None); interval for a
  game whose labels are numbers on a scale (`alpha_level = "interval"`, rate:
  `bot.aggregation.krippendorff.alpha_at_level`); for locate
  campaigns the agreement shown is the mean IoU of the finalized items (`mean_iou`);
- label distribution: the final label of each decided item (an expert label overrides);
- players set aside and why: per flag, the players whose standing has it and the answers it
  set aside (from the standings, so a moderator's reset clears it); the players excluded right
  now (failed tutorial, gold accuracy under the floor) and the tutorial states;
- multilabel campaigns: Krippendorff's alpha per attribute (`bot.core.review.attributes`);
- each batch method's agreement with the live labels (items with a live label), and, when the
  items carry a hidden reference answer (`truth`), every method's accuracy against it (an
  item a method leaves unlabelled counts as wrong).
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from bot.aggregation import METHODS
from bot.aggregation.krippendorff import alpha_at_level
from bot.core.exports.batch_labels import LIVE, evidence_of, fit_all, method_rows
from bot.core.play.quality import FAILED, QualityRules, effective_onboarding, shown_flags
from bot.core.review.attributes import GAME as ML
from bot.core.review.attributes import attribute_alpha, format_line
from bot.games.base import Game
from bot.games.registry import get_game
from storage import (
    TALLY_FINALIZED,
    TALLY_OPEN,
    TALLY_REVIEW,
    AnswerRow,
    CampaignRow,
    ItemRow,
    Standing,
    Store,
    TallyRow,
)

log = logging.getLogger(__name__)

FLAG_NAMES = {
    "too_fast": "too fast",
    "same_answer_run": "same answer over and over",
    "low_gold_accuracy": "low accuracy on check items",
    "onboarding": "tutorial not passed yet",
    "onboarding_failed": "tutorial failed",
}


@dataclass(frozen=True, slots=True)
class FlagCount:
    players: int
    answers: int


@dataclass(frozen=True)
class CampaignReport:
    name: str
    game: str
    status: str
    items: int
    gold_items: int
    finalized: int
    reviewed: int
    in_review: int
    open: int
    answers: int
    counted: int
    players: int
    mean_confidence: float | None
    alpha: float | None
    labels: dict[str, int]
    flags: dict[str, FlagCount]
    onboarding: dict[str, int]
    excluded_now: dict[str, int]
    agreement: dict[str, float] = field(default_factory=dict)
    agreement_items: int = 0
    accuracy: dict[str, float] = field(default_factory=dict)
    accuracy_items: int = 0
    alpha_level: str = "nominal"
    mean_iou: float | None = None
    """locate: the mean of the finalized items' agreement (mean IoU of the players' boxes to
    the merged ones; points: 1 - mean distance / radius), shown instead of alpha."""
    attribute_alpha: dict[str, float | None] = field(default_factory=dict)  # multilabel

    @property
    def finalized_share(self) -> float:
        return (self.finalized + self.reviewed) / self.items if self.items else 0.0

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["finalized_share"] = round(self.finalized_share, 4)
        return out


async def campaign_report(
    store: Store, campaign: CampaignRow, rules: QualityRules
) -> CampaignReport:
    """Load the campaign and build its report (the numeric part in a worker thread)."""
    items = await store.campaign_items(campaign.id)
    tallies = await store.campaign_tallies(campaign.id)
    answers = await store.campaign_answers(campaign.id)
    standings = await store.campaign_standings(campaign.id)
    game = get_game(campaign.game)
    return await asyncio.to_thread(
        build_report, campaign, game, items, tallies, answers, standings, rules
    )


def build_report(
    campaign: CampaignRow,
    game: Game,
    items: Sequence[ItemRow],
    tallies: Sequence[TallyRow],
    answers: Sequence[AnswerRow],
    standings: Sequence[Standing],
    rules: QualityRules,
) -> CampaignReport:
    """The report from a snapshot of the campaign (pure; CPU-bound for big campaigns)."""
    by_id = {i.id: i for i in items}
    plain = {k: v for k, v in by_id.items() if v.gold is None}
    live = [t for t in tallies if t.item_id in plain]
    status = Counter(t.status for t in live)
    names_label = evidence_of(game, campaign, by_id)
    counted = [a for a in answers if a.flag is None and a.item_id in plain]
    labelled = [a for a in counted if names_label(a)]
    conf = [t.confidence for t in live if t.status == TALLY_FINALIZED and t.confidence is not None]
    level = getattr(game, "alpha_level", "nominal")
    alpha = alpha_at_level(level, method_rows(labelled, names_label)) if labelled else math.nan
    finals: Counter[str] = Counter()
    for t in live:
        final = t.reviewed_label or (t.label if t.status == TALLY_FINALIZED else None)
        if final is not None:
            finals[final] += 1
    agreement, n_agree, accuracy, n_acc = _methods(live, plain, answers, names_label)
    gold_items = len(by_id) - len(plain)
    return CampaignReport(
        name=campaign.name,
        game=campaign.game,
        status=campaign.status,
        items=len(plain),
        gold_items=gold_items,
        finalized=status[TALLY_FINALIZED],
        reviewed=sum(1 for t in live if t.reviewed_label is not None),
        in_review=status[TALLY_REVIEW],
        open=status[TALLY_OPEN],
        answers=len(answers),
        counted=len(counted),
        players=len({a.player_id for a in answers}),
        mean_confidence=round(sum(conf) / len(conf), 4) if conf else None,
        alpha=None if math.isnan(alpha) else round(alpha, 4),
        labels=dict(finals.most_common()),
        flags=_flags(standings),
        onboarding=_tutorials(standings, rules, gold_items),
        excluded_now=_excluded(standings, rules, gold_items),
        agreement=agreement,
        agreement_items=n_agree,
        accuracy=accuracy,
        accuracy_items=n_acc,
        alpha_level=level,
        mean_iou=_mean_agreement(live) if campaign.game == "locate" else None,
        attribute_alpha=attribute_alpha(campaign.options, counted) if campaign.game == ML else {},
    )


def _mean_agreement(live: Sequence[TallyRow]) -> float | None:
    done = [t.agreement for t in live if t.status == TALLY_FINALIZED and t.agreement is not None]
    return round(sum(done) / len(done), 4) if done else None


def _methods(
    live: Sequence[TallyRow],
    plain: dict[int, ItemRow],
    answers: Sequence[AnswerRow],
    names_label: Any,
) -> tuple[dict[str, float], int, dict[str, float], int]:
    labels = fit_all(method_rows(answers, names_label))
    crowd = {t.item_id: t.label for t in live if t.label is not None}
    agreement = (
        {
            m: round(sum(got.get(k) == lab for k, lab in crowd.items()) / len(crowd), 4)
            for m, got in labels.items()
        }
        if crowd
        else {}
    )
    truth = {k: v.truth for k, v in plain.items() if v.truth is not None}
    accuracy: dict[str, float] = {}
    if truth:
        labels[LIVE] = {t.item_id: t.label for t in live if t.label is not None}
        for m in [LIVE, *METHODS]:
            got = labels[m]
            accuracy[m] = round(sum(got.get(k) == v for k, v in truth.items()) / len(truth), 4)
    return agreement, len(crowd), accuracy, len(truth)


def _tutorials(
    standings: Sequence[Standing], rules: QualityRules, gold_items: int
) -> dict[str, int]:
    """Players per tutorial state (none when the campaign has no gold items to teach with)."""
    if gold_items == 0:
        return {}
    return dict(Counter(effective_onboarding(s, rules, gold_items) for s in standings))


def _flags(standings: Sequence[Standing]) -> dict[str, FlagCount]:
    players: Counter[str] = Counter()
    answers: Counter[str] = Counter()
    for s in standings:
        for flag, n in shown_flags(s.flags).items():
            if n > 0:
                players[flag] += 1
                answers[flag] += n
    return {f: FlagCount(players[f], answers[f]) for f in sorted(players)}


def _excluded(
    standings: Sequence[Standing], rules: QualityRules, gold_items: int
) -> dict[str, int]:
    """Players whose answers do not count right now, by reason."""
    failed = sum(1 for s in standings if effective_onboarding(s, rules, gold_items) == FAILED)
    low = sum(
        1
        for s in standings
        if s.gold_answered >= rules.gold_floor_min_answers
        and s.gold_right / s.gold_answered < rules.gold_accuracy_floor
    )
    return {k: v for k, v in (("onboarding_failed", failed), ("low_gold_accuracy", low)) if v}


def _pct(x: float) -> str:
    return f"{x:.1%}"


def format_report(r: CampaignReport) -> str:
    """The report as plain text (chat and terminal)."""
    lines = [
        f"📊 Quality report · {r.name} ({r.game}, {r.status})",
        f"Items: {r.items} (+{r.gold_items} gold) · finalized {r.finalized + r.reviewed} "
        f"({_pct(r.finalized_share)}, {r.reviewed} by a moderator) · in review {r.in_review} "
        f"· open {r.open}",
        f"Answers: {r.answers} from {r.players} players, {r.counted} counted",
        "Mean confidence (finalized): "
        + ("–" if r.mean_confidence is None else f"{r.mean_confidence:.3f}"),
        f"Agreement, Krippendorff's α ({r.alpha_level}): "
        + ("– (not enough overlapping answers)" if r.alpha is None else f"{r.alpha:.3f}"),
        "Labels: " + (" · ".join(f"{k} {v}" for k, v in r.labels.items()) or "none yet"),
    ]
    if r.game == "locate":
        iou = "–" if r.mean_iou is None else f"{r.mean_iou:.3f}"
        lines[4] = f"Agreement, mean IoU of the players' marks to the merged ones: {iou}"
    if r.attribute_alpha:
        lines.append(format_line(r.attribute_alpha))
    if r.flags:
        lines.append("Set aside (players / answers):")
        lines += [
            f"  {FLAG_NAMES.get(f, f)}: {c.players} / {c.answers}" for f, c in r.flags.items()
        ]
    else:
        lines.append("Set aside: nothing")
    if r.excluded_now:
        lines.append(
            "Excluded now: "
            + ", ".join(
                f"{n} player{'' if n == 1 else 's'} ({FLAG_NAMES.get(k, k)})"
                for k, n in r.excluded_now.items()
            )
        )
    if r.onboarding:
        lines.append("Tutorial: " + ", ".join(f"{k} {v}" for k, v in sorted(r.onboarding.items())))
    if r.agreement:
        lines.append(f"Batch methods agreeing with the live labels ({r.agreement_items} items):")
        lines.append("  " + " · ".join(f"{m} {_pct(v)}" for m, v in r.agreement.items()))
    if r.accuracy:
        lines.append(f"Accuracy against the reference answers ({r.accuracy_items} items):")
        lines.append("  " + " · ".join(f"{m} {_pct(v)}" for m, v in r.accuracy.items()))
    return "\n".join(lines)
