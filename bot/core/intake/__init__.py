"""Intake: the JSON API's write side (issue 14): items pushed to a campaign (images, texts,
doodle strokes, with a model's prediction and a priority) and expert labels set by a pipeline.

Public names: `Intake` (the use cases), `Closed` (a campaign that takes no items), `PushResult`
and `Pushed` (what a push stored), `parse` (the checks and their limits), `texts`."""

from bot.core.intake import parse, texts
from bot.core.intake.cases import Closed, Intake, Pushed, PushResult

__all__ = ["Closed", "Intake", "PushResult", "Pushed", "parse", "texts"]
