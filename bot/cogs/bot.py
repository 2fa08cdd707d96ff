"""The discord.py client: a `commands.AutoShardedBot` with one cog per feature and the
payload button.

- Intents: `Intents.default()` without the privileged members and presences; message
  content only when `[discord] message_content` is true. Every feature works through
  slash commands and buttons, so no privileged intent is needed.
- Shards: `[discord] shard_count` 0 lets Discord choose the count (`GET /gateway/bot`) and
  runs every shard here; otherwise this process runs `shard_ids` (empty: all) of
  `shard_count`. Discord routes a server's events to shard `(server_id >> 22) % count` and DMs
  to shard 0. `on_ready` fires once every shard of this process is ready.
- REST only (`[discord] gateway = false`): the adapter calls `login` alone, so `setup_hook`
  runs (cogs added, the port attached to the delivery layer) but no gateway session opens,
  no event arrives and the commands are not synced.
- Commands are synced at start, by the process that runs shard 0 (or all shards) over the
  gateway only, so N processes sync once: to each of `[discord] dev_guild_ids` (instant, for
  development: the global commands are copied there) or globally (Discord propagates those
  within an hour).
- `tracked()` marks handlers in flight, so a stop lets them finish before closing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs import errors, flow, refs, unclaimed
from bot.cogs.apistats import api_trace
from bot.cogs.boards import BoardsCog
from bot.cogs.buttons import PayloadButton
from bot.cogs.features import features
from bot.cogs.identify import IdentifyGate
from bot.cogs.play import PlayCog
from bot.cogs.players import PlayersCog
from bot.cogs.port import DiscordPort
from bot.config import Settings
from bot.core.engine import Engine
from bot.core.kernel.models import PlayerRef
from bot.delivery import Delivery, Pacer

log = logging.getLogger(__name__)

ClickHook = Callable[[discord.Interaction[Any], str], Awaitable[None]]

#: What the bot needs in a channel: see it, post and answer in it and its threads, show
#: embeds with attached images (task cards, rank cards, boards) and read the round it edits.
#: Editing its own messages needs no permission; no moderation permission is asked for.
INVITE_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    embed_links=True,
    attach_files=True,
    read_message_history=True,
)
INVITE_SCOPES = ("bot", "applications.commands")


def invite_url(application_id: int) -> str:
    """The link that adds the bot to a server with the scopes and permissions it needs."""
    return discord.utils.oauth_url(
        application_id, permissions=INVITE_PERMISSIONS, scopes=INVITE_SCOPES
    )


def intents_for(settings: Settings) -> discord.Intents:
    intents = discord.Intents.default()
    intents.members = False
    intents.presences = False
    intents.message_content = settings.discord.message_content
    return intents


class LabelQuestTree(app_commands.CommandTree["LabelQuestBot"]):
    async def on_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        await errors.on_app_command_error(interaction, error, self.client.engine)


class LabelQuestBot(commands.AutoShardedBot):
    def __init__(self, engine: Engine, settings: Settings, delivery: Delivery) -> None:
        d = settings.discord
        shards: dict[str, Any] = {"shard_ids": list(d.shard_ids)} if d.shard_ids else {}
        super().__init__(
            # None: discord.py asks GET /gateway/bot for the count and runs every shard
            shard_count=d.shard_count or None,
            **shards,
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=intents_for(settings),
            tree_cls=LabelQuestTree,
            guild_ready_timeout=settings.discord.guild_ready_timeout,
            # display names end up in public posts (level-ups, weekly winners, round
            # results): a player called "@everyone" must not ping the channel
            allowed_mentions=discord.AllowedMentions.none(),
            http_trace=api_trace(),  # platform API errors and retries, for /metrics
        )
        self.engine = engine
        self.settings = settings
        self.delivery = delivery
        self.binder = delivery.binder(refs.PLATFORM)  # round cards bound here reach the editor
        # payload action -> handler that answers the click itself (e.g. opens a modal)
        self.click_hooks: dict[str, ClickHook] = {}
        self.ready_once = asyncio.Event()
        self._in_flight: set[asyncio.Task[Any]] = set()
        self.identify_gate = IdentifyGate(engine)

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Every IDENTIFY waits for its turn over all processes (`bot.cogs.identify`)."""
        await self.identify_gate.before(shard_id)

    async def close(self) -> None:
        await self.identify_gate.close()
        await super().close()

    async def setup_hook(self) -> None:
        for cog in (PlayersCog(self), PlayCog(self), BoardsCog(self)):
            await self.add_cog(cog)
        for feature in features():
            await self.add_cog(feature.make_cog(self))
        self.add_dynamic_items(PayloadButton)
        # round edits: at most one per channel per [discord] edit_interval; at shutdown the
        # queued ones go out at once (Discord's own rate limits are answered by discord.py)
        pacer = Pacer(self.settings.discord.edit_interval)
        self.delivery.attach(DiscordPort(self, self.binder), pacer, hurry_at_close=True)
        await self.sync_commands()

    async def sync_commands(self) -> None:
        """Sync the command tree, once over all processes: by shard 0's process only."""
        if not self.settings.discord.gateway:
            log.info("Discord: REST only ([discord] gateway = false): commands are not synced")
            return
        if not self.settings.discord.syncs_commands:
            log.info(
                "Discord: running shards %s of %d; the process running shard 0 syncs the "
                "slash commands",
                self.settings.discord.shard_ids,
                self.settings.discord.shard_count,
            )
            return
        guild_ids = self.settings.discord.dev_guild_ids
        if not guild_ids:
            synced = await self.tree.sync()
            log.info("synced %d global slash commands", len(synced))
            return
        for guild_id in guild_ids:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d slash commands to guild %s", len(synced), guild_id)

    async def on_ready(self) -> None:
        log.info(
            "Discord: connected as %s (%d guilds on shards %s of %s)",
            self.user,
            len(self.guilds),
            sorted(self.shards),
            self.shard_count,
        )
        if self.application_id is not None:
            log.info("Discord: invite link: %s", invite_url(self.application_id))
        self.ready_once.set()

    def dispatch(self, event_name: str, /, *args: Any, **kwargs: Any) -> None:
        """discord.py's event dispatch, plus `unclaimed_interaction` for a component press or
        modal submission nothing routes to (see `bot/cogs/unclaimed.py`)."""
        super().dispatch(event_name, *args, **kwargs)
        interaction = args[0] if event_name == "interaction" and args else None
        if isinstance(interaction, discord.Interaction) and unclaimed.is_unclaimed(
            interaction, self._connection._view_store
        ):
            super().dispatch(unclaimed.EVENT, interaction)

    async def on_unclaimed_interaction(self, interaction: discord.Interaction[Any]) -> None:
        with self.tracked():
            await unclaimed.answer(interaction, self.engine)

    def player_ref(self, interaction: discord.Interaction[Any]) -> PlayerRef:
        return refs.player_ref(interaction, self.settings.discord.moderator_role)

    async def handle_click(self, interaction: discord.Interaction[Any], payload: str) -> None:
        hook = self.click_hooks.get(payload.split(":")[1] if payload.count(":") else "")
        if hook is not None:
            await hook(interaction, payload)
            return
        await flow.run_click(self, interaction, payload)

    @contextlib.contextmanager
    def tracked(self) -> Iterator[None]:
        task = asyncio.current_task()
        if task is not None:
            self._in_flight.add(task)
        try:
            yield
        finally:
            if task is not None:
                self._in_flight.discard(task)

    async def finish_in_flight(self, timeout: float) -> None:  # noqa: ASYNC109
        """Let running handlers finish (a followup cut off by close would be lost), then
        make the queued round edits and notices."""
        here = asyncio.current_task()
        busy = [t for t in self._in_flight if t is not here and not t.done()]
        if busy:
            await asyncio.wait(busy, timeout=timeout)
        await self.delivery.detach(refs.PLATFORM, timeout)
