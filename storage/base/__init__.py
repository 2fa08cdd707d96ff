"""The store as the engine sees it: one protocol per feature, composed into `Store`.

`storage.SqlStore` (SQLite or PostgreSQL) implements it; the engine types its store as
`Store` and writes an answer batch through the `AnswerUnit` that `answer_batch` yields.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Protocol

from storage.base.access import AccessStore
from storage.base.campaigns import CampaignStore
from storage.base.capture import CaptureStore
from storage.base.compare import CompareStore
from storage.base.content import ContentStore
from storage.base.contributions import ContributionStore
from storage.base.drawings import DrawingStore
from storage.base.events import EventStore, WebhookStore
from storage.base.insights import InsightsStore
from storage.base.intake import IntakeStore
from storage.base.play import PlayStore, StandingStore
from storage.base.players import PlayerStore, Recount, RecountUnit
from storage.base.quickdraw import QuickdrawStore
from storage.base.review import ReviewStore
from storage.base.rewards import BoardStore, RewardStore
from storage.base.translate import TranslateStore
from storage.base.unit import AnswerUnit, BoardWriting
from storage.base.web import WebStore

__all__ = [
    "AccessStore",
    "AnswerUnit",
    "BoardStore",
    "BoardWriting",
    "CampaignStore",
    "CaptureStore",
    "CompareStore",
    "ContentStore",
    "ContributionStore",
    "DrawingStore",
    "EventStore",
    "InsightsStore",
    "IntakeStore",
    "PlayStore",
    "PlayerStore",
    "QuickdrawStore",
    "Recount",
    "RecountUnit",
    "ReviewStore",
    "RewardStore",
    "StandingStore",
    "Store",
    "TranslateStore",
    "WebStore",
    "WebhookStore",
]


class Store(
    PlayerStore,
    ContentStore,
    PlayStore,
    StandingStore,
    BoardStore,
    RewardStore,
    ReviewStore,
    QuickdrawStore,
    CampaignStore,
    AccessStore,
    WebStore,
    InsightsStore,
    EventStore,
    WebhookStore,
    IntakeStore,
    DrawingStore,
    ContributionStore,
    TranslateStore,
    CaptureStore,
    CompareStore,
    Protocol,
):
    """The whole store: every feature's protocol, plus its life cycle."""

    @property
    def dialect(self) -> str:
        """`sqlite` or `postgres` (for reports and tooling; the engine never branches on it)."""
        ...

    async def open(self) -> None:
        """Connect, creating and migrating the database as needed."""
        ...

    async def close(self) -> None: ...

    def exclusive(self, key: str) -> AbstractAsyncContextManager[None]:
        """Mutual exclusion on `key` across every process sharing the database: an
        advisory lock on PostgreSQL, a process-local lock on SQLite (one process per file).
        Holds one pooled connection per key while held; keep the section short."""
        ...
