"""Quick-draw: doodle rounds in channels (replay, hints, a race to name the doodle), solo
series, guesses judged and ranked, and labels from the guesses.

Public names: `Quickdraw` (the feature: a `GameFlow` plus its use cases), `GAME`, and the
`labels` module (what the guesses say about each doodle, for exports)."""

from bot.core.quickdraw import labels
from bot.core.quickdraw.base import GAME, GuessResult
from bot.core.quickdraw.cases import Quickdraw

__all__ = ["GAME", "GuessResult", "Quickdraw", "labels"]
