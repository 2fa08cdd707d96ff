"""Discord's port for the delivery layer (`bot.delivery.ChatPort`): send, DM, edit.

Rules: a channel post is a public message the bot can edit for as long as the round lasts
(`render.post_in_channel` binds a round card); a private message goes to the player's DM
channel; a round-card edit replaces text, embed and buttons and keeps the attached image.
Discord's refusals are its `HTTPException`s (missing access, DMs closed, unknown message).

Sharding rule: every call goes through REST by id (`get_partial_messageable`, `create_dm`),
never through the guild or channel cache, which holds only this process's shards. So any
process, e.g. the scheduler's leader, posts and edits round cards in any server.
"""

from __future__ import annotations

import discord

from bot.cogs import render
from bot.cogs.refs import PLATFORM
from bot.core.kernel.models import Reply
from bot.delivery import Binder, MessageRef


class DiscordPort:
    platform = PLATFORM
    toast_limit = render.CONTENT_MAX  # a "toast" is an ephemeral message on Discord
    refusals: tuple[type[BaseException], ...] = (discord.HTTPException,)

    def __init__(self, client: discord.Client, binder: Binder) -> None:
        self.client = client
        self.binder = binder

    async def send(self, channel_id: int, reply: Reply) -> None:
        channel = self.client.get_partial_messageable(channel_id)
        await render.post_in_channel(channel, channel_id, reply, self.binder)

    async def send_private(self, user_id: int, reply: Reply) -> None:
        dm = await self.client.create_dm(discord.Object(user_id))
        await render.post_in_channel(dm, dm.id, reply, self.binder)

    async def edit(self, ref: MessageRef, card: Reply) -> None:
        out = render.build(card, with_files=False)
        channel = self.client.get_partial_messageable(ref.channel)
        await channel.get_partial_message(ref.message).edit(**out.edit_kwargs())
