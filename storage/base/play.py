"""The store's play protocols (part of `storage.base.Store`)."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

from storage.base.unit import AnswerUnit
from storage.rows import AnswerRow, RoundRow, Standing, TallyRow

Key = tuple[int, int]


class PlayStore(Protocol):
    """Rounds, item selection, answers and tallies; the answer batch's unit of work."""

    def answer_batch(self) -> AbstractAsyncContextManager[AnswerUnit]:
        """One write transaction for a group commit of answers (see `storage.batch`): writes
        are pipelined where the driver allows it, and all of them have ended before the
        transaction commits or rolls back."""
        ...

    async def reserve_solo_item(
        self,
        campaign_id: int,
        player_id: int,
        *,
        gold: bool,
        platform: str,
        now: float,
        closes_at: float | None = None,
        state: dict[str, Any] | None = None,
    ) -> RoundRow | None:
        """Pick the next item for a player's solo session and open a solo round for it; the
        player's open solo round of the campaign (renewed) when there is one."""
        ...

    async def open_solo_campaigns(self, player_id: int) -> set[int]:
        """The campaigns in which a player holds an open solo round (a reservation)."""
        ...

    async def pick_channel_item(self, campaign_id: int, *, gold: bool = False) -> int | None:
        """The next item for a round in a channel: open, not in another open round."""
        ...

    async def open_round(
        self,
        campaign_id: int,
        item_id: int,
        *,
        mode: str,
        channel_id: int | None,
        player_id: int | None,
        platform: str,
        now: float,
        closes_at: float | None,
        state: dict[str, Any] | None = None,
        max_open_in_channel: int | None = None,
    ) -> RoundRow | None:
        """Open a round; with `max_open_in_channel`, None when the channel already holds that
        many open channel rounds (decided in the inserting transaction)."""
        ...

    async def get_round(self, round_id: int) -> RoundRow | None: ...

    async def bind_round_message(self, round_id: int, message_ref: str) -> None: ...

    async def close_round(
        self, round_id: int, now: float, status: str = "closed"
    ) -> RoundRow | None:
        """Close an open round (releasing a solo reservation); None if it was not open."""
        ...

    async def due_rounds(self, now: float, limit: int = 500) -> list[RoundRow]: ...

    async def open_channel_rounds(self, channel_id: int) -> list[RoundRow]: ...

    async def round_answers(self, round_id: int) -> list[AnswerRow]: ...

    async def get_answer(
        self, campaign_id: int, item_id: int, player_id: int
    ) -> AnswerRow | None: ...

    async def item_answers(self, campaign_id: int, item_id: int) -> list[AnswerRow]: ...

    async def campaign_answers(self, campaign_id: int) -> list[AnswerRow]: ...

    async def player_answers(self, player_id: int, limit: int = 1000) -> list[AnswerRow]: ...

    async def get_tally(self, campaign_id: int, item_id: int) -> TallyRow | None: ...

    async def campaign_tallies(self, campaign_id: int) -> list[TallyRow]: ...


class StandingStore(Protocol):
    """Per-campaign standings of players (the quality rules' state)."""

    async def get_standing(self, player_id: int, campaign_id: int) -> Standing: ...

    async def player_standings(self, player_id: int) -> list[Standing]: ...

    async def campaign_standings(self, campaign_id: int) -> list[Standing]: ...

    async def save_standing(self, standing: Standing, now: float) -> None: ...

    async def gold_item_count(self, campaign_id: int) -> int:
        """How many items are gold in this campaign."""
        ...
