"""The answer batch's unit of work as the engine sees it (`PlayStore.answer_batch`)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any, Protocol

from storage.rows import (
    AnswerRow,
    AnswerWrites,
    BoardDelta,
    GuessGuard,
    NewAnswer,
    NewGuess,
    RewardSnapshot,
    RewardsRow,
    RoundRow,
    Standing,
    StreakEventRow,
    TallyRow,
    TallyUpdate,
)

Key = tuple[int, int]


class BoardWriting(Protocol):
    """A leaderboard rollup write under way (see `AnswerUnit.start_board_points`)."""

    async def wait(self) -> None:
        """Until the rollup is written (raises its failure)."""
        ...


class AnswerUnit(Protocol):
    """One write transaction fed what a batch computed, as plain data. The store decides how
    the statements run (pipelined on SQLite, awaited one by one on PostgreSQL), and the
    transaction commits only once every write has ended: the engine never branches on the
    backend."""

    async def round_status(self, round_ids: Sequence[int]) -> dict[int, str]:
        """Status of each round that exists; `inactive` for a round whose campaign is not
        active. The rows stay share-locked until the unit ends (PostgreSQL), so a round close
        or a campaign status change cannot slip between this check and the commit."""
        ...

    async def guard_guess(
        self, round_id: int, player_id: int, *, changes_round: bool, since: float
    ) -> GuessGuard:
        """Before a guess is written in this unit: the round's status (`inactive`: its
        campaign is not active; `gone`), the round as stored, and the player's guesses in it
        (how many; when, for those after `since`), with the round (for update when
        `changes_round`), its campaign and the player locked until the unit ends."""
        ...

    async def existing_answers(
        self, keys: Sequence[tuple[int, int, int]]
    ) -> set[tuple[int, int, int]]:
        """Which (campaign, item, player) triples already have an answer."""
        ...

    async def load_players(
        self, player_ids: Collection[int], standing_keys: Sequence[Key]
    ) -> tuple[dict[int, RewardSnapshot], dict[Key, Standing]]:
        """Reward snapshots of `player_ids` (none when empty; their player rows locked on
        PostgreSQL), then the standings by (player, campaign), missing ones fresh defaults:
        players first, the lock order of every batch. The two reads may overlap."""
        ...

    async def load_snapshots(self, player_ids: Iterable[int]) -> dict[int, RewardSnapshot]:
        """Reward snapshots of the players, their player rows locked (PostgreSQL)."""
        ...

    async def insert_answers(self, answers: Sequence[NewAnswer]) -> list[int | None]:
        """Insert; a (campaign, item, player) already stored is skipped. Returns the new id
        per input row, None where the row was a duplicate."""
        ...

    async def load_tallies(self, keys: Sequence[Key]) -> dict[Key, TallyRow]:
        """The tallies of (campaign, item) keys, locked for the batch (PostgreSQL)."""
        ...

    async def answers_for(self, keys: Sequence[Key]) -> dict[Key, list[AnswerRow]]:
        """Every answer of each (campaign, item), oldest first."""
        ...

    async def community_zones(self, community_ids: Sequence[int]) -> dict[int, str]:
        """Time-zone names of communities (the day boundary of their boards)."""
        ...

    async def save_tallies(self, updates: Sequence[TallyUpdate]) -> None:
        """Write the new counts and consensus of each item; `release` solo reservations are
        taken off `pending` (never below 0)."""
        ...

    async def write_answers(self, w: AnswerWrites) -> None:
        """Write what the batch computed, in this order: solo rounds answered, tallies,
        ledger, stats (the players' totals move here), standings."""
        ...

    async def save_rewards(
        self,
        rows: Sequence[RewardsRow],
        streak_events: Sequence[StreakEventRow],
        awards: Sequence[tuple[int, str, float]],
        now: float,
        counters: Sequence[tuple[int, dict[str, Any]]] = (),
    ) -> None:
        """Upsert reward rows, add streak events, record (player, badge id, time) awards (a
        badge already held stays as it was), and replace each (player, counters) given as
        that player's `player_stats.counters` (the badge counters kept as JSON: read them
        from the snapshot loaded in the same unit, under the player's lock)."""
        ...

    def start_board_points(self, deltas: Sequence[BoardDelta]) -> BoardWriting:
        """Start adding `deltas` to the leaderboard rollup; the unit commits only after it."""
        ...

    async def write_guess(
        self,
        g: NewGuess,
        *,
        state: dict[str, Any] | None = None,
        marks: tuple[int, dict[str, Any]] | None = None,
    ) -> tuple[int, RoundRow | None]:
        """`marks` (answer id, keys) merged into that answer's `extra` first, then the guess
        row, then the round's new `state` when given. Returns (guess id, the round as
        updated; None when no state was given or the round is gone)."""
        ...

    async def settle_contribution(self, contribution_id: int, outcome: str, now: float) -> bool:
        """Settle a contribution once inside this unit (`Store.settle_contribution`'s rule);
        True when this call settled it, so a payment written in the same unit is paid once."""
        ...

    async def decide_source(
        self,
        campaign_id: int,
        source_item_id: int,
        *,
        accepted_item_id: int | None,
        label: str | None,
        score: float | None,
        now: float,
    ) -> bool:
        """Decide a translate source once inside this unit (`Store.decide_source`'s rule)."""
        ...
