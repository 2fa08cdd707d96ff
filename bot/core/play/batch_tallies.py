"""The live tallies inside the answer batch: votes added, consensus summarized."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.core.play import combine, tally
from bot.core.play.answer_types import AnswerRequest, Assessed
from bot.core.play.tally import Counts
from bot.games.base import Game
from storage import TALLY_FINALIZED, TALLY_OPEN, AnswerUnit, TallyRow, TallyUpdate


@dataclass(slots=True)
class ItemWork:
    tally: TallyRow
    counts: Counts
    n: int
    release: int = 0
    changed: bool = False

    @property
    def just_finalized(self) -> bool:
        """Finalized by this batch (it was open when the batch loaded it)."""
        return self.changed and self.tally.status == TALLY_FINALIZED and self.was_open

    @property
    def was_open(self) -> bool:
        return self.tally.reviewed_label is None and self._loaded_status == TALLY_OPEN

    _loaded_status: str = TALLY_OPEN


async def update_tallies(
    games: dict[str, Game],
    tx: AnswerUnit,
    reqs: Sequence[AnswerRequest],
    assessed: list[Assessed],
    ids: list[int | None],
) -> dict[tuple[int, int], ItemWork]:
    """Add the batch's counted votes to the tallies of their items and summarize each
    changed open tally (solo answers also release their reservation)."""
    keys = []
    for (i, _flag, counts, *_), aid in zip(assessed, ids, strict=True):
        r = reqs[i]
        if aid is not None and (counts or r.round.mode == "solo") and r.item.gold is None:
            keys.append((r.campaign.id, r.item.id))
    loaded = await tx.load_tallies(keys)
    items = {
        k: ItemWork(
            t,
            {lab: list(v) for lab, v in t.counts.items()},
            t.n_answers,
            _loaded_status=t.status,
        )
        for k, t in loaded.items()
    }
    for (i, _flag, counts, _c, q, _e), aid in zip(assessed, ids, strict=True):
        r = reqs[i]
        w = items.get((r.campaign.id, r.item.id))
        if aid is None or w is None:
            continue
        if r.round.mode == "solo":
            w.release += 1
            w.changed = True
        if counts:
            game = games[r.campaign.game]
            evidence = combine.is_evidence(game, r.campaign, r.item, r.label)
            tally.add_vote(w.counts, r.label, q, evidence=evidence)
            w.n += 1
            w.changed = True
    by_key = {(reqs[i].campaign.id, reqs[i].item.id): reqs[i] for i, *_ in assessed}
    for key, w in items.items():
        if w.changed and w.tally.status == TALLY_OPEN:
            r = by_key[key]
            game = games[r.campaign.game]
            s = combine.summarize_item(
                game, r.campaign, r.item, w.counts, w.n,
                r.campaign.max_overlap + w.tally.extra_overlap,
            )  # fmt: skip
            w.tally = with_summary(w.tally, s, r.created_at)
    return items


def with_summary(t: TallyRow, s: tally.Summary, now: float) -> TallyRow:
    finalized_at = now if s.status == TALLY_FINALIZED else None
    return replace(
        t,
        label=s.label,
        confidence=s.confidence,
        agreement=s.agreement,
        status=s.status,
        finalized_at=finalized_at,
    )


def tally_update(w: ItemWork) -> TallyUpdate:
    t = w.tally
    return TallyUpdate(
        t.campaign_id,
        t.item_id,
        w.n,
        w.counts,
        t.label,
        t.confidence,
        t.agreement,
        t.status,
        t.finalized_at,
        w.release,
    )
