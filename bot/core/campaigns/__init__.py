"""Campaigns: lifecycle, uploads and imports, schedules and scheduled rounds, completion,
the audit log and exports from chat.

Public names: `CampaignCases` (the use cases and tick jobs), and the modules `admin`
(create and import from the command line), `importing`, `uploads`, `schedule_rules`."""

from bot.core.campaigns import admin, importing, quickdraw_import, schedule_rules, uploads
from bot.core.campaigns.cases import CampaignCases, CreateRequest

__all__ = [
    "CampaignCases",
    "CreateRequest",
    "admin",
    "importing",
    "quickdraw_import",
    "schedule_rules",
    "uploads",
]
