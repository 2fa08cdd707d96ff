"""Rewards inside the answer batch: streaks, counters, levels, badges and board rollups.

`RewardsHook` is attached to the `AnswerProcessor`; for each batch it opens a `RewardBook`
on the batch's transaction. The processor tells the book what happened (`on_answer` for
every stored answer, `on_settled` for every consensus settlement) and calls `finish` before
the commit. `finish` writes, with a constant number of statements per batch:

* the players' reward rows (streak, level, counters, badges held);
* streak events and badge awards;
* the leaderboard rollup (global, community and campaign boards; all time, week, day).

Rules applied here (the numbers live in `[rewards]` and `[[badges]]` of config.toml):

* A **day counts** for the streak when the player stores an answer that is not flagged as
  spam; the day boundary is the player's home community's time zone (else
  `[scheduler] timezone`). See `bot.core.rewards.streaks` for freezes and breaks.
* The **streak bonus** of an answer uses the streak length including that day.
* **Right in a row** counts answers that turned out right, in the order they were judged:
  a gold answer at once, any other when its item is finalized (matching the consensus).
* **Items finalized** counts items finalized with one of the player's (counted) answers.
* A **level-up** and each **new badge** become one private `PlayerNotice` per player and
  batch; a level-up is also posted (no ping) to the home community's announcement channel
  when `[rewards] announce_level_ups` is on. They are published after the commit.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, tzinfo
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.core.kernel.events import ChannelPost, EventBus, PlayerNotice
from bot.core.kernel.models import Reply
from bot.core.rewards import (
    BadgeDef,
    LevelCurve,
    PlayerCounters,
    PointsRules,
    StreakEventKind,
    StreakRules,
    StreakState,
    apply_activity,
    earned,
    status_at,
)
from storage.batch import AnswerTx, StatsDelta
from storage.board_math import SCOPE_CAMPAIGN, SCOPE_COMMUNITY, SCOPE_GLOBAL, PeriodClock
from storage.rewards_batch import (
    BoardDelta,
    RewardSnapshot,
    RewardsRow,
    RewardsTx,
    StreakEventRow,
)
from storage.rows import NewLedgerEntry, Standing

if TYPE_CHECKING:
    from bot.core.play.ingest import AnswerRequest

log = logging.getLogger(__name__)

NOTIFY_STREAK = {StreakEventKind.FREEZE_EARNED, StreakEventKind.FREEZE_USED,
                 StreakEventKind.BROKEN}  # fmt: skip
ZONE_TTL_S = 300.0


@dataclass(frozen=True, slots=True)
class RewardRules:
    """Everything configurable about rewards, built from `[rewards]` and `[[badges]]`."""

    points: PointsRules
    curve: LevelCurve
    streaks: StreakRules
    badges: tuple[BadgeDef, ...]
    default_tz: str = "UTC"
    announce_level_ups: bool = True


def streak_state(row: RewardsRow) -> StreakState:
    """The stored streak of a reward row as the streak rules see it."""
    last = None if row.streak_last_at is None else datetime.fromtimestamp(row.streak_last_at, UTC)
    reminded = None if not row.reminded_on else date.fromisoformat(row.reminded_on)
    return StreakState(row.streak_current, max(row.streak_best, row.streak_current), last,
                       row.freezes, row.toward_freeze, reminded)  # fmt: skip


def with_streak(row: RewardsRow, state: StreakState) -> RewardsRow:
    return replace(
        row, streak_current=state.current, streak_best=state.best,
        streak_last_at=None if state.last_at is None else state.last_at.timestamp(),
        freezes=state.freezes, toward_freeze=state.toward_freeze,
        reminded_on=None if state.reminded_on is None else state.reminded_on.isoformat(),
    )  # fmt: skip


def set_streak(row: RewardsRow, state: StreakState) -> None:
    """`with_streak` in place (the batch's own rows, see `RewardsRow`)."""
    row.streak_current, row.streak_best = state.current, state.best
    row.streak_last_at = None if state.last_at is None else state.last_at.timestamp()
    row.freezes, row.toward_freeze = state.freezes, state.toward_freeze
    row.reminded_on = None if state.reminded_on is None else state.reminded_on.isoformat()


@lru_cache(maxsize=512)
def zone_of(name: str | None, default: str) -> tzinfo:
    """The zone `name`, else `default` (unset or unknown name); remembered per pair, as
    every answer batch asks it for every player."""
    try:
        return ZoneInfo(name or default)
    except (ValueError, KeyError):
        return ZoneInfo(default)


def counters_of(snap: RewardSnapshot, row: RewardsRow, streak_days: int, level: int,
                delta: StatsDelta | None = None) -> PlayerCounters:  # fmt: skip
    """The badge counters of a player: stats (plus this batch's delta) and reward row."""
    d = delta or StatsDelta(snap.player_id)
    gold_answered = snap.gold_answered + d.gold_answered
    return PlayerCounters(
        answers=snap.answers + d.answers, gold_answered=gold_answered,
        gold_right=min(snap.gold_right + d.gold_right, gold_answered),
        streak_days=streak_days, best_streak=max(row.streak_best, streak_days),
        distinct_games=_count(row.games), first_correct_guesses=row.first_correct,
        correct_guesses=row.correct_guesses, items_finalized=row.items_finalized,
        campaigns_contributed=row.campaigns, platforms_used=_count(row.platforms),
        right_in_a_row=row.right_best, reviews_done=int(snap.counters.get("reviews_done", 0)),
        level=level, points=max(snap.points + d.points, 0),
    )  # fmt: skip


def _count(csv: str) -> int:
    return len([x for x in csv.split(",") if x])


def _has(csv: str, value: str) -> bool:
    return value in csv.split(",")


def _add(csv: str, value: str) -> str:
    items = [x for x in csv.split(",") if x]
    return csv if value in items else ",".join(sorted([*items, value]))


@dataclass
class _Player:
    snap: RewardSnapshot
    row: RewardsRow
    zone: tzinfo
    active: bool = False
    changed: bool = False
    lines: list[str] = field(default_factory=list)


class RewardsHook:
    """Rules, the bus and a small cache of community time zones; opens one book per batch."""

    def __init__(self, rules: RewardRules, bus: EventBus) -> None:
        self.rules = rules
        self.bus = bus
        self._zones: dict[int, tuple[float, str]] = {}
        self._pending: dict[str, tuple[list[str], list[BadgeDef]]] = {}
        self._pending_for: RewardRules | None = None

    def pending_badges(self, held_csv: str) -> tuple[list[str], list[BadgeDef]]:
        """The ids in a stored badge list and the badges not among them, in definition
        order (cached per list: most players hold one of a few lists)."""
        if self._pending_for is not self.rules:
            self._pending, self._pending_for = {}, self.rules
        hit = self._pending.get(held_csv)
        if hit is None:
            if len(self._pending) >= 4096:
                self._pending.clear()
            held = [x for x in held_csv.split(",") if x]
            hit = (held, [b for b in self.rules.badges if b.id not in held])
            self._pending[held_csv] = hit
        return hit

    async def open(self, tx: AnswerTx, reqs: Sequence[AnswerRequest]) -> RewardBook:
        """A book for one batch; the answering players' rows are loaded (and, on PostgreSQL,
        their player rows locked) first, before the batch locks their standings."""
        rtx = RewardsTx.of(tx)
        snaps = await rtx.load({r.player_id for r in reqs})
        return RewardBook(self, rtx, snaps)

    async def pay_outside_batch(
        self,
        tx: AnswerTx,
        entry: NewLedgerEntry,
        *,
        campaign_community: int | None,
        correct: bool = False,
        first_correct: bool = False,
    ) -> list[object]:
        """Points paid outside an answer batch (a right guess on a doodle the player had
        already answered): the ledger line, the running total, the leaderboard rollups,
        levels and badges exactly as for an answer's points, in the caller's transaction.
        `correct` / `first_correct` count the guess toward the guess badges. Returns the
        events to publish once the transaction has committed."""
        rtx = RewardsTx.of(tx)
        book = RewardBook(self, rtx, await rtx.load({entry.player_id}))
        if entry.campaign_id is not None:
            book.campaign_community[entry.campaign_id] = campaign_community
        book.count_guess(entry.player_id, correct=correct, first_correct=first_correct)
        delta = StatsDelta(entry.player_id, points=entry.points)
        await tx.add_ledger([entry])
        await tx.bump_stats([delta])
        return await book.finish([entry], {entry.player_id: delta}, entry.created_at)

    def publish(self, events: Sequence[object]) -> None:
        for event in events:
            self.bus.publish(event)

    async def zones(self, rtx: RewardsTx, community_ids: set[int]) -> dict[int, tzinfo]:
        now = time.monotonic()
        stale = [c for c in community_ids if now - self._zones.get(c, (-1e9, ""))[0] > ZONE_TTL_S]
        if stale:
            for cid, tz in (await rtx.community_zones(stale)).items():
                self._zones[cid] = (now, tz)
        default = self.rules.default_tz
        return {c: zone_of(self._zones.get(c, (0.0, default))[1], default) for c in community_ids}


class RewardBook:
    """One batch's reward work (see the module docstring)."""

    def __init__(
        self,
        hook: RewardsHook,
        rtx: RewardsTx,
        snaps: dict[int, RewardSnapshot],
    ) -> None:
        self.hook = hook
        self.rules = hook.rules
        self.rtx = rtx
        self.players: dict[int, _Player] = {}
        self.prior: dict[tuple[int, int], int] = {}
        self.clock = PeriodClock()
        self.streak_rows: list[StreakEventRow] = []
        self.resolved: list[tuple[int, bool, bool]] = []
        self.campaign_community: dict[int, int | None] = {}
        self._boards: asyncio.Future[None] | list[BoardDelta] | None = None
        for snap in snaps.values():
            self._adopt(snap)

    def _adopt(self, snap: RewardSnapshot) -> _Player:
        zone = zone_of(snap.timezone, self.rules.default_tz)
        p = _Player(snap, snap.rewards, zone, changed=not snap.stored)
        self.players[snap.player_id] = p
        return p

    # during the batch --------------------------------------------------------------------

    def note_standings(self, standings: dict[tuple[int, int], Standing]) -> None:
        """Answers per (player, campaign) before this batch: 0 marks a first contribution."""
        self.prior = {key: st.answers for key, st in standings.items()}

    def on_answer(self, r: AnswerRequest, spam: str | None, correct: bool | None) -> int:
        """A stored answer: update the counters; returns the streak length for its bonus."""
        p = self.players.get(r.player_id)
        if p is None:  # the player was deleted while answering: the insert will fail anyway
            return 0
        self.campaign_community[r.campaign.id] = r.campaign.community_id
        row = p.row  # the batch's own row: updated in place
        if not _has(row.platforms, r.platform):
            row.platforms, p.changed = _add(row.platforms, r.platform), True
        if not _has(row.games, r.campaign.game):
            row.games, p.changed = _add(row.games, r.campaign.game), True
        key = (r.player_id, r.campaign.id)
        if self.prior.get(key, 1) == 0:
            self.prior[key] = 1
            row.campaigns, p.changed = row.campaigns + 1, True
        extra = r.extra
        if extra:
            _count_guess(p, bool(extra.get("correct")), bool(extra.get("first_correct")))
        if correct is not None:
            self.resolved.append((r.player_id, correct, False))
        if spam is not None:
            return 0
        return self._activity(p, r.created_at)

    def count_guess(self, player_id: int, *, correct: bool, first_correct: bool) -> None:
        """A right doodle guess that was not the player's answer (see `pay_outside_batch`)."""
        p = self.players.get(player_id)
        if p is not None:
            _count_guess(p, correct, first_correct)

    def on_settled(self, player_id: int, match: bool) -> None:
        """An answer of `player_id` was settled against its finalized item's consensus."""
        self.resolved.append((player_id, match, True))

    def _activity(self, p: _Player, at: float) -> int:
        p.active = True
        row = p.row
        if row.streak_current > 0 and row.streak_last_at is not None:
            _, last_day = self.clock.keys(row.streak_last_at, p.zone)
            _, today = self.clock.keys(at, p.zone)
            if today == last_day or at < row.streak_last_at:
                return row.streak_current  # today counted already: nothing changes
        state, events = apply_activity(streak_state(row), datetime.fromtimestamp(at, UTC),
                                       p.zone, self.rules.streaks)  # fmt: skip
        set_streak(row, state)
        p.changed = True
        for e in events:
            day = e.day.isoformat()
            row_event = StreakEventRow(p.snap.player_id, at, day, e.kind.value, e.streak, e.text)
            self.streak_rows.append(row_event)
            if e.kind in NOTIFY_STREAK:
                p.lines.append(f"🔥 Streak: {e.text}")
        return state.current

    # at the end of the batch -------------------------------------------------------------

    async def adopt_credited(self, deltas: dict[int, StatsDelta]) -> None:
        """Load the players this batch credits without their answering in it (a consensus
        bonus settled by someone else's answer). Call it BEFORE the batch adds `deltas` to
        the stored totals: the level and badge rules add the deltas to the snapshot, so a
        snapshot read afterwards would count this batch's points twice."""
        missing = ({*deltas} | {pid for pid, *_ in self.resolved}) - set(self.players)
        if missing:
            for snap in (await self.rtx.load(missing)).values():
                self._adopt(snap)

    async def start_boards(self, entries: Sequence[NewLedgerEntry]) -> None:
        """Work out the leaderboard rollup of `entries` (every ledger entry of the batch;
        call it after `adopt_credited`). On SQLite its upsert starts at once and runs on the
        writer thread while the batch computes the rest; on PostgreSQL it runs in `finish`,
        as the last write. Either way `finish` waits for it."""
        deltas = await self._board_deltas(entries)
        self._boards = self.rtx.board_points_behind(deltas) if self.rtx.pipelined else deltas

    async def finish(
        self, entries: Sequence[NewLedgerEntry], deltas: dict[int, StatsDelta], now: float
    ) -> list[object]:
        """Write everything; returns the events to publish once the batch has committed.
        `adopt_credited` must have run before the batch bumped the players' totals;
        `start_boards(entries)` runs here unless the caller started it already."""
        await self.adopt_credited(deltas)
        if self._boards is None:
            await self.start_boards(entries)
        self._apply_resolutions()
        awards: list[tuple[int, str, float]] = []
        events: list[object] = []
        for pid, p in self.players.items():
            awards += self._level_and_badges(p, deltas.get(pid), now)
            events += self._notices(p)
        await self.rtx.save([p.row for p in self.players.values() if p.changed], now)
        await self.rtx.add_streak_events(self.streak_rows)
        await self.rtx.award(awards)
        boards, self._boards = self._boards, None
        if isinstance(boards, list):
            await self.rtx.add_board_points(boards)
        elif boards is not None:
            await boards
        return events

    def _apply_resolutions(self) -> None:
        for pid, right, settled in self.resolved:
            p = self.players.get(pid)
            if p is None:
                continue
            row = p.row
            run = row.right_run + 1 if right else 0
            row.right_run, row.right_best = run, max(row.right_best, run)
            row.items_finalized += settled
            p.changed = True

    def _level_and_badges(
        self, p: _Player, delta: StatsDelta | None, now: float
    ) -> list[tuple[int, str, float]]:
        points = p.snap.points + (delta.points if delta else 0)
        level = self.rules.curve.level_number(points)
        row = p.row
        if level > row.level:
            p.lines.append(level_up_text(self.rules.curve, level, points))
            row.level, p.changed = level, True
        held, pending = self.hook.pending_badges(row.badges)
        if not pending:  # every badge held: the counters would not change anything
            return []
        streak = row.streak_current
        if not p.active and streak:
            moment = datetime.fromtimestamp(now, UTC)
            streak = status_at(streak_state(row), moment, p.zone).current
        counters = counters_of(p.snap, row, streak, level, delta)
        new = earned(pending, counters, ())
        if new:
            row.badges, p.changed = ",".join([*held, *(b.id for b in new)]), True
            p.lines += [badge_text(b) for b in new]
        return [(p.snap.player_id, b.id, now) for b in new]

    def _notices(self, p: _Player) -> list[object]:
        if not p.lines:
            return []
        events: list[object] = [PlayerNotice(p.snap.player_id, Reply("\n".join(p.lines)))]
        snap = p.snap
        ups = [ln for ln in p.lines if ln.startswith(LEVEL_UP)]
        if (
            ups
            and self.rules.announce_level_ups
            and snap.announce_channel
            and snap.announce_platform
        ):
            text = f"🎉 {snap.display_name} reached level {p.row.level}!"
            events.append(ChannelPost(snap.announce_platform, snap.announce_channel, Reply(text)))
        return events

    async def _board_deltas(self, entries: Sequence[NewLedgerEntry]) -> list[BoardDelta]:
        communities = {e.community_id for e in entries if e.community_id is not None}
        communities |= {c for c in self.campaign_community.values() if c is not None}
        zones = await self.hook.zones(self.rtx, communities) if communities else {}
        default = zone_of(None, self.rules.default_tz)
        keys = self.clock.keys
        # summed per (scope, scope id, player, week, day): [points, visible]
        sums: dict[tuple[int, int, int, int, int], list[int]] = {}

        def add(key: tuple[int, int, int, int, int], points: int, visible: bool) -> None:
            hit = sums.get(key)
            if hit is None:
                sums[key] = [points, visible]
            else:
                hit[0] += points

        for e in entries:
            if not e.points:
                continue
            pid = e.player_id
            p = self.players.get(pid)
            visible = True if p is None else p.row.on_boards
            week, day = keys(e.created_at, default)
            add((SCOPE_GLOBAL, 0, pid, week, day), e.points, visible)
            if e.community_id is not None:
                week, day = keys(e.created_at, zones[e.community_id])
                add((SCOPE_COMMUNITY, e.community_id, pid, week, day), e.points, visible)
            if e.campaign_id is not None:
                home = self.campaign_community.get(e.campaign_id)
                zone = default if home is None else zones.get(home, default)
                week, day = keys(e.created_at, zone)
                add((SCOPE_CAMPAIGN, e.campaign_id, pid, week, day), e.points, visible)
        return [BoardDelta(k[0], k[1], k[2], v[0], k[3], k[4], bool(v[1]))
                for k, v in sums.items()]  # fmt: skip


def _count_guess(p: _Player, correct: bool, first_correct: bool) -> None:
    """Right doodle guesses (the Quick Eye / Sharpshooter / Doodle Decoder counters), whether
    the guess was the player's answer (`on_answer`) or a later one (`count_guess`)."""
    if correct or first_correct:
        p.row.correct_guesses += int(correct)
        p.row.first_correct += int(first_correct)
        p.changed = True


LEVEL_UP = "⬆️ Level"


def level_up_text(curve: LevelCurve, level: int, points: int) -> str:
    """The private level-up message, e.g. "⬆️ Level 4! 420 XP; level 5 at 555 XP."."""
    text = f"{LEVEL_UP} {level}! {points:,} XP"
    if level < curve.max_level:
        text += f"; level {level + 1} at {curve.xp_to_reach(level + 1):,} XP."
    else:
        text += ": the top level. Legendary."
    if level == 6:
        text += " You can now see your accuracy and agreement in /profile."
    return text


def badge_text(badge: BadgeDef) -> str:
    return f"🏅 New badge: {badge.emoji} {badge.name} — {badge.description}"
