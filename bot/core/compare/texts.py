"""What players and moderators read about comparisons (docs/compare.md)."""

from __future__ import annotations

PAIR_ALT = "Two items side by side: L on the left, R on the right"
RANKING_HEAD = "🏆 Ranking: {compared} of {total} items compared ({answers} answers). Top:"
RANKING_LINE = "{rank}. {name} (score {score:+.2f}, {comparisons} comparisons)"
RANKING_EMPTY = "🏆 No comparisons yet."
