"""Player drawings (issue 15): the contract between the drawing page and the feature is
`models.py`; the feature (`Drawings`, `engine.drawings`) is built on it.

Public names: `Drawings` (the use cases), the contract's `RawStroke`, `RawDrawing`,
`DrawPrompt`, `Submitted`, and `texts`."""

from bot.core.drawings import texts
from bot.core.drawings.cases import Drawings
from bot.core.drawings.models import DrawPrompt, RawDrawing, RawStroke, Submitted

__all__ = ["DrawPrompt", "Drawings", "RawDrawing", "RawStroke", "Submitted", "texts"]
