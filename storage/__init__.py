"""LabelQuest's shared store: SQLite by default, PostgreSQL when one machine is not enough.

`storage` imports nothing from `bot`, and the engine imports only the names below (never a
submodule): the `Store` protocol (`storage.base.Store`, one protocol per feature) and the
`AnswerUnit` an answer batch writes through, the row dataclasses (`storage.rows`), the
functions that open a store, the board period arithmetic and the file formats of imports.
"""

from __future__ import annotations

from storage.base import (
    AnswerUnit,
    BoardWriting,
    Recount,
    RecountUnit,
    Store,
)
from storage.board_math import (
    PERIOD_ALL,
    PERIOD_DAY,
    PERIOD_WEEK,
    SCOPE_CAMPAIGN,
    SCOPE_COMMUNITY,
    SCOPE_GLOBAL,
    BoardKey,
    PeriodClock,
    day_start,
    period_keys,
)
from storage.coordination import (
    AlreadyServing,
    LeaderLock,
    SqliteProcessLock,
    read_meta,
    sqlite_file,
    write_meta,
)
from storage.doodles import (
    Drawing,
    Stroke,
)
from storage.driver import (
    StoreError,
    redact_url,
)
from storage.import_images import (
    ImageLimits,
    LabelRow,
    OverBudget,
    PixelBudget,
    Problem,
    image_size,
    load_image,
    read_labels_csv,
    reencode,
)
from storage.quickdraw_formats import (
    ImportResult,
    drawing_to_ndjson,
    format_timestamp,
    parse_timestamp,
    read_quickdraw,
)
from storage.quickdraw_records import BadRecord, parse_ndjson_object
from storage.rows import (
    CAMPAIGN_STATUSES,
    TALLY_FINALIZED,
    TALLY_OPEN,
    TALLY_REVIEW,
    TALLY_REVIEWED,
    AnnounceTarget,
    AnswerRow,
    AnswerWrites,
    ApiTokenRow,
    AuditEntry,
    AuditRow,
    BoardDelta,
    BoardLine,
    BoardRow,
    CampaignCounts,
    CampaignRow,
    ChannelRow,
    CommunityRow,
    ContributorRow,
    DatasetRow,
    DrawLinkPerson,
    GuessGuard,
    GuessRow,
    IdentityRow,
    ItemAnswerRow,
    ItemListRow,
    ItemRow,
    LedgerEntryRow,
    NewAnswer,
    NewApiToken,
    NewCampaign,
    NewGuess,
    NewItem,
    NewLedgerEntry,
    NewLoginLink,
    NewSchedule,
    NewWebSession,
    PlayerRow,
    PlayerStatsRow,
    ReviewLogEntry,
    ReviewLogRow,
    RewardSnapshot,
    RewardsRow,
    RoundRow,
    ScheduleRow,
    Standing,
    StatsDelta,
    StreakEventRow,
    StreakEventView,
    TallyRow,
    TallyUpdate,
    WebScope,
    WebSessionRow,
)
from storage.store import (
    SqlStore,
    is_postgres_url,
    open_store,
)
from storage.store_content import (
    DuplicateName,
    NewDataset,
)
from storage.text_checks import control_problem

__all__ = [
    "CAMPAIGN_STATUSES",
    "PERIOD_ALL",
    "PERIOD_DAY",
    "PERIOD_WEEK",
    "SCOPE_CAMPAIGN",
    "SCOPE_COMMUNITY",
    "SCOPE_GLOBAL",
    "TALLY_FINALIZED",
    "TALLY_OPEN",
    "TALLY_REVIEW",
    "TALLY_REVIEWED",
    "AlreadyServing",
    "AnnounceTarget",
    "AnswerRow",
    "AnswerUnit",
    "AnswerWrites",
    "ApiTokenRow",
    "AuditEntry",
    "AuditRow",
    "BadRecord",
    "BoardDelta",
    "BoardKey",
    "BoardLine",
    "BoardRow",
    "BoardWriting",
    "CampaignCounts",
    "CampaignRow",
    "ChannelRow",
    "CommunityRow",
    "ContributorRow",
    "DatasetRow",
    "DrawLinkPerson",
    "Drawing",
    "DuplicateName",
    "GuessGuard",
    "GuessRow",
    "IdentityRow",
    "ImageLimits",
    "ImportResult",
    "ItemAnswerRow",
    "ItemListRow",
    "ItemRow",
    "LabelRow",
    "LeaderLock",
    "LedgerEntryRow",
    "NewAnswer",
    "NewApiToken",
    "NewCampaign",
    "NewDataset",
    "NewGuess",
    "NewItem",
    "NewLedgerEntry",
    "NewLoginLink",
    "NewSchedule",
    "NewWebSession",
    "OverBudget",
    "PeriodClock",
    "PixelBudget",
    "PlayerRow",
    "PlayerStatsRow",
    "Problem",
    "Recount",
    "RecountUnit",
    "ReviewLogEntry",
    "ReviewLogRow",
    "RewardSnapshot",
    "RewardsRow",
    "RoundRow",
    "ScheduleRow",
    "SqlStore",
    "SqliteProcessLock",
    "Standing",
    "StatsDelta",
    "Store",
    "StoreError",
    "StreakEventRow",
    "StreakEventView",
    "Stroke",
    "TallyRow",
    "TallyUpdate",
    "WebScope",
    "WebSessionRow",
    "control_problem",
    "day_start",
    "drawing_to_ndjson",
    "format_timestamp",
    "image_size",
    "is_postgres_url",
    "load_image",
    "open_store",
    "parse_ndjson_object",
    "parse_timestamp",
    "period_keys",
    "read_labels_csv",
    "read_meta",
    "read_quickdraw",
    "redact_url",
    "reencode",
    "sqlite_file",
    "write_meta",
]

from storage.rows import (
    ClaimedDelivery,
    DeliveryRow,
    LabelEventRow,
    LabelPageData,
    NewWebhook,
    WebhookRow,
)
from storage.store_events import COMPLETED as CAMPAIGN_COMPLETED
from storage.store_events import FINALIZED as LABEL_FINALIZED
from storage.store_events import NEEDS_REVIEW as ITEM_NEEDS_REVIEW

__all__ += [
    "CAMPAIGN_COMPLETED",
    "ITEM_NEEDS_REVIEW",
    "LABEL_FINALIZED",
    "ClaimedDelivery",
    "DeliveryRow",
    "LabelEventRow",
    "LabelPageData",
    "NewWebhook",
    "WebhookRow",
]

from storage.rows import TALLY_HIDDEN, DrawingRow, DrawPromptRow, NewDrawing  # noqa: E402

__all__ += ["TALLY_HIDDEN", "DrawPromptRow", "DrawingRow", "NewDrawing"]

from storage.rows import (  # noqa: E402
    ACCEPTED,
    REJECTED,
    ContributionRow,
    NewContribution,
)

__all__ += ["ACCEPTED", "REJECTED", "ContributionRow", "NewContribution"]

from storage.rows.translate import (  # noqa: E402
    SOURCE_ACCEPTED,
    SOURCE_COMPARING,
    SOURCE_REVIEW,
    TranslateSourceRow,
)

__all__ += ["SOURCE_ACCEPTED", "SOURCE_COMPARING", "SOURCE_REVIEW", "TranslateSourceRow"]
from storage.rows import CONSENTS, PhotoConsentRow  # noqa: E402

__all__ += ["CONSENTS", "PhotoConsentRow"]
from storage.rows.compare import TALLY_BASE, ComparePairRow  # noqa: E402

__all__ += ["TALLY_BASE", "ComparePairRow"]
