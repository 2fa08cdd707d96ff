"""The process: builds the store, the engine, the scheduler and the chat adapters, and runs
them in ONE asyncio event loop. Resources open in order and close in reverse.

Discord starts when the environment variable named by `[discord] token_env` is set,
Telegram when `[telegram] token_env` is set; both run side by side when both are.
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
from bot.scheduler import Scheduler
from storage import SqlStore, open_store

log = logging.getLogger(__name__)


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
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.env = dict(os.environ if environ is None else environ)
        self.use_scheduler = scheduler
        self.store: SqlStore | None = None
        self.engine: Engine | None = None
        self.delivery: Delivery | None = None
        self.scheduler: Scheduler | None = None
        self.adapters: list[Adapter] = []

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

    async def start(self, *, require_platform: bool = True) -> None:
        tokens = self.tokens()
        if require_platform and not tokens:
            raise NoPlatform(
                f"No bot token: set {self.settings.telegram.token_env} (Telegram) and/or "
                f"{self.settings.discord.token_env} (Discord). To try LabelQuest without a "
                "bot, run: python run.py demo"
            )
        s = self.settings
        self.store = await open_store(
            s.database.url,
            password=self.env.get(s.database.password_env) or None,
            pool_size=s.database.pool_size,
            sqlite_synchronous=s.database.sqlite_synchronous,
        )
        self.engine = Engine(self.store, s, self.clock)
        self.delivery = Delivery(EngineCases(self.engine))  # adapters attach their ports to it
        self.delivery.start()
        try:
            await (
                self.engine.reward_jobs.start_rewards()
            )  # retroactive badges, before answers can arrive
            for platform, token in tokens.items():
                adapter = self._make_adapter(platform, token)
                await adapter.start()
                self.adapters.append(adapter)
                log.info("%s bot started", platform)
            # the start-up notices, now that the adapters listen
            self.engine.reward_jobs.publish_pending()
            if self.use_scheduler:
                self.scheduler = Scheduler(s.scheduler.timezone)
                self.scheduler.every(s.scheduler.tick_seconds, self.engine.tick, "tick")
                self.scheduler.every(60, self.engine.reward_jobs.rewards_tick, "rewards")
                self.scheduler.start()
        except BaseException:
            await self.stop()
            raise

    def _make_adapter(self, platform: str, token: str) -> Adapter:
        assert self.engine is not None and self.delivery is not None
        if platform == "telegram":
            from bot.tg.app import TelegramAdapter

            return TelegramAdapter(self.engine, self.settings, token, self.delivery)
        from bot.cogs.app import DiscordAdapter

        return DiscordAdapter(self.engine, self.settings, token, self.delivery)

    async def stop(self) -> None:
        """Stop in reverse order; queued answers are committed before the store closes."""
        if self.scheduler is not None:
            await self.scheduler.stop()
            self.scheduler = None
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

    async def run_forever(self) -> None:
        """Start, run until Ctrl-C or SIGTERM, then shut down cleanly."""
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):  # Windows
                loop.add_signal_handler(sig, stop.set)
        await self.start()
        log.info("LabelQuest is running; Ctrl-C or SIGTERM stops it")
        try:
            await stop.wait()
        finally:
            log.info("shutting down")
            await self.stop()
