"""Rows of the dashboard's read models (`storage.store_insights`): plain values only."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ContributorRow:
    """One player's work in one campaign: answers, gold items answered and right, the
    time of their last answer and their points in the campaign. `display_name` and
    `hidden` (chose /privacy) let the caller decide whether to name them."""

    player_id: int
    display_name: str
    hidden: bool
    answers: int
    gold_answered: int
    gold_right: int
    last_at: float
    points: int


@dataclass(frozen=True, slots=True)
class ItemListRow:
    """One item of a campaign with its live tally: `status` is the tally's (open, review,
    finalized, reviewed), `label` the expert's label when reviewed else the crowd's,
    `gold` the campaign's gold answer (None: not gold)."""

    item_id: int
    kind: str
    text: str | None
    candidate: str | None
    source: str
    status: str
    label: str | None
    confidence: float | None
    n_answers: int
    gold: str | None


@dataclass(frozen=True, slots=True)
class ItemAnswerRow:
    """One answer to an item, with the answering player's name and privacy choice."""

    player_id: int
    display_name: str
    hidden: bool
    label: str
    created_at: float
    is_gold: bool
    correct: bool | None
    weight: float
    flag: str | None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One moderator or admin action from either log: `source` is `audit` (`audit_log`:
    campaign changes, schedules, tokens, time zones) or `review` (`review_log`: expert
    labels, gold promotions, standing resets). `player_id` is the player a review action
    was about (None otherwise)."""

    source: str
    id: int
    at: float
    actor: str
    action: str
    target: str
    campaign_id: int | None
    item_id: int | None
    player_id: int | None
    detail: str
