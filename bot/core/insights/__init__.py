"""Insights: the dashboard's read models (campaign progress and series, contributors,
items and their answers, the audit log), every one scoped by the viewer's `Actor`.

Public names: `Insights` (the use cases, `engine.insights`), the models it returns, `STATES`
(the item filters) `series` (pure day-series rules) and `texts`.
"""

from bot.core.insights import series, texts
from bot.core.insights.cases import AUDIT_PER_PAGE, ITEMS_PER_PAGE, STATES, Insights
from bot.core.insights.models import (
    AnswerView,
    AuditPage,
    AuditView,
    CampaignOverview,
    CampaignSummary,
    Contributor,
    ItemDetail,
    ItemPage,
    Page,
)

__all__ = [
    "AUDIT_PER_PAGE",
    "ITEMS_PER_PAGE",
    "STATES",
    "AnswerView",
    "AuditPage",
    "AuditView",
    "CampaignOverview",
    "CampaignSummary",
    "Contributor",
    "Insights",
    "ItemDetail",
    "ItemPage",
    "Page",
    "series",
    "texts",
]
