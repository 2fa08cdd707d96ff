"""The `translate.settle` tick job: validated candidates, compared pairs, accepted sources.

Every decision is made once by the database, whichever process ticks:

1. **Candidates.** A candidate whose tally is decided is settled once
   (`settle_contribution`): *valid* (outcome `accepted`) when its label is yes, finalized by
   the crowd or set by a moderator; *rejected* otherwise, including a candidate that reached
   its overlap without a confident verdict (the validators could not agree it is good).
   Its validation score is the tally's posterior P(yes) (`bot.core.play.tally`); 1.0 for
   a moderator's yes.
2. **Sources**, once every candidate of a source is settled:
   - none valid: while the source still takes translations (fewer than the campaign's
     overlap so far; a full source waits `open`, not in review: `decided_elsewhere`) it
     simply waits for more; once stage one is full it goes
     to **review**, where a moderator labels it;
   - one valid: it is **accepted**;
   - several valid: the top two by validation score (then by support: how many players typed
     it; then the older) are compared once in a pair item ("which is better?", A / B), which
     the authors of both sides never get; the pair's label picks the winner (the higher
     validation score when the pair itself ended undecided), which is **accepted**.
   Accepting sets the source's tally label to the translation, its confidence to the
   winner's validation score, status finalized (`decide_source`, once), and pays the winner's
   author in the same transaction (`Payer.decide_and_pay`).
"""

from __future__ import annotations

import logging
from collections import defaultdict

from bot.core.kernel.context import Kernel
from bot.core.translate.pay import Payer
from bot.core.translate.stages import KIND
from bot.games.translate import PAIR, YES, A, B, same_translation
from storage import (
    ACCEPTED,
    REJECTED,
    SOURCE_COMPARING,
    TALLY_OPEN,
    AnswerUnit,
    CampaignRow,
    ContributionRow,
    NewItem,
    TallyRow,
    TranslateSourceRow,
)

log = logging.getLogger(__name__)
GAME = "translate"
DECIDED = ("finalized", "reviewed", "review")


def verdict(t: TallyRow) -> str | None:
    """The decided label of a tally (a moderator's first), None while undecided."""
    if t.reviewed_label is not None:
        return t.reviewed_label
    return t.label if t.status in DECIDED else None


def validation_score(t: TallyRow) -> float:
    """P(yes) of a candidate's tally (1.0 when a moderator said yes)."""
    if t.reviewed_label is not None:
        return 1.0 if t.reviewed_label == YES else 0.0
    if t.label == YES and t.confidence is not None:
        return float(t.confidence)
    return 0.0 if t.label == YES or t.confidence is None else 1.0 - float(t.confidence)


class Settle:
    """The tick job; returns how many decisions it made."""

    def __init__(self, k: Kernel, payer: Payer) -> None:
        self.k = k
        self.payer = payer

    async def tick(self) -> int:
        done = await self.settle_candidates()
        for campaign in await self.k.store.list_campaigns():
            if campaign.game == GAME:
                done += await self.decide_sources(campaign)
        return done

    async def settle_candidates(self) -> int:
        n = 0
        for c, t in await self.k.store.decided_unsettled(KIND):
            outcome = ACCEPTED if t.status != "review" and verdict(t) == YES else REJECTED
            if t.reviewed_label is not None:
                outcome = ACCEPTED if t.reviewed_label == YES else REJECTED
            n += await self.k.store.settle_contribution(c.id, outcome, self.k.now()) is not None
        return n

    async def decide_sources(self, campaign: CampaignRow) -> int:
        store = self.k.store
        decided = {r.item_id: r for r in await store.translate_sources(campaign.id)}
        by_source: dict[int, list[ContributionRow]] = defaultdict(list)
        for c in await store.campaign_contributions(campaign.id, KIND):
            if c.parent_item_id is not None:
                by_source[c.parent_item_id].append(c)
        n = 0
        for source_id, candidates in by_source.items():
            row = decided.get(source_id)
            if row is None and all(c.settled_at is not None for c in candidates):
                n += await self._decide(campaign, source_id, candidates)
            elif row is not None and row.state == SOURCE_COMPARING:
                n += await self._decide_pair(campaign, row)
        return n

    async def _decide(
        self, campaign: CampaignRow, source_id: int, candidates: list[ContributionRow]
    ) -> int:
        store = self.k.store
        valid = [c for c in candidates if c.outcome == ACCEPTED]
        if not valid:
            source = await store.get_tally(campaign.id, source_id)
            if source is None or (
                source.status == TALLY_OPEN
                and source.n_answers < campaign.max_overlap + source.extra_overlap
            ):
                return 0  # stage one still takes translations
            return int(await self._accept(campaign, source_id, None, 0.0))
        ranked = await self._ranked(campaign, source_id, valid)
        if len(ranked) == 1:
            return int(await self._accept(campaign, source_id, ranked[0][1], ranked[0][0]))
        (_, first), (_, second) = ranked[0], ranked[1]
        a, b = await store.get_item(first.item_id), await store.get_item(second.item_id)
        src = await store.get_item(source_id)
        if a is None or b is None or src is None:
            return 0
        pair = NewItem(
            kind="text",
            source=f"translation-pair:{source_id}:{a.id}:{b.id}",
            text=src.text,
            meta={
                "stage": PAIR,
                "source_item_id": source_id,
                "a_item_id": a.id,
                "b_item_id": b.id,
                "a_text": a.candidate,
                "b_text": b.candidate,
            },
        )
        excluded = [first.player_id, second.player_id]
        for c in (first, second):
            excluded += await store.excluded_players(c.item_id)
        opened = await store.open_comparison(campaign.id, source_id, pair, excluded, self.k.now())
        return int(opened is not None)

    async def _ranked(
        self, campaign: CampaignRow, source_id: int, valid: list[ContributionRow]
    ) -> list[tuple[float, ContributionRow]]:
        """Valid candidates by validation score, then support, then age (best first)."""
        store = self.k.store
        answers = await store.item_answers(campaign.id, source_id)
        scored = []
        for c in valid:
            t = await store.get_tally(campaign.id, c.item_id)
            item = await store.get_item(c.item_id)
            text = "" if item is None else item.candidate or ""
            support = sum(1 for a in answers if same_translation(a.label, text))
            scored.append((0.0 if t is None else validation_score(t), support, -c.id, c))
        scored.sort(key=lambda s: (s[0], s[1], s[2]), reverse=True)
        return [(s[0], s[3]) for s in scored]

    async def _decide_pair(self, campaign: CampaignRow, row: TranslateSourceRow) -> int:
        store = self.k.store
        if row.pair_item_id is None:
            return 0
        t = await store.get_tally(campaign.id, row.pair_item_id)
        pair = await store.get_item(row.pair_item_id)
        if t is None or pair is None or t.status not in DECIDED:
            return 0
        ids = {A: int(pair.meta["a_item_id"]), B: int(pair.meta["b_item_id"])}
        scores = {}
        for key, item_id in ids.items():
            ct = await store.get_tally(campaign.id, item_id)
            scores[key] = 0.0 if ct is None else validation_score(ct)
        label = verdict(t)
        winner = label if label in ids else max(ids, key=lambda key: (scores[key], key == A))
        contribution = await store.contribution_of_item(ids[winner])
        if contribution is None:  # withdrawn by its author meanwhile
            other = B if winner == A else A
            contribution = await store.contribution_of_item(ids[other])
            winner = other
        if contribution is None:
            return int(await self._accept(campaign, row.item_id, None, 0.0))
        return int(await self._accept(campaign, row.item_id, contribution, scores[winner]))

    async def _accept(
        self,
        campaign: CampaignRow,
        source_id: int,
        winner: ContributionRow | None,
        score: float,
    ) -> bool:
        """Decide the source once: the winner's translation (None: to review)."""
        store = self.k.store
        item = None if winner is None else await store.get_item(winner.item_id)
        label = None if item is None else item.candidate
        now = self.k.now()
        if winner is None or item is None or label is None:
            won = await store.decide_source(
                campaign.id, source_id, accepted_item_id=None, label=None, score=None, now=now
            )
        else:
            accepted_id, text, value = item.id, label, round(score, 6)

            async def decide(tx: AnswerUnit) -> bool:
                return await tx.decide_source(
                    campaign.id, source_id, accepted_item_id=accepted_id, label=text,
                    score=value, now=now,
                )  # fmt: skip

            won = await self.payer.decide_and_pay(campaign, winner, decide)
        if won:
            self.k.forget_item(source_id)
        return won
