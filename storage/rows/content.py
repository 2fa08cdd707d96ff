"""Row dataclasses: what the store hands out. Plain values only, no behaviour."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Campaign and tally states, shared by the engine and the store.
CAMPAIGN_STATUSES = ("draft", "active", "paused", "stopped", "completed", "archived")
TALLY_OPEN, TALLY_FINALIZED, TALLY_REVIEW, TALLY_REVIEWED = (
    "open",
    "finalized",
    "review",
    "reviewed",
)


@dataclass(frozen=True, slots=True)
class PlayerRow:
    id: int
    display_name: str
    created_at: float
    consent_version: int
    hidden: bool
    reminders: bool
    home_community_id: int | None


@dataclass(frozen=True, slots=True)
class IdentityRow:
    platform: str
    external_id: str
    player_id: int
    display_name: str


@dataclass(frozen=True, slots=True)
class CommunityRow:
    id: int
    platform: str
    external_id: str
    name: str
    timezone: str
    announce_channel_id: int | None
    settings: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ChannelRow:
    id: int
    platform: str
    external_id: str
    community_id: int | None
    name: str
    kind: str


@dataclass(frozen=True, slots=True)
class DatasetRow:
    id: int
    name: str
    kind: str
    source: str
    created_at: float


@dataclass(frozen=True, slots=True)
class NewItem:
    """An item to import. `media` is re-encoded image bytes or doodle stroke JSON."""

    kind: str
    source: str
    text: str | None = None
    candidate: str | None = None
    gold: str | None = None
    gold_explanation: str | None = None
    truth: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    media: bytes | None = None
    mime: str | None = None


@dataclass(frozen=True, slots=True)
class ItemRow:
    id: int
    dataset_id: int
    kind: str
    source: str
    text: str | None
    candidate: str | None
    gold: str | None
    gold_explanation: str | None
    truth: str | None
    meta: dict[str, Any]


@dataclass(frozen=True, slots=True)
class CampaignRow:
    id: int
    name: str
    game: str
    dataset_id: int
    question: str
    options: list[str]
    min_overlap: int
    max_overlap: int
    confidence: float
    gold_rate: float
    reward_multiplier: float
    status: str
    community_id: int | None
    created_by: str
    settings: dict[str, Any]
    created_at: float


@dataclass(frozen=True, slots=True)
class NewCampaign:
    name: str
    game: str
    dataset_id: int
    question: str
    options: list[str]
    min_overlap: int
    max_overlap: int
    confidence: float
    gold_rate: float
    reward_multiplier: float = 1.0
    status: str = "active"
    community_id: int | None = None
    created_by: str = ""
    settings: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RoundRow:
    id: int
    campaign_id: int
    item_id: int
    mode: str
    channel_id: int | None
    player_id: int | None
    platform: str
    message_ref: str | None
    status: str
    opened_at: float
    closes_at: float | None
    closed_at: float | None
    state: dict[str, Any]


@dataclass(frozen=True, slots=True)
class NewAnswer:
    campaign_id: int
    item_id: int
    player_id: int
    round_id: int | None
    label: str
    platform: str
    latency_ms: int | None
    created_at: float
    is_gold: bool = False
    correct: bool | None = None
    weight: float = 0.5
    flag: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    community_id: int | None = None
    """Where the answer's points count (its consensus bonus too)."""


@dataclass(frozen=True, slots=True)
class AnswerRow:
    id: int
    campaign_id: int
    item_id: int
    player_id: int
    round_id: int | None
    label: str
    platform: str
    latency_ms: int | None
    created_at: float
    is_gold: bool
    correct: bool | None
    weight: float
    flag: str | None
    extra: dict[str, Any]
    community_id: int | None = None


@dataclass(frozen=True, slots=True)
class TallyRow:
    """Live per-item aggregation. `counts`: label -> [answers, log-odds evidence]."""

    campaign_id: int
    item_id: int
    n_answers: int
    pending: int
    counts: dict[str, list[float]]
    label: str | None
    confidence: float | None
    agreement: float | None
    status: str
    finalized_at: float | None
    reviewed_label: str | None
    reviewed_by: str | None
    extra_overlap: int = 0
    """Answers this item may take beyond the campaign's max_overlap (grown by "send back")."""


@dataclass(frozen=True, slots=True)
class PlayerStatsRow:
    player_id: int
    points: int
    answers: int
    gold_answered: int
    gold_right: int
    settled: int
    agreed: int
    last_answer_at: float | None
    counters: dict[str, Any]


@dataclass(frozen=True, slots=True)
class LedgerEntryRow:
    id: int
    player_id: int
    created_at: float
    points: int
    kind: str
    reason: str
    answer_id: int | None
    campaign_id: int | None
    community_id: int | None


@dataclass(frozen=True, slots=True)
class NewLedgerEntry:
    player_id: int
    created_at: float
    points: int
    kind: str
    reason: str = ""
    answer_id: int | None = None
    campaign_id: int | None = None
    community_id: int | None = None


@dataclass(frozen=True, slots=True)
class Standing:
    """A player's record in one campaign (`player_campaign`): gold results, onboarding state
    and the counters of the spam rules. The rules that change it live in bot/core/quality.py."""

    player_id: int
    campaign_id: int
    answers: int = 0
    gold_answered: int = 0
    gold_right: int = 0
    onboarding: str = "pending"
    onboarding_answered: int = 0
    onboarding_right: int = 0
    onboarding_failed_at: float | None = None
    last_label: str | None = None
    same_run: int = 0
    flagged: int = 0
    flags: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class BoardRow:
    rank: int
    player_id: int
    display_name: str
    points: int


@dataclass(frozen=True, slots=True)
class CampaignCounts:
    items: int
    finalized: int
    review: int
    reviewed: int
    in_progress: int
    answers: int
    players: int
