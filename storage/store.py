"""The SQL store: one implementation of every query over either driver."""

from __future__ import annotations

import logging
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING

from storage.base import Store
from storage.driver import Driver, StoreError, redact_url
from storage.migrate import migrate
from storage.postgres import PostgresDriver
from storage.sqlite import SqliteDriver
from storage.store_boards import BoardsMixin
from storage.store_campaigns import CampaignsMixin
from storage.store_capture import CaptureMixin
from storage.store_compare import CompareMixin
from storage.store_content import ContentMixin
from storage.store_contributions import ContributionsMixin
from storage.store_drawings import DrawingsMixin
from storage.store_events import EventsMixin
from storage.store_insights import InsightsMixin
from storage.store_intake import IntakeMixin
from storage.store_play import PlayMixin, StandingsMixin
from storage.store_players import PlayersMixin
from storage.store_quickdraw import QuickdrawMixin
from storage.store_review import ReviewMixin
from storage.store_rewards import RewardsMixin
from storage.store_tokens import TokensMixin
from storage.store_translate import TranslateMixin
from storage.store_web import WebMixin
from storage.store_webhooks import WebhooksMixin

log = logging.getLogger(__name__)


class SqlStore(
    PlayersMixin,
    ContentMixin,
    PlayMixin,
    StandingsMixin,
    BoardsMixin,
    RewardsMixin,
    ReviewMixin,
    QuickdrawMixin,
    CampaignsMixin,
    TokensMixin,
    WebMixin,
    InsightsMixin,
    EventsMixin,
    WebhooksMixin,
    IntakeMixin,
    DrawingsMixin,
    ContributionsMixin,
    TranslateMixin,
    CaptureMixin,
    CompareMixin,
):
    """The shared store over SQLite or PostgreSQL: implements `storage.base.Store`."""

    @property
    def dialect(self) -> str:
        return self.db.dialect

    async def open(self) -> None:
        await self.db.open()
        applied = await migrate(self.db)
        if applied:
            log.info("database migrated: %s", ", ".join(applied))

    async def close(self) -> None:
        await self.db.close()

    def exclusive(self, key: str) -> AbstractAsyncContextManager[None]:
        """Mutual exclusion on `key` across every process sharing this database (see
        `storage.locks`: an advisory lock on PostgreSQL, the process-local lock on SQLite)."""
        return self.db.exclusive(key)


def is_postgres_url(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


def make_driver(
    url: str,
    *,
    password: str | None = None,
    pool_size: int = 10,
    sqlite_synchronous: str = "full",
) -> Driver:
    """A driver for a SQLite path (or `sqlite:///path`) or a `postgresql://` URL;
    `sqlite_synchronous` is SQLite's durability level (`storage.sqlite.SYNCHRONOUS`)."""
    if is_postgres_url(url):
        return PostgresDriver(url, password=password, pool_size=pool_size)
    if url.startswith("sqlite:///"):
        url = url[len("sqlite:///") :]
    if "://" in url:
        raise StoreError(
            f"unsupported database URL {redact_url(url)}: use a SQLite file path "
            "or a postgresql:// URL"
        )
    return SqliteDriver(url, sqlite_synchronous)


async def open_store(
    url: str,
    *,
    password: str | None = None,
    pool_size: int = 10,
    sqlite_synchronous: str = "full",
) -> SqlStore:
    """Open (creating and migrating as needed) the store at `url`."""
    driver = make_driver(
        url, password=password, pool_size=pool_size, sqlite_synchronous=sqlite_synchronous
    )
    store = SqlStore(driver)
    await store.open()
    return store


if TYPE_CHECKING:  # mypy checks here that SqlStore implements the whole protocol
    _implements: Store = SqlStore(SqliteDriver(":memory:"))
