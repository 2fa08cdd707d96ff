"""The shapes the locate canvas page and the core exchange (issue 17)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LocateTask:
    """One locate task as the canvas shows it: the round it answers, the image (bytes, MIME
    type and size in pixels) and what to mark (`shape` "box" or "point", the instruction, at
    most `max_marks` marks)."""

    round_id: int
    campaign: str
    instruction: str
    shape: str
    width: int
    height: int
    max_marks: int
    image: bytes
    mime: str


@dataclass(frozen=True, slots=True)
class CanvasLink:
    """A canvas link as chat shows it: the URL (for a link button) and the text."""

    url: str
    text: str
