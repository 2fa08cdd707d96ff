"""The ranking on a compare campaign's dashboard page (issue 17, docs/compare.md#exports):
every base item with its rank, Bradley-Terry score and comparisons, best first."""

from __future__ import annotations

from bot.core.engine import Engine
from bot.core.insights import CampaignSummary
from bot.web.dashboard.common import table
from bot.web.layout import esc

HEADERS = ["Rank", "Item", "Score", "Comparisons"]


async def ranking_html(engine: Engine, summary: CampaignSummary) -> str:
    """The ranking table (the campaign was scope-checked by the caller)."""
    ranking = await engine.compare.ranking(summary.campaign)
    cells = [
        [str(r.rank), esc(r.name), f"{r.score:+.2f}", str(r.comparisons)] for r in ranking.items
    ]
    caption = f"Ranking (Bradley-Terry, {ranking.answers} comparisons)"
    return "<h2>Ranking</h2>" + table(HEADERS, cells, caption)
