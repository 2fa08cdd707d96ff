"""The answer batch: many players' answers in one transaction (see `GroupCommit`).

`AnswerProcessor.process` is the batch itself, in one unit of work (`storage.AnswerUnit`):
re-check the rounds are open, drop duplicates (the unique constraint is the last line of
defence), apply the quality rules to each answer in arrival order, insert the answers,
update the live tallies, settle consensus points for items that just got finalized, and hand
what it computed (ledger, stats, tallies, standings) to the store as plain data. With a
rewards hook the book writes it (`RewardBook.finish`, which fixes the order of the steps);
the store decides how the statements run and commits once all have ended.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.core.play.answer_types import AnswerOutcome, AnswerRequest, Assessed
from bot.core.play.batch_tallies import ItemWork, tally_update, update_tallies
from bot.core.play.group_commit import GroupCommit
from bot.core.play.quality import SPAM_FLAGS, QualityRules, assess, reliability
from bot.core.rewards import (
    LedgerEntry,
    PointsRules,
    RewardBook,
    RewardsHook,
    points_for_gold,
    points_for_stored_answer,
    settle_on_finalize,
)
from bot.games.base import Game, gold_verdict
from storage import (
    AnswerUnit,
    AnswerWrites,
    NewAnswer,
    NewLedgerEntry,
    Standing,
    StatsDelta,
    Store,
)

__all__ = ["AnswerOutcome", "AnswerProcessor", "AnswerRequest", "GroupCommit"]

log = logging.getLogger(__name__)


class AnswerProcessor:
    def __init__(
        self,
        store: Store,
        games: dict[str, Game],
        quality: QualityRules,
        points: PointsRules,
    ) -> None:
        self.store = store
        self.games = games
        self.quality = quality
        self.points = points
        self.rewards: RewardsHook | None = None
        """Streaks, levels, badges and board rollups (set by the rewards use cases)."""
        self._paid: dict[tuple[float, int, str | None], tuple[LedgerEntry, ...]] = {}
        self._paid_rules: PointsRules | None = None

    def _stored_answer_points(
        self, multiplier: float, streak: int, spam: str | None
    ) -> tuple[LedgerEntry, ...]:
        """`points_for_stored_answer` under `self.points`, remembered per (multiplier,
        streak, spam flag): its entries are immutable and few combinations occur."""
        if self._paid_rules is not self.points or len(self._paid) >= 4096:
            self._paid, self._paid_rules = {}, self.points
        key = (multiplier, streak, spam)
        hit = self._paid.get(key)
        if hit is None:
            hit = tuple(
                points_for_stored_answer(
                    self.points, campaign_multiplier=multiplier, streak_days=streak, flagged=spam
                )
            )
            self._paid[key] = hit
        return hit

    async def process(self, reqs: list[AnswerRequest]) -> list[AnswerOutcome]:
        outcomes: list[AnswerOutcome | None] = [None] * len(reqs)
        events: list[object] = []
        async with self.store.answer_batch() as tx:
            live = await self._screen(tx, reqs, outcomes)
            if live:
                events = await self._store(tx, reqs, live, outcomes)
        if events and self.rewards is not None:
            self.rewards.publish(events)  # level-ups and badges, once they are on disk
        return [o if o is not None else AnswerOutcome("closed") for o in outcomes]

    async def _screen(
        self, tx: AnswerUnit, reqs: Sequence[AnswerRequest], out: list[AnswerOutcome | None]
    ) -> list[int]:
        """Indexes of requests to store: round still open and its campaign active, as the
        database says inside this transaction (rows share-locked on PostgreSQL), not
        answered before."""
        status = await tx.round_status([r.round.id for r in reqs])
        keys = [(r.campaign.id, r.item.id, r.player_id) for r in reqs]
        seen = await tx.existing_answers(keys)
        live: list[int] = []
        for i, r in enumerate(reqs):
            if status.get(r.round.id) == "inactive":  # paused or ended in any process
                out[i] = AnswerOutcome("inactive")
            elif status.get(r.round.id) != "open":
                out[i] = AnswerOutcome("closed")
            elif keys[i] in seen:
                out[i] = AnswerOutcome("duplicate")
            else:
                seen.add(keys[i])
                live.append(i)
        return live

    async def _store(
        self,
        tx: AnswerUnit,
        reqs: Sequence[AnswerRequest],
        live: list[int],
        out: list[AnswerOutcome | None],
    ) -> list[object]:
        now = max(reqs[i].created_at for i in live)
        keys = [(reqs[i].player_id, reqs[i].campaign.id) for i in live]
        pids = {reqs[i].player_id for i in live} if self.rewards is not None else set()
        snaps, standings = await tx.load_players(pids, keys)
        book = None
        if self.rewards is not None:
            book = self.rewards.book(tx, snaps)
            book.note_standings(standings)
        assessed, rows = self._assess(reqs, live, standings)
        ids = await tx.insert_answers(rows)
        items = await update_tallies(self.games, tx, reqs, assessed, ids)
        entries, deltas = self._immediate_points(reqs, assessed, ids, out, items, book)
        await self._settle(tx, items, reqs, entries, deltas, now, book)
        solo = [
            reqs[i].round.id
            for (i, *_), aid in zip(assessed, ids, strict=True)
            if aid is not None and reqs[i].round.mode == "solo"
        ]
        writes = AnswerWrites(
            now,
            solo_rounds=solo,
            tallies=[tally_update(w) for w in items.values() if w.changed],
            ledger=entries,
            stats=list(deltas.values()),
            standings=list(standings.values()),
        )
        if book is None:
            await tx.write_answers(writes)
            return []
        return await book.finish(writes)

    def _assess(
        self,
        reqs: Sequence[AnswerRequest],
        live: list[int],
        standings: dict[tuple[int, int], Standing],
    ) -> tuple[list[Assessed], list[NewAnswer]]:
        """The quality rules over each live answer in arrival order (standings updated in
        place), and the answer rows to insert."""
        rows: list[NewAnswer] = []
        assessed: list[Assessed] = []
        for i in live:
            r = reqs[i]
            key = (r.player_id, r.campaign.id)
            st = standings[key]
            is_gold = r.item.gold is not None
            game = self.games[r.campaign.game]
            correct = gold_verdict(game, r.campaign, r.item, r.label) if is_gold else None
            q = reliability(st, self.quality)
            a = assess(
                st,
                label=r.label,
                is_gold=is_gold,
                correct=correct,
                latency_ms=r.latency_ms,
                now=r.created_at,
                rules=self.quality,
                gold_items=r.gold_items,
            )
            standings[key] = a.standing
            assessed.append((i, a.flag, a.counts, correct, q, a.onboarding_event))
            rows.append(
                NewAnswer(
                    r.campaign.id,
                    r.item.id,
                    r.player_id,
                    r.round.id,
                    r.label,
                    r.platform,
                    r.latency_ms,
                    r.created_at,
                    is_gold,
                    correct,
                    q,
                    a.flag,
                    r.extra,
                    r.community_id,
                )
            )
        return assessed, rows

    def _immediate_points(
        self,
        reqs: Sequence[AnswerRequest],
        assessed: list[Assessed],
        ids: list[int | None],
        out: list[AnswerOutcome | None],
        items: dict[tuple[int, int], ItemWork],
        book: RewardBook | None = None,
    ) -> tuple[list[NewLedgerEntry], dict[int, StatsDelta]]:
        entries: list[NewLedgerEntry] = []
        deltas: dict[int, StatsDelta] = {}
        for (i, flag, _counts, correct, _q, event), aid in zip(assessed, ids, strict=True):
            r = reqs[i]
            if aid is None:
                out[i] = AnswerOutcome("duplicate")
                continue
            spam = flag if flag in SPAM_FLAGS else None
            mult = r.campaign.reward_multiplier
            streak = 0 if book is None else book.on_answer(r, spam, correct)
            got = list(self._stored_answer_points(mult, streak, spam))
            if correct is not None:
                got += points_for_gold(
                    self.points, correct=correct, campaign_multiplier=mult, flagged=spam
                )
            if spam is None:
                got += r.bonus
            d = deltas.get(r.player_id)
            if d is None:
                d = deltas[r.player_id] = StatsDelta(r.player_id)
            d.answers += 1
            d.points += sum(e.points for e in got)
            d.gold_answered += correct is not None
            d.gold_right += bool(correct)
            d.last_answer_at = max(d.last_answer_at or 0.0, r.created_at)
            entries += [
                NewLedgerEntry(
                    r.player_id,
                    r.created_at,
                    e.points,
                    e.kind.value,
                    e.reason,
                    aid,
                    r.campaign.id,
                    r.community_id,
                )
                for e in got
            ]
            w = items.get((r.campaign.id, r.item.id))
            finalized = w is not None and w.just_finalized
            out[i] = AnswerOutcome(
                "stored",
                aid,
                tuple(got),
                flag,
                correct,
                event,
                finalized,
                None if w is None else w.tally.label,
            )
        return entries, deltas

    async def _settle(
        self,
        tx: AnswerUnit,
        items: dict[tuple[int, int], ItemWork],
        reqs: Sequence[AnswerRequest],
        entries: list[NewLedgerEntry],
        deltas: dict[int, StatsDelta],
        now: float,
        book: RewardBook | None = None,
    ) -> None:
        """Consensus points for every counted answer of each item finalized in this batch."""
        done = {k: w for k, w in items.items() if w.just_finalized}
        if not done:
            return
        campaigns = {r.campaign.id: r.campaign for r in reqs}
        typed = {(r.campaign.id, r.item.id): self._typed(r) for r in reqs}
        answers = await tx.answers_for(list(done))
        for key, w in done.items():
            camp = campaigns[key[0]]
            for a in answers.get(key, []):
                if a.flag is not None or a.is_gold:
                    continue
                match = a.label == w.tally.label
                got = settle_on_finalize(
                    self.points,
                    matches=match,
                    confidence=w.tally.confidence or 0.0,
                    campaign_multiplier=camp.reward_multiplier,
                )
                entries += [
                    NewLedgerEntry(
                        a.player_id,
                        now,
                        e.points,
                        e.kind.value,
                        e.reason,
                        a.id,
                        camp.id,
                        a.community_id,  # each answer's own community, not the finalizer's
                    )
                    for e in got
                ]
                d = deltas.setdefault(a.player_id, StatsDelta(a.player_id))
                d.points += sum(e.points for e in got)
                d.settled += 1
                d.agreed += match
                if book is not None:
                    book.on_settled(a.player_id, match, typed.get(key, False))

    def _typed(self, r: AnswerRequest) -> bool:
        """Whether answers to `r`'s item are typed (they count toward `typed_agreed`)."""
        game = self.games.get(r.campaign.game)
        return game is not None and game.takes_text(r.item)
