"""Rows of player drawings (issue 15, migration 014): prompts issued, drawings stored."""

from __future__ import annotations

from dataclasses import dataclass

from storage.rows.content import NewItem

TALLY_HIDDEN = "hidden"
"""The tally status of a hidden player drawing: no next-task query serves it, no export has it."""


@dataclass(frozen=True, slots=True)
class DrawPromptRow:
    """A word issued to one player for one campaign; `used_at` once a drawing was stored."""

    id: int
    player_id: int
    campaign_id: int
    word: str
    issued_at: float
    expires_at: float
    used_at: float | None


@dataclass(frozen=True, slots=True)
class NewDrawing:
    """A drawing to store for a prompt, with the doodle item it becomes (`item`).

    `raw` and `simplified` are strokes JSON in Quick, Draw!'s nesting; `started_ms` is the
    time from the prompt's issue to the first point, `drawing_ms` from first to last point."""

    prompt_id: int
    player_id: int
    word: str
    platform: str
    raw: str
    simplified: str
    width: int
    height: int
    started_ms: int
    drawing_ms: int
    item: NewItem


@dataclass(frozen=True, slots=True)
class DrawingRow:
    """A stored player drawing (see `NewDrawing`); hidden ones carry `hidden_at`."""

    id: int
    prompt_id: int
    player_id: int
    campaign_id: int
    item_id: int
    word: str
    platform: str
    raw: str
    simplified: str
    width: int
    height: int
    started_ms: int
    drawing_ms: int
    created_at: float
    hidden_at: float | None
    hidden_by: str | None
