"""Per-attribute agreement of a multilabel campaign (the quality report's extra line).

Each counted answer is a yes or a no for every attribute (`bot.games.multilabel`); for each
attribute, Krippendorff's alpha (nominal, here binary) is computed over those yes/no
judgments with items as units and players as coders
(`bot.aggregation.metrics.krippendorff_alpha_nominal`; None where it is undefined, e.g. an
attribute every answer agreed on or nobody could be paired on). A whole-set alpha hides
which attribute players disagree about; this shows it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from bot.aggregation.metrics import krippendorff_alpha_nominal
from bot.games.multilabel import attributes_of
from storage import AnswerRow

GAME = "multilabel"


def attribute_alpha(
    options: Sequence[str], answers: Sequence[AnswerRow]
) -> dict[str, float | None]:
    """{attribute: alpha or None} over `answers` (the counted answers of non-gold items)."""
    out: dict[str, float | None] = {}
    for attr in options:
        rows = [
            (str(a.item_id), str(a.player_id), "1" if attr in attributes_of(a.label) else "0")
            for a in answers
        ]
        alpha = krippendorff_alpha_nominal(rows) if rows else math.nan
        out[attr] = None if math.isnan(alpha) else round(alpha, 4)
    return out


def format_line(alphas: dict[str, float | None]) -> str:
    cells = " · ".join(f"{a} {'–' if v is None else f'{v:.3f}'}" for a, v in alphas.items())
    return f"Agreement per attribute, Krippendorff's α: {cells}"
