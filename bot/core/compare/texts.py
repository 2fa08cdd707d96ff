"""What players and moderators read about comparisons (docs/compare.md)."""

from __future__ import annotations

PAIR_ALT = "Two items side by side: L on the left, R on the right"
RANKING_HEAD = "🏆 Ranking ({compared} of {total} items compared, {answers} answers):"
RANKING_LINE = "{rank}. {name} (score {score:+.2f}, {comparisons} comparisons)"
RANKING_EMPTY = "🏆 No comparisons yet."
NOT_COMPARE = "{name} is not a compare campaign (it is {game})."
