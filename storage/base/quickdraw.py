"""The store's quickdraw protocols (part of `storage.base.Store`)."""

from __future__ import annotations

from typing import Any, Protocol

from storage.base.unit import AnswerUnit
from storage.rows import GuessRow, ItemRow, NewGuess, RoundRow

Key = tuple[int, int]


class QuickdrawStore(Protocol):
    """Doodle guesses, doodle picks and doodle rounds."""

    async def add_guess(self, g: NewGuess) -> int: ...

    async def write_guess(
        self,
        tx: AnswerUnit,
        g: NewGuess,
        *,
        state: dict[str, Any] | None = None,
        marks: tuple[int, dict[str, Any]] | None = None,
    ) -> tuple[int, RoundRow | None]:
        """In the caller's unit of work (`answer_batch`); see `AnswerUnit.write_guess`."""
        ...

    async def round_guesses(self, round_id: int, player_id: int | None = None) -> list[GuessRow]:
        """Guesses of a round in the order they were made (one player's, if given)."""
        ...

    async def player_guesses(self, player_id: int) -> list[GuessRow]:
        """Every guess a player typed, oldest first (for /mydata)."""
        ...

    async def campaign_guesses(
        self, campaign_id: int, *, first_only: bool = False
    ) -> list[GuessRow]: ...

    async def pick_doodle(self, campaign_id: int, channel_id: int) -> int | None:
        """The next doodle for a channel round: open, not on show in another open round;
        the ones this channel has seen least first, then a fixed scrambled order (so rounds
        do not walk through one category at a time, as import order would)."""
        ...

    async def shown_in_channel(self, item_id: int, channel_id: int) -> bool:
        """Whether a round in this channel already closed on this doodle (and so showed its
        word)."""
        ...

    async def round_by_message(self, platform: str, message_ref: str) -> RoundRow | None:
        """The round shown by a platform message (its `message_ref`), if any."""
        ...

    async def open_rounds_of_game(self, game: str) -> list[RoundRow]:
        """Open channel rounds of every campaign of `game`."""
        ...

    async def dataset_items_with_media(
        self, dataset_id: int
    ) -> list[tuple[ItemRow, str | None, bytes | None]]:
        """Every item of a dataset with its media (mime, bytes), in id order."""
        ...
