"""Row dataclasses: what the store hands out and what the engine hands it to write. Plain
values only, no behaviour; one module per area, every name importable from here."""

from __future__ import annotations

from storage.rows.access import ApiTokenRow, NewApiToken
from storage.rows.batch import (
    AnswerWrites,
    BoardDelta,
    RewardSnapshot,
    RewardsRow,
    StatsDelta,
    StreakEventRow,
    TallyUpdate,
)
from storage.rows.content import (
    CAMPAIGN_STATUSES,
    TALLY_FINALIZED,
    TALLY_OPEN,
    TALLY_REVIEW,
    TALLY_REVIEWED,
    AnswerRow,
    BoardRow,
    CampaignCounts,
    CampaignRow,
    ChannelRow,
    CommunityRow,
    DatasetRow,
    IdentityRow,
    ItemRow,
    LedgerEntryRow,
    NewAnswer,
    NewCampaign,
    NewItem,
    NewLedgerEntry,
    PlayerRow,
    PlayerStatsRow,
    RoundRow,
    Standing,
    TallyRow,
)
from storage.rows.contributions import (
    ACCEPTED,
    REJECTED,
    ContributionRow,
    NewContribution,
)
from storage.rows.drawings import TALLY_HIDDEN, DrawingRow, DrawPromptRow, NewDrawing
from storage.rows.features import (
    AnnounceTarget,
    AuditRow,
    BoardLine,
    GuessGuard,
    GuessRow,
    NewGuess,
    NewSchedule,
    ReviewLogEntry,
    ReviewLogRow,
    ScheduleRow,
    StreakEventView,
)
from storage.rows.insights import AuditEntry, ContributorRow, ItemAnswerRow, ItemListRow
from storage.rows.web import (
    DrawLinkPerson,
    NewLoginLink,
    NewWebSession,
    WebScope,
    WebSessionRow,
)

__all__ = [
    "ACCEPTED",
    "CAMPAIGN_STATUSES",
    "REJECTED",
    "TALLY_FINALIZED",
    "TALLY_HIDDEN",
    "TALLY_OPEN",
    "TALLY_REVIEW",
    "TALLY_REVIEWED",
    "AnnounceTarget",
    "AnswerRow",
    "AnswerWrites",
    "ApiTokenRow",
    "AuditEntry",
    "AuditRow",
    "BoardDelta",
    "BoardLine",
    "BoardRow",
    "CampaignCounts",
    "CampaignRow",
    "ChannelRow",
    "CommunityRow",
    "ContributionRow",
    "ContributorRow",
    "DatasetRow",
    "DrawLinkPerson",
    "DrawPromptRow",
    "DrawingRow",
    "GuessGuard",
    "GuessRow",
    "IdentityRow",
    "ItemAnswerRow",
    "ItemListRow",
    "ItemRow",
    "LedgerEntryRow",
    "NewAnswer",
    "NewApiToken",
    "NewCampaign",
    "NewContribution",
    "NewDrawing",
    "NewGuess",
    "NewItem",
    "NewLedgerEntry",
    "NewLoginLink",
    "NewSchedule",
    "NewWebSession",
    "PlayerRow",
    "PlayerStatsRow",
    "ReviewLogEntry",
    "ReviewLogRow",
    "RewardSnapshot",
    "RewardsRow",
    "RoundRow",
    "ScheduleRow",
    "Standing",
    "StatsDelta",
    "StreakEventRow",
    "StreakEventView",
    "TallyRow",
    "TallyUpdate",
    "WebScope",
    "WebSessionRow",
]

from storage.rows.events import (
    ClaimedDelivery,
    DeliveryRow,
    LabelEventRow,
    LabelPageData,
    NewWebhook,
    WebhookRow,
)

__all__ += [
    "ClaimedDelivery",
    "DeliveryRow",
    "LabelEventRow",
    "LabelPageData",
    "NewWebhook",
    "WebhookRow",
]

from storage.rows.capture import CONSENTS, PhotoConsentRow  # noqa: E402

__all__ += ["CONSENTS", "PhotoConsentRow"]
