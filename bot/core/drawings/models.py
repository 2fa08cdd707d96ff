"""Player drawings: the shapes the web side and the core exchange (issue 15).

This module is the contract between the drawing page (`bot/web/draw_page.py`, which decodes
what the browser sends) and the feature (`bot/core/drawings`, `engine.drawings`):

- `await engine.drawings.prompt(ref)` -> `DrawPrompt`: a word to draw for `ref`, issued and
  stored (single use) in a campaign that takes player drawings; raises `NotConsented` for a
  player who has not consented (nothing stored), `RateLimited` past the hourly limit,
  `NoTaskAvailable` when no campaign takes player drawings, `NotFound` for an unknown
  campaign;
- `await engine.drawings.submit(ref, prompt_id, raw, platform)` -> `Submitted`: stores the
  drawing once (a second submit of the same prompt is `InvalidInput`; a prompt issued to
  someone else or expired is `NotFound`, with the same words), simplified for display as
  Quick, Draw!'s simplified files are, and adds it to the campaign's doodle pool;
- strokes arrive exactly as Quick, Draw!'s raw format has them: per stroke the x, y and t lists
  (t: milliseconds since the drawing's first point), plus the canvas size; nothing else about
  the device.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RawStroke:
    """One pen-down stroke as drawn: canvas pixels and milliseconds since the first point."""

    x: tuple[float, ...]
    y: tuple[float, ...]
    t: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class RawDrawing:
    """What the page sends: the strokes in order, and the canvas size they were drawn on."""

    strokes: tuple[RawStroke, ...]
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class DrawPrompt:
    """A word to draw: `id` binds the submission to this prompt (single use), `seconds` is the
    countdown, `expires_at` when a submission stops being accepted (countdown + grace)."""

    id: int
    word: str
    seconds: int
    campaign_name: str
    expires_at: float


@dataclass(frozen=True, slots=True)
class Submitted:
    """A stored drawing: its id and what to tell the player."""

    drawing_id: int
    text: str
