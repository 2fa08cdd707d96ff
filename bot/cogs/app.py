"""The Discord adapter as the process sees it: `start()` and `stop()` in the shared loop.

- `start()` points discord.py at the configured endpoints, creates the bot and runs
  `bot.start(token)` as a task (never `bot.run`, which would take over the event loop), then
  waits until the bot is ready or the task fails. A failure is re-raised as it came (e.g.
  `LoginFailure`, `PrivilegedIntentsRequired`) with a note saying what to do, after cleaning
  up, so the process can stop cleanly.
- The task is watched: if it ends while the adapter is running (the gateway refused the
  session, a parser crashed), that is logged once at ERROR with what to check.
- `stop()` lets in-flight interactions finish, makes queued round edits, closes the bot and
  restores the endpoints.
- REST only (`[discord] gateway = false`): `start()` awaits `bot.login(token)` alone (the
  token is checked, the bot user and application id are fetched, `setup_hook` attaches the
  port to the delivery layer) and returns; `connect()` is never called, so there is no
  gateway session, no event and no command sync. Posts, card edits and DMs go through REST
  by id, as in gateway mode. `stop()` makes the queued edits and closes the HTTP session.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import discord

from bot.cogs import endpoints
from bot.cogs.bot import LabelQuestBot
from bot.config import Settings
from bot.core.engine import Engine
from bot.delivery import Delivery

log = logging.getLogger(__name__)

READY_TIMEOUT = 60.0
#: Gateway close codes about sharding (Discord's documentation names them so).
#: discord.py waits this long before each IDENTIFY after a process's first (Discord allows
#: one per 5 s per bot), so a process running k shards is ready 5 * (k - 1) s later.
IDENTIFY_SPACING = 5.0
SHARD_CLOSE_CODES = {4010: "4010 Invalid shard", 4011: "4011 Sharding required"}
DRAIN_TIMEOUT = 5.0


class DiscordAdapter:
    platform = "discord"

    def __init__(self, engine: Engine, settings: Settings, token: str, delivery: Delivery) -> None:
        self.engine = engine
        self.settings = settings
        self.delivery = delivery
        self._token = token
        self.bot: LabelQuestBot | None = None
        self.task: asyncio.Task[None] | None = None
        self._saved: endpoints.Endpoints | None = None
        self._stopping = False

    def __repr__(self) -> str:  # the token stays out of reprs and logs
        running = self.task is not None and not self.task.done()
        state = "running" if running or (self.bot is not None and self.task is None) else "stopped"
        return f"<DiscordAdapter {state}>"

    async def start(self, *, ready_timeout: float = READY_TIMEOUT) -> None:
        self._stopping = False
        self._saved = endpoints.apply(self.settings.discord)
        self.bot = LabelQuestBot(self.engine, self.settings, self.delivery)
        if not self.settings.discord.gateway:
            await self._login_only(ready_timeout)
            return
        ready_timeout += IDENTIFY_SPACING * (_local_shards(self.settings) - 1)
        self.task = asyncio.create_task(self.bot.start(self._token), name="discord-bot")
        ready = asyncio.create_task(self.bot.ready_once.wait(), name="discord-bot-ready")
        try:
            await asyncio.wait(
                {self.task, ready}, timeout=ready_timeout, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            ready.cancel()
        if self.bot.ready_once.is_set() and not self.task.done():
            self.task.add_done_callback(self._on_task_done)
            return
        problem = self._start_problem(ready_timeout)
        await self._shutdown()
        raise problem

    async def _login_only(self, timeout: float) -> None:  # noqa: ASYNC109
        """REST only: log in (no gateway); a failure is re-raised with a note, cleaned up."""
        assert self.bot is not None
        try:
            await asyncio.wait_for(self.bot.login(self._token), timeout)
        except TimeoutError:
            await self._shutdown()
            raise TimeoutError(
                f"Discord: the REST login did not finish within {timeout:.0f} s "
                f"({self._where()}); check the network and [discord] api_base."
            ) from None
        except Exception as exc:
            exc.add_note(_hint(exc, self.settings))
            await self._shutdown()
            raise
        log.info(
            "Discord: logged in as %s over REST only ([discord] gateway = false): this "
            "process posts, edits and sends DMs but opens no gateway session",
            self.bot.user,
        )

    def _start_problem(self, ready_timeout: float) -> BaseException:
        assert self.task is not None
        if not self.task.done():
            return TimeoutError(
                f"Discord: the bot was not ready within {ready_timeout:.0f} s "
                f"({self._where()}); check the network and [discord] gateway_url."
            )
        exc = self.task.exception() if not self.task.cancelled() else None
        if exc is None:
            return RuntimeError(f"Discord: the connection closed before ready ({self._where()})")
        exc.add_note(_hint(exc, self.settings))
        return exc

    def _where(self) -> str:
        d = self.settings.discord
        return f"api_base={d.api_base or 'Discord'}, gateway_url={d.gateway_url or 'Discord'}"

    def _on_task_done(self, task: asyncio.Task[None]) -> None:
        if self._stopping or task.cancelled():
            return
        exc = task.exception()
        log.error(
            "Discord: the bot stopped unexpectedly (%s); Discord is offline until LabelQuest "
            "restarts. %s",
            self._where(),
            _hint(exc, self.settings) if exc is not None else "The gateway closed the session.",
            exc_info=exc,
        )

    async def stop(self) -> None:
        self._stopping = True
        bot = self.bot
        if bot is not None and not bot.is_closed():
            await bot.finish_in_flight(DRAIN_TIMEOUT)
        await self._shutdown()

    async def _shutdown(self) -> None:
        self._stopping = True
        if self.bot is not None:
            await self.delivery.detach(self.platform, DRAIN_TIMEOUT)
            await self.bot.close()
        if self.task is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(asyncio.shield(self.task), DRAIN_TIMEOUT)
        if self._saved is not None:
            endpoints.restore(self._saved)
            self._saved = None
        self.bot = None
        self.task = None


def _local_shards(settings: Settings) -> int:
    """How many shards this process runs (1 when Discord chooses the count)."""
    d = settings.discord
    return len(d.shard_ids) or d.shard_count or 1


def _hint(exc: BaseException, settings: Settings) -> str:
    """What to do about a start or connection failure, in one sentence."""
    env = settings.discord.token_env
    if isinstance(exc, discord.PrivilegedIntentsRequired):
        return (
            "Discord refused a privileged intent: [discord] message_content = true needs the "
            "Message Content intent switched on in the Developer Portal (Bot > Privileged "
            "Gateway Intents); or set it to false."
        )
    if isinstance(exc, discord.LoginFailure) or (
        isinstance(exc, discord.ConnectionClosed) and exc.code == 4004
    ):
        return f"Discord rejected the bot token: check the value of ${env}."
    if isinstance(exc, discord.ConnectionClosed) and exc.code in SHARD_CLOSE_CODES:
        d = settings.discord
        return (
            f"Discord refused the shard ({SHARD_CLOSE_CODES[exc.code]}): check [discord] "
            f"shard_count ({d.shard_count}) and shard_ids ({d.shard_ids}), or --shard-count "
            "and --shards; shard_count must be at least the count Discord requires."
        )
    if isinstance(exc, discord.HTTPException | OSError):
        return "Discord could not be reached: check the network and [discord] api_base."
    return f"Unexpected {type(exc).__name__}: {exc}"
