"""The store's protocol for player drawings (issue 15; part of `storage.base.Store`).

Rules: the hourly limit and single use are decided by the database (a count inside the
issuing transaction, a conditional UPDATE of `draw_prompts.used_at`); a stored drawing enters
its campaign's doodle pool as an item of kind `doodle` in the campaign's dataset, with a tally
in that campaign only; a hidden drawing's tally is closed (`hidden`), so no round, solo series
or export serves it again."""

from __future__ import annotations

from typing import Protocol

from storage.rows import DrawingRow, DrawPromptRow, NewDrawing


class DrawingStore(Protocol):
    """Prompts, drawings, the campaign switch and hiding."""

    async def set_player_drawings(self, campaign_id: int, on: bool) -> None:
        """Whether the campaign takes player drawings (`campaigns.player_drawings`)."""
        ...

    async def player_drawing_campaigns(self) -> list[int]:
        """Ids of the active campaigns that take player drawings, oldest first."""
        ...

    async def takes_player_drawings(self, campaign_id: int) -> bool: ...

    async def issue_draw_prompt(
        self,
        player_id: int,
        campaign_id: int,
        word: str,
        now: float,
        expires_at: float,
        *,
        per_hour: int,
    ) -> DrawPromptRow | None:
        """Store a prompt unless the player already had `per_hour` prompts in the hour
        before `now` (counted in the same transaction, the player row locked on PostgreSQL):
        then None, nothing stored."""
        ...

    async def get_draw_prompt(self, prompt_id: int) -> DrawPromptRow | None: ...

    async def save_drawing(self, d: NewDrawing, now: float) -> DrawingRow | None:
        """Mark the prompt used (only if unused, the player's, and not expired at `now`),
        insert the item into the campaign's dataset and pool, and the drawing, in one
        transaction. None (nothing stored) when the prompt could not be used."""
        ...

    async def get_drawing(self, drawing_id: int) -> DrawingRow | None: ...

    async def drawing_of_item(self, item_id: int) -> DrawingRow | None:
        """The player drawing an item came from, if any."""
        ...

    async def hide_drawing(self, drawing_id: int, by: str, now: float) -> bool:
        """Hide the drawing and close its tally; False when it was hidden already."""
        ...

    async def player_drawings(self, player_id: int) -> list[DrawingRow]:
        """Every drawing of a player, oldest first (for /mydata)."""
        ...

    async def campaign_drawings(
        self, campaign_id: int, *, hidden: bool = False
    ) -> list[DrawingRow]:
        """The campaign's drawings by id (hidden ones only when `hidden`)."""
        ...
