"""The process: builds the store, the engine, the scheduler and the chat adapters, and runs
them in ONE asyncio event loop. Resources open in order and close in reverse.

Discord starts when the environment variable named by `[discord] token_env` is set,
Telegram when `[telegram] token_env` is set; both run side by side when both are. The web
side (`bot.web`) starts when `[web] enabled` is true, after the bots, and stops before them.

Several processes may serve one PostgreSQL store; the scheduler runs only in the one holding
the leader lock (`bot.scheduler.Leadership`). A SQLite file is served by one process only: a
second one is refused at start (`storage.SqliteProcessLock`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from typing import Protocol

from bot.config import Settings
from bot.core.engine import Engine
from bot.core.kernel.clock import Clock
from bot.core.kernel.events import EventBus
from bot.core.kernel.models import Reply
from bot.delivery import Delivery
from bot.roster import EligibleLock, Roster
from bot.scheduler import Leadership, Scheduler
from bot.web.app import WebAdapter
from storage import (
    LeaderLock,
    SqliteProcessLock,
    SqlStore,
    open_store,
    read_meta,
    sqlite_file,
    write_meta,
)

log = logging.getLogger(__name__)

WEBHOOK_META = "telegram.webhook"
"""The `meta` key of the fingerprint of the Telegram webhook the last leader set."""
WEBHOOK_CHECK_SECONDS = 300.0
"""How often the leader checks that Telegram's webhook is still the one configured."""


class EngineCases:
    """`bot.delivery.DeliveryCases` over the composed engine (use cases live in features)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @property
    def bus(self) -> EventBus:
        return self._engine.bus

    async def round_card(self, round_id: int) -> Reply:
        return await self._engine.play.round_card(round_id)

    async def round_message_ref(self, round_id: int) -> str | None:
        return await self._engine.play.round_message_ref(round_id)

    async def player_identities(self, player_id: int) -> list[tuple[str, str]]:
        return await self._engine.players.player_identities(player_id)

    async def bind_round_message(self, round_id: int, message_ref: str) -> None:
        await self._engine.play.bind_round_message(round_id, message_ref)


class Adapter(Protocol):
    platform: str

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class NoPlatform(Exception):
    """Neither bot token is set."""


class App:
    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock | None = None,
        environ: dict[str, str] | None = None,
        scheduler: bool = True,
        bots: bool = True,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.env = dict(os.environ if environ is None else environ)
        self.use_scheduler = scheduler
        self.use_bots = bots
        """False (`run.py web`): no chat adapter starts whatever tokens are set, and the
        start-up rewards pass is left to a process with bots, which can announce it."""
        self.store: SqlStore | None = None
        self.engine: Engine | None = None
        self.delivery: Delivery | None = None
        self.scheduler: Scheduler | None = None
        """The running jobs; set only while this process is the scheduler leader."""
        self.leadership: Leadership | None = None
        self.process_lock: SqliteProcessLock | None = None
        self.adapters: list[Adapter] = []
        self.web: WebAdapter | None = None
        """The web side, while `[web] enabled` and started (kept out of `adapters`: it is
        no chat platform, and the roster counts platforms)."""

    def tokens(self) -> dict[str, str]:
        """Bot tokens found in the environment, by platform (never logged)."""
        found = {}
        for platform, env_name in (
            ("telegram", self.settings.telegram.token_env),
            ("discord", self.settings.discord.token_env),
        ):
            value = self.env.get(env_name, "").strip()
            if value:
                found[platform] = value
        return found

    @property
    def is_leader(self) -> bool:
        """Whether this process runs the scheduler now (always, alone on SQLite)."""
        return self.leadership is not None and self.leadership.is_leader

    async def start(self, *, require_platform: bool = True) -> None:
        """Open everything in order. On SQLite the file's process lock comes first, so a
        second process on the same file stops here with a clear message (`AlreadyServing`)
        before it touches the database."""
        tokens = self.tokens() if self.use_bots else {}
        if require_platform and not tokens:
            raise NoPlatform(
                f"No bot token: set {self.settings.telegram.token_env} (Telegram) and/or "
                f"{self.settings.discord.token_env} (Discord). To try LabelQuest without a "
                "bot, run: python run.py demo"
            )
        s = self.settings
        db_file = sqlite_file(s.database.url)
        if db_file is not None:
            self.process_lock = SqliteProcessLock(db_file)
            self.process_lock.acquire()
        try:
            self.store = await open_store(
                s.database.url,
                password=self.env.get(s.database.password_env) or None,
                pool_size=s.database.pool_size,
                sqlite_synchronous=s.database.sqlite_synchronous,
            )
            self.engine = Engine(self.store, s, self.clock)
            self.delivery = Delivery(EngineCases(self.engine))  # adapters attach their ports
            self.delivery.start()
            if self.use_bots:
                # retroactive badges, before answers can arrive (one process at a time:
                # `RewardJobs.start_rewards` runs under the store's lock `rewards.start`)
                await self.engine.reward_jobs.start_rewards()
            for platform, token in tokens.items():
                adapter = self._make_adapter(platform, token)
                await adapter.start()
                self.adapters.append(adapter)
                log.info("%s bot started", platform)
            # the start-up notices, now that the adapters listen
            self.engine.reward_jobs.publish_pending()
            if s.web.enabled:
                self.web = WebAdapter(
                    self.engine,
                    s.web,
                    is_leader=lambda: self.is_leader,
                    webhooks=s.webhooks,
                    telegram_token=self.tokens().get("telegram", ""),
                )
                await self.web.start()
            if self.use_scheduler:
                every = s.scheduler.failover_seconds
                lock = LeaderLock(self.store, failover_seconds=every)
                roster = Roster(self.store, [a.platform for a in self.adapters], 6 * every + 30)
                self.leadership = Leadership(
                    EligibleLock(lock, roster), every, self._lead, self._follow
                )
                await self.leadership.start()
        except BaseException:
            await self.stop()
            raise

    async def _lead(self) -> None:
        """This process won the scheduler lock: start the jobs, then the Telegram webhook."""
        assert self.engine is not None
        s = self.settings
        scheduler = Scheduler(s.scheduler.timezone)
        scheduler.every(s.scheduler.tick_seconds, self.engine.tick, "tick")
        scheduler.every(60, self.engine.reward_jobs.rewards_tick, "rewards")
        if s.telegram.mode == "webhook":  # a failed setWebhook is retried; a set one costs
            scheduler.every(WEBHOOK_CHECK_SECONDS, self._ensure_webhook, "webhook")  # one read
        scheduler.start()
        self.scheduler = scheduler
        await self._ensure_webhook()

    async def _follow(self) -> None:
        """This process lost (or gives up) the scheduler lock: no new job runs from now."""
        scheduler, self.scheduler = self.scheduler, None
        if scheduler is not None:
            await scheduler.stop()

    async def _ensure_webhook(self) -> None:
        """Only the leader registers the Telegram webhook (`setWebhook`), and only when what
        it would set differs from the fingerprint recorded in the store by the last leader."""
        if self.settings.telegram.mode != "webhook":
            return
        for adapter in self.adapters:
            ensure = getattr(adapter, "ensure_webhook", None)
            if adapter.platform != "telegram" or ensure is None or self.store is None:
                continue
            try:
                recorded = await read_meta(self.store, WEBHOOK_META)
                fingerprint = await ensure(recorded)
                if fingerprint is not None and fingerprint != recorded:
                    await write_meta(self.store, WEBHOOK_META, fingerprint)
            except Exception:
                log.exception(
                    "setting the Telegram webhook failed; the leader tries again in %.0f s",
                    WEBHOOK_CHECK_SECONDS,
                )

    def _make_adapter(self, platform: str, token: str) -> Adapter:
        assert self.engine is not None and self.delivery is not None
        if platform == "telegram":
            from bot.tg.app import TelegramAdapter

            secret = self.env.get(self.settings.telegram.webhook_secret_env)
            return TelegramAdapter(
                self.engine, self.settings, token, self.delivery, webhook_secret=secret
            )
        from bot.cogs.app import DiscordAdapter

        return DiscordAdapter(self.engine, self.settings, token, self.delivery)

    async def stop(self) -> None:
        """Stop in reverse order; queued answers are committed before the store closes."""
        if self.leadership is not None:
            await self.leadership.stop()
            self.leadership = None
        await self._follow()
        web, self.web = self.web, None
        if web is not None:
            await web.stop()
        for adapter in reversed(self.adapters):
            try:
                await adapter.stop()
            except Exception:
                log.exception("stopping the %s bot failed", adapter.platform)
        self.adapters.clear()
        if self.delivery is not None:
            await self.delivery.close()
            self.delivery = None
        if self.engine is not None:
            await self.engine.close()
            self.engine = None
        if self.store is not None:
            await self.store.close()
            self.store = None
        if self.process_lock is not None:
            self.process_lock.release()
            self.process_lock = None

    async def run_forever(self, *, require_platform: bool = True) -> None:
        """Start, run until Ctrl-C or SIGTERM, then shut down cleanly."""
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):  # Windows
                loop.add_signal_handler(sig, stop.set)
        await self.start(require_platform=require_platform)
        log.info("LabelQuest is running; Ctrl-C or SIGTERM stops it")
        try:
            await stop.wait()
        finally:
            log.info("shutting down")
            await self.stop()
