"""Rewards inside the answer batch: streaks, counters, levels, badges and board rollups.

`RewardsHook` is attached to the `AnswerProcessor`; for each batch it makes a `RewardBook`
over the batch's unit of work and the answering players' snapshots. The processor tells the
book what happened (`on_answer` for every stored answer, `on_settled` for every consensus
settlement), then hands it everything the batch computed: `finish` writes the batch and the
rewards in one fixed sequence, with a constant number of statements per batch:

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
* **Typed agreed** counts typed answers (`Game.takes_text`) matching the finalized label;
  an accepted contribution counts by kind (`pay_outside_batch(contribution=...)`). Both are
  JSON counters of `player_stats.counters`, read and written under the player's lock.
* A **level-up** and each **new badge** become one private `PlayerNotice` per player and
  batch; a level-up is also posted (no ping) to the home community's announcement channel
  when `[rewards] announce_level_ups` is on. They are published after the commit.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any

from bot.core.kernel.events import ChannelPost, EventBus, PlayerNotice
from bot.core.kernel.models import Reply
from bot.core.rewards import BadgeDef, apply_activity, earned, status_at
from bot.core.rewards.book_rules import (
    LEVEL_UP,
    NOTIFY_STREAK,
    Answered,
    RewardRules,
    add_csv,
    badge_text,
    bumped,
    contribution_counter,
    counters_of,
    has_csv,
    level_up_text,
    set_streak,
    streak_state,
    with_streak,
    zone_of,
)
from storage import (
    SCOPE_CAMPAIGN,
    SCOPE_COMMUNITY,
    SCOPE_GLOBAL,
    AnswerUnit,
    AnswerWrites,
    BoardDelta,
    NewLedgerEntry,
    PeriodClock,
    RewardSnapshot,
    RewardsRow,
    Standing,
    StatsDelta,
    StreakEventRow,
)

__all__ = [
    "LEVEL_UP",
    "RewardBook",
    "RewardRules",
    "RewardsHook",
    "badge_text",
    "counters_of",
    "level_up_text",
    "streak_state",
    "with_streak",
    "zone_of",
]

log = logging.getLogger(__name__)

ZONE_TTL_S = 300.0


@dataclass
class _Player:
    snap: RewardSnapshot
    row: RewardsRow
    zone: tzinfo
    active: bool = False
    changed: bool = False
    lines: list[str] = field(default_factory=list)
    counters: dict[str, Any] | None = None  # the snapshot's JSON counters, once changed


class RewardsHook:
    """Rules, the bus and a small cache of community time zones; makes one book per batch."""

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

    def book(self, tx: AnswerUnit, snaps: dict[int, RewardSnapshot]) -> RewardBook:
        """A book for one batch, over the answering players' snapshots (loaded by the batch
        with `AnswerUnit.load_players`, before their standings: the lock order)."""
        return RewardBook(self, tx, snaps)

    async def pay_outside_batch(
        self,
        tx: AnswerUnit,
        entry: NewLedgerEntry,
        *,
        campaign_community: int | None,
        correct: bool = False,
        first_correct: bool = False,
        contribution: str | None = None,
    ) -> list[object]:
        """Points paid outside an answer batch (a right guess on a doodle the player had
        already answered, an accepted contribution): the ledger line, the running total, the
        leaderboard rollups, levels and badges exactly as for an answer's points, in the
        caller's transaction. `correct` / `first_correct` count the guess toward the guess
        badges; `contribution` (a kind: ``translation``, ``photo``; anything else raises
        ValueError before any write) counts one accepted contribution of that kind. Returns
        the events to publish once the transaction has committed."""
        counter = None if contribution is None else contribution_counter(contribution)
        book = RewardBook(self, tx, await tx.load_snapshots({entry.player_id}))
        if entry.campaign_id is not None:
            book.campaign_community[entry.campaign_id] = campaign_community
        book.count_guess(entry.player_id, correct=correct, first_correct=first_correct)
        if counter is not None:
            book.count(entry.player_id, counter)
        delta = StatsDelta(entry.player_id, points=entry.points)
        return await book.finish(AnswerWrites(entry.created_at, ledger=[entry], stats=[delta]))

    def publish(self, events: Sequence[object]) -> None:
        for event in events:
            self.bus.publish(event)

    async def zones(self, tx: AnswerUnit, community_ids: set[int]) -> dict[int, tzinfo]:
        now = time.monotonic()
        stale = [c for c in community_ids if now - self._zones.get(c, (-1e9, ""))[0] > ZONE_TTL_S]
        if stale:
            for cid, tz in (await tx.community_zones(stale)).items():
                self._zones[cid] = (now, tz)
        default = self.rules.default_tz
        return {c: zone_of(self._zones.get(c, (0.0, default))[1], default) for c in community_ids}


class RewardBook:
    """One batch's reward work (see the module docstring)."""

    def __init__(
        self, hook: RewardsHook, tx: AnswerUnit, snaps: dict[int, RewardSnapshot]
    ) -> None:
        self.hook = hook
        self.rules = hook.rules
        self.tx = tx
        self.players: dict[int, _Player] = {}
        self.prior: dict[tuple[int, int], int] = {}
        self.clock = PeriodClock()
        self.streak_rows: list[StreakEventRow] = []
        self.resolved: list[tuple[int, bool, bool]] = []
        self.campaign_community: dict[int, int | None] = {}
        self.typed_agreed: list[int] = []
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

    def on_answer(self, r: Answered, spam: str | None, correct: bool | None) -> int:
        """A stored answer: update the counters; returns the streak length for its bonus."""
        p = self.players.get(r.player_id)
        if p is None:  # the player was deleted while answering: the insert will fail anyway
            return 0
        self.campaign_community[r.campaign.id] = r.campaign.community_id
        row = p.row  # the batch's own row: updated in place
        if not has_csv(row.platforms, r.platform):
            row.platforms, p.changed = add_csv(row.platforms, r.platform), True
        if not has_csv(row.games, r.campaign.game):
            row.games, p.changed = add_csv(row.games, r.campaign.game), True
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

    def count(self, player_id: int, counter: str) -> None:
        """One more of a JSON badge counter (`player_stats.counters`) of a loaded player."""
        p = self.players.get(player_id)
        if p is not None:
            p.counters = bumped(p.snap.counters, p.counters, counter)

    def on_settled(self, player_id: int, match: bool, typed: bool = False) -> None:
        """An answer of `player_id` was settled against its finalized item's consensus;
        `typed`: the answer was typed (`Game.takes_text`), so a match counts `typed_agreed`."""
        self.resolved.append((player_id, match, True))
        if match and typed:
            self.typed_agreed.append(player_id)

    def _activity(self, p: _Player, at: float) -> int:
        p.active = True
        row = p.row
        if row.streak_current > 0 and row.streak_last_at is not None:
            _, last_day = self.clock.keys(row.streak_last_at, p.zone)
            _, today = self.clock.keys(at, p.zone)
            if today == last_day or at < row.streak_last_at:
                return row.streak_current  # today counted already: nothing changes
        moment = datetime.fromtimestamp(at, UTC)
        state, events = apply_activity(streak_state(row), moment, p.zone, self.rules.streaks)
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

    async def finish(self, writes: AnswerWrites) -> list[object]:
        """Write the batch and its rewards; returns the events to publish once the batch has
        committed. The steps run in this order, and the order is the point:

        1. load the players the batch credits without their answering in it (a consensus
           bonus settled by someone else's answer), BEFORE the totals move: the level and
           badge rules add the batch's stats deltas to the snapshot, so a snapshot read
           after the write would count this batch's points twice;
        2. start the leaderboard rollup of every ledger entry (the store may run it beside
           the next steps);
        3. write what the batch computed (`AnswerUnit.write_answers`): the totals move;
        4. apply right-in-a-row and items-finalized, levels and badges; write the reward
           rows, streak events and badge awards;
        5. wait for the rollup."""
        deltas = {d.player_id: d for d in writes.stats}
        await self._adopt_credited(deltas)
        boards = self.tx.start_board_points(await self._board_deltas(writes.ledger))
        await self.tx.write_answers(writes)
        self._apply_resolutions()
        awards: list[tuple[int, str, float]] = []
        events: list[object] = []
        for pid, p in self.players.items():
            awards += self._level_and_badges(p, deltas.get(pid), writes.now)
            events += self._notices(p)
        changed = [p.row for p in self.players.values() if p.changed]
        counters = [(i, p.counters) for i, p in self.players.items() if p.counters is not None]
        await self.tx.save_rewards(changed, self.streak_rows, awards, writes.now, counters)
        await boards.wait()
        return events

    async def _adopt_credited(self, deltas: dict[int, StatsDelta]) -> None:
        missing = ({*deltas} | {pid for pid, *_ in self.resolved}) - set(self.players)
        if missing:
            for snap in (await self.tx.load_snapshots(missing)).values():
                self._adopt(snap)

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
        for pid in self.typed_agreed:
            self.count(pid, "typed_agreed")

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
        counters = counters_of(p.snap, row, streak, level, delta, p.counters)
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
        zones = await self.hook.zones(self.tx, communities) if communities else {}
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
        return [
            BoardDelta(k[0], k[1], k[2], v[0], k[3], k[4], bool(v[1])) for k, v in sums.items()
        ]


def _count_guess(p: _Player, correct: bool, first_correct: bool) -> None:
    """Right doodle guesses (Quick Eye, Sharpshooter...): answers or later guesses."""
    if correct or first_correct:
        p.row.correct_guesses += int(correct)
        p.row.first_correct += int(first_correct)
        p.changed = True
