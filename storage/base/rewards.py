"""The store's rewards protocols (part of `storage.base.Store`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from storage.board_math import BoardKey
from storage.rows import (
    AnnounceTarget,
    BoardLine,
    BoardRow,
    LedgerEntryRow,
    RewardSnapshot,
    RewardsRow,
    StreakEventView,
)

Key = tuple[int, int]


class BoardStore(Protocol):
    """Leaderboards read from the rollup, and the ledger."""

    async def board_top(self, key: BoardKey, limit: int = 10) -> list[BoardLine]:
        """The best `limit` visible players of a board, best first (ties by player id)."""
        ...

    async def board_entry(self, key: BoardKey, player_id: int) -> BoardLine | None:
        """A player's line on a board (None without points in the window). The rank counts
        visible players only, so a hidden player still learns where they would stand."""
        ...

    async def board_count(self, key: BoardKey) -> int:
        """How many visible players have points on a board."""
        ...

    async def leaderboard(
        self,
        *,
        community_id: int | None = None,
        campaign_id: int | None = None,
        since: float | None = None,
        limit: int = 10,
        viewer_id: int | None = None,
    ) -> tuple[list[BoardRow], BoardRow | None]:
        """Top `limit` visible players by points in the scope and window, and the viewer's row."""
        ...

    async def ledger_for(self, player_id: int, limit: int = 20) -> list[LedgerEntryRow]: ...


class RewardStore(Protocol):
    """Reward snapshots, badges, streaks, reminders, announcement targets, board rebuild."""

    async def reward_snapshot(self, player_id: int) -> RewardSnapshot | None: ...

    async def reward_snapshots(self, after_id: int, limit: int) -> list[RewardSnapshot]:
        """Players with id > `after_id`, in id order (the start-up pass walks them all)."""
        ...

    async def save_rewards(
        self, rows: Sequence[RewardsRow], awards: Sequence[tuple[int, str, float]], now: float
    ) -> None:
        """Reward rows and badge awards outside an answer batch (the start-up pass)."""
        ...

    async def player_badges(self, player_id: int) -> list[tuple[str, float]]:
        """(badge id, awarded at) of every badge the player holds, oldest first."""
        ...

    async def streak_history(self, player_id: int, limit: int = 10) -> list[StreakEventView]: ...

    async def set_reminded(self, player_id: int, day: str) -> bool:
        """Claim the player's reminder of `day` (False: already sent, by any process)."""
        ...

    async def reminder_candidates(self, min_streak: int) -> list[RewardSnapshot]:
        """Players who asked for streak reminders and have a streak of `min_streak` days."""
        ...

    async def set_board_visibility(self, player_id: int, visible: bool, now: float) -> None:
        """Show or hide a player on every board at once: `on_boards`, their rollup rows and
        the histogram counts change in one transaction (under the player's row lock, which
        the answer batch takes too)."""
        ...

    async def set_announce_channel(self, community_id: int, channel_id: int | None) -> None: ...

    async def announce_targets(self) -> list[AnnounceTarget]: ...

    async def set_meta(self, key: str, value: str) -> None: ...

    async def claim_meta(self, key: str, expected: str | None, value: str) -> bool:
        """Compare-and-set: `key` becomes `value` only if it holds `expected` (None:
        absent); False when another process moved it first."""
        ...

    async def ledger_top(
        self, community_id: int, since: float, until: float, limit: int
    ) -> list[BoardLine]:
        """The best visible players of a community's ledger in [since, until), for windows
        that are over (last week's winners); competition ranks."""
        ...

    async def has_ledger(self) -> bool: ...

    async def rebuild_boards(
        self, zones: Mapping[tuple[int, int], str], default_tz: str, now: float
    ) -> int:
        """Recompute the rollup from the ledger (after migrating a store that already had a
        ledger, or to repair), in one transaction: `rebuild_totals`, then `rebuild_hist`.
        `zones` maps (scope, scope_id) to a time-zone name; others, and unknown names (as the
        answer batch does), use `default_tz`. Returns the number of rollup rows written."""
        ...
