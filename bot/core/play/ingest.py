"""Group commit: answers that arrive together share one transaction.

`GroupCommit` queues requests; one runner task takes everything queued (up to `max_batch`)
and processes it as one batch while new requests queue behind it, so batches grow with the
load and no request waits for a timer. Each caller's future resolves only after its batch
has committed: an answer acknowledged to a player is on disk.

`AnswerProcessor.process` is the batch itself, in one transaction: re-check the rounds are
open, drop duplicates (the unique constraint is the last line of defence), apply the quality
rules to each answer in arrival order, insert the answers, update the live tallies, settle
consensus points for items that just got finalized, and write ledger and stats. On SQLite the
writes are queued on the writer thread without waiting (`storage.batch.Pipe`): the engine
computes the rest of the batch meanwhile, every read still sees the writes before it, and the
batch waits for all of them before it commits (or, failing, before it rolls back).

`GroupCommit.busy_s` and `waited_s` say where the latency goes: a request waits in the queue
for the batch being committed, then for its own batch.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar, cast

from bot.core.play import tally
from bot.core.play.quality import SPAM_FLAGS, QualityRules, assess, reliability
from bot.core.play.tally import Counts
from bot.core.rewards import (
    LedgerEntry,
    PointsRules,
    points_for_gold,
    points_for_stored_answer,
    settle_on_finalize,
)
from bot.core.rewards.book import RewardBook, RewardsHook
from bot.games.base import Game
from storage.batch import AnswerTx, StatsDelta, TallyUpdate
from storage.rows import (
    TALLY_FINALIZED,
    TALLY_OPEN,
    CampaignRow,
    ItemRow,
    NewAnswer,
    NewLedgerEntry,
    RoundRow,
    Standing,
    TallyRow,
)

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")


class GroupCommit(Generic[T, R]):
    """Batch concurrent requests into one call of `process` (see module docstring)."""

    def __init__(self, process: Callable[[list[T]], Awaitable[list[R]]], max_batch: int) -> None:
        self._process = process
        self._max = max_batch
        self._queue: list[tuple[T, asyncio.Future[R], float]] = []
        self._wake = asyncio.Event()
        self._runner: asyncio.Task[None] | None = None
        self._idle = asyncio.Event()
        self._idle.set()
        self._closed = False
        self.batches = 0
        self.items = 0
        self.busy_s = 0.0
        """Seconds spent processing batches; with `waited_s` (seconds requests spent queued,
        summed over requests) it says where the latency goes: queueing or committing."""
        self.waited_s = 0.0

    async def submit(self, request: T) -> R:
        if self._closed:
            raise RuntimeError("the answer queue is closed (shutting down)")
        fut: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._queue.append((request, fut, time.perf_counter()))
        self._idle.clear()
        if self._runner is None or self._runner.done():
            self._runner = asyncio.create_task(self._run(), name="group-commit")
        self._wake.set()
        # a caller cancelled while waiting cancels only its future: the request is still
        # processed with its batch, whose runner skips futures that are done
        return await fut

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._queue:
                batch, self._queue = self._queue[: self._max], self._queue[self._max :]
                await self._commit(batch)
            self._idle.set()

    async def _commit(self, batch: list[tuple[T, asyncio.Future[R], float]]) -> None:
        self.batches += 1
        self.items += len(batch)
        start = time.perf_counter()
        self.waited_s += sum(start - queued_at for _, _, queued_at in batch)
        try:
            results = await self._process([req for req, _, _ in batch])
        except Exception as exc:
            log.exception("a batch of %d answers failed and was rolled back", len(batch))
            for _, fut, _ in batch:
                if not fut.done():
                    fut.set_exception(exc)
            return
        finally:
            self.busy_s += time.perf_counter() - start
        for (_, fut, _), res in zip(batch, results, strict=True):
            if not fut.done():
                fut.set_result(res)

    async def close(self) -> None:
        """Refuse new requests, commit everything queued, stop the runner."""
        self._closed = True
        if self._queue:
            self._wake.set()
            await self._idle.wait()
        if self._runner is not None:
            self._runner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._runner
            self._runner = None


@dataclass(slots=True)
class AnswerRequest:
    """One answer for the batch (read-only by convention: not frozen, as a frozen
    dataclass of this width costs more to build than the rest of its submission)."""

    player_id: int
    round: RoundRow
    campaign: CampaignRow
    item: ItemRow
    label: str
    platform: str
    created_at: float
    latency_ms: int | None
    community_id: int | None
    gold_items: int
    extra: dict[str, Any] = field(default_factory=dict)
    bonus: tuple[LedgerEntry, ...] = ()
    """Points decided by the game at answer time (quick-draw guess points); paid unless the
    answer is flagged as spam."""


@dataclass(frozen=True, slots=True)
class AnswerOutcome:
    """What happened to one answer. `status`: stored, duplicate or closed."""

    status: str
    answer_id: int | None = None
    entries: tuple[LedgerEntry, ...] = ()
    flag: str | None = None
    correct: bool | None = None
    onboarding_event: str | None = None
    finalized: bool = False
    label: str | None = None

    @property
    def points(self) -> int:
        return sum(e.points for e in self.entries)


@dataclass(slots=True)
class _ItemWork:
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


class AnswerProcessor:
    def __init__(
        self,
        store: Any,
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
            hit = tuple(points_for_stored_answer(
                self.points, campaign_multiplier=multiplier, streak_days=streak, flagged=spam
            ))  # fmt: skip
            self._paid[key] = hit
        return hit

    async def process(self, reqs: list[AnswerRequest]) -> list[AnswerOutcome]:
        outcomes: list[AnswerOutcome | None] = [None] * len(reqs)
        events: list[object] = []
        async with self.store.answer_batch() as tx:
            tx.pipeline()
            try:
                live = await self._screen(tx, reqs, outcomes)
                if live:
                    events = await self._store(tx, reqs, live, outcomes)
            except BaseException:
                await tx.settle()  # queued writes finish before the rollback
                raise
            await tx.drain()
        if events and self.rewards is not None:
            self.rewards.publish(events)  # level-ups and badges, once they are on disk
        return [o if o is not None else AnswerOutcome("closed") for o in outcomes]

    async def _screen(
        self, tx: AnswerTx, reqs: Sequence[AnswerRequest], out: list[AnswerOutcome | None]
    ) -> list[int]:
        """Indexes of requests to store: round still open, not answered before."""
        status = await tx.round_status([r.round.id for r in reqs])
        keys = [(r.campaign.id, r.item.id, r.player_id) for r in reqs]
        seen = await tx.existing_answers(keys)
        live: list[int] = []
        for i, r in enumerate(reqs):
            if status.get(r.round.id) != "open":
                out[i] = AnswerOutcome("closed")
            elif keys[i] in seen:
                out[i] = AnswerOutcome("duplicate")
            else:
                seen.add(keys[i])
                live.append(i)
        return live

    async def _store(
        self,
        tx: AnswerTx,
        reqs: Sequence[AnswerRequest],
        live: list[int],
        out: list[AnswerOutcome | None],
    ) -> list[object]:
        now = max(reqs[i].created_at for i in live)
        book = None
        keys = [(reqs[i].player_id, reqs[i].campaign.id) for i in live]
        if self.rewards is not None and tx.pipelined:
            # SQLite: both reads are handed to the writer thread at once, so it runs the
            # second while the engine reads the rows of the first
            both = await asyncio.gather(
                self.rewards.open(tx, [reqs[i] for i in live]),
                tx.load_standings(keys),
                return_exceptions=True,  # both end before a failure rolls the batch back
            )
            for result in both:
                if isinstance(result, BaseException):
                    raise result
            book, standings = cast(tuple[RewardBook, dict[tuple[int, int], Standing]], both)
        else:
            if self.rewards is not None:
                book = await self.rewards.open(tx, [reqs[i] for i in live])
            standings = await tx.load_standings(keys)
        if book is not None:
            book.note_standings(standings)
        rows: list[NewAnswer] = []
        assessed: list[tuple[int, str | None, bool, bool | None, float, str | None]] = []
        for i in live:
            r = reqs[i]
            key = (r.player_id, r.campaign.id)
            st = standings[key]
            is_gold = r.item.gold is not None
            correct = self.games[r.campaign.game].is_correct(r.item, r.label) if is_gold else None
            q = reliability(st, self.quality)
            a = assess(
                st, label=r.label, is_gold=is_gold, correct=correct, latency_ms=r.latency_ms,
                now=r.created_at, rules=self.quality, gold_items=r.gold_items,
            )  # fmt: skip
            standings[key] = a.standing
            assessed.append((i, a.flag, a.counts, correct, q, a.onboarding_event))
            rows.append(
                NewAnswer(
                    r.campaign.id, r.item.id, r.player_id, r.round.id, r.label, r.platform,
                    r.latency_ms, r.created_at, is_gold, correct, q, a.flag, r.extra,
                )
            )  # fmt: skip
        ids = await tx.insert_answers(rows)
        items = await self._update_tallies(tx, reqs, assessed, ids)
        entries, deltas = self._immediate_points(reqs, assessed, ids, out, items, book)
        await self._settle(tx, items, reqs, entries, deltas, now, book)
        if book is not None:
            await book.adopt_credited(deltas)  # before the totals move (see its docstring)
            await book.start_boards(entries)  # SQLite: the rollup is written meanwhile
        solo = [reqs[i].round.id for (i, *_), aid in zip(assessed, ids, strict=True)
                if aid is not None and reqs[i].round.mode == "solo"]  # fmt: skip
        await tx.finish_solo_rounds(solo, now)
        await tx.save_tallies([_update(w) for w in items.values() if w.changed])
        await tx.add_ledger(entries)
        await tx.bump_stats(list(deltas.values()))
        await tx.save_standings(list(standings.values()), now)
        return [] if book is None else await book.finish(entries, deltas, now)

    async def _update_tallies(
        self,
        tx: AnswerTx,
        reqs: Sequence[AnswerRequest],
        assessed: list[tuple[int, str | None, bool, bool | None, float, str | None]],
        ids: list[int | None],
    ) -> dict[tuple[int, int], _ItemWork]:
        keys = []
        for (i, _flag, counts, *_), aid in zip(assessed, ids, strict=True):
            r = reqs[i]
            if aid is not None and (counts or r.round.mode == "solo") and r.item.gold is None:
                keys.append((r.campaign.id, r.item.id))
        loaded = await tx.load_tallies(keys)
        items = {
            k: _ItemWork(
                t, {lab: list(v) for lab, v in t.counts.items()}, t.n_answers,
                _loaded_status=t.status,
            )
            for k, t in loaded.items()
        }  # fmt: skip
        for (i, _flag, counts, _c, q, _e), aid in zip(assessed, ids, strict=True):
            r = reqs[i]
            w = items.get((r.campaign.id, r.item.id))
            if aid is None or w is None:
                continue
            if r.round.mode == "solo":
                w.release += 1
                w.changed = True
            if counts:
                game = self.games[r.campaign.game]
                evidence = r.label in game.evidence_options(r.campaign, r.item) or game.free_text
                tally.add_vote(w.counts, r.label, q, evidence=evidence)
                w.n += 1
                w.changed = True
        by_key = {(reqs[i].campaign.id, reqs[i].item.id): reqs[i] for i, *_ in assessed}
        for key, w in items.items():
            if w.changed and w.tally.status == TALLY_OPEN:
                r = by_key[key]
                options = self.games[r.campaign.game].evidence_options(r.campaign, r.item)
                s = tally.summarize(
                    w.counts, options, w.n, min_overlap=r.campaign.min_overlap,
                    max_overlap=r.campaign.max_overlap, threshold=r.campaign.confidence,
                )  # fmt: skip
                w.tally = _with_summary(w.tally, s, r.created_at)
        return items

    def _immediate_points(
        self,
        reqs: Sequence[AnswerRequest],
        assessed: list[tuple[int, str | None, bool, bool | None, float, str | None]],
        ids: list[int | None],
        out: list[AnswerOutcome | None],
        items: dict[tuple[int, int], _ItemWork],
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
                NewLedgerEntry(r.player_id, r.created_at, e.points, e.kind.value, e.reason, aid,
                               r.campaign.id, r.community_id)
                for e in got
            ]  # fmt: skip
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
        tx: AnswerTx,
        items: dict[tuple[int, int], _ItemWork],
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
        communities = {(r.campaign.id, r.item.id): r.community_id for r in reqs}
        answers = await tx.answers_for(list(done))
        for key, w in done.items():
            camp = campaigns[key[0]]
            for a in answers.get(key, []):
                if a.flag is not None or a.is_gold:
                    continue
                match = a.label == w.tally.label
                got = settle_on_finalize(
                    self.points, matches=match, confidence=w.tally.confidence or 0.0,
                    campaign_multiplier=camp.reward_multiplier,
                )  # fmt: skip
                entries += [
                    NewLedgerEntry(a.player_id, now, e.points, e.kind.value, e.reason, a.id,
                                   camp.id, communities.get(key))
                    for e in got
                ]  # fmt: skip
                d = deltas.setdefault(a.player_id, StatsDelta(a.player_id))
                d.points += sum(e.points for e in got)
                d.settled += 1
                d.agreed += match
                if book is not None:
                    book.on_settled(a.player_id, match)


def _with_summary(t: TallyRow, s: tally.Summary, now: float) -> TallyRow:
    finalized_at = now if s.status == TALLY_FINALIZED else None
    return replace(
        t, label=s.label, confidence=s.confidence, agreement=s.agreement, status=s.status,
        finalized_at=finalized_at,
    )  # fmt: skip


def _update(w: _ItemWork) -> TallyUpdate:
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
