"""Reply -> Discord message, and the ways a reply reaches a player.

Layout rule: a reply with an image (photo or GIF) is an embed whose description is the text
and whose image is the attached file (`attachment://item-N.png`, alt text as the attachment
description); a text reply is plain content (<= 2000 chars, else an embed description,
<= 4096). Buttons become `PayloadButton`s (one row per choice row, label <= 80 chars) in a
view that is stopped before sending: nothing is kept in memory per message, every click is
routed by the DynamicItem template alone, so buttons work after a restart.

Delivery rule (after the interaction was deferred, see `base.FeatureCog.run` and
`buttons.PayloadButton.callback`): each reply of the `then` chain is, in order,
- `replace` on a button press: an edit of the clicked message (text, embed, buttons; the
  attachment stays when the reply has no new media), unless that message is public and the
  reply is private, which would leak it: then it is a private followup;
- otherwise a followup, private when `ephemeral` (the first followup after a "thinking"
  defer fills that deferred message and keeps its visibility, as Discord does);
- a `notice` is sent as a private followup only when the reply edited a card and did not
  already say it; a public card with a `round_id` is bound to its round (private cards are
  not: only their interaction token could edit them, and only for 15 minutes).
Files larger than the interaction's upload limit are named in the text instead of sent.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import discord

from bot.cogs.buttons import PayloadButton
from bot.core.kernel.models import Choice, Media, Reply, Select
from bot.delivery import Binder, MessageRef, clip

log = logging.getLogger(__name__)

CONTENT_MAX = 2000
EMBED_MAX = 4096
IMAGE_KINDS = ("photo", "animation")
SELECT_PREFIX = "lq:select:"  # a multi-select menu's custom_id: the prefix and its feature


@dataclass
class Rendered:
    """Keyword arguments for a Discord send or edit."""

    content: str | None = None
    embed: discord.Embed | None = None
    files: list[discord.File] = field(default_factory=list)
    view: discord.ui.View | None = None
    too_large: list[str] = field(default_factory=list)

    def send_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {}
        if self.content is not None:
            kwargs["content"] = self.content
        if self.embed is not None:
            kwargs["embed"] = self.embed
        if self.files:
            kwargs["files"] = self.files
        if self.view is not None:
            kwargs["view"] = self.view
        return kwargs

    def edit_kwargs(self) -> dict[str, Any]:
        """Every visible part is set, so nothing of the old message lingers; attachments are
        only replaced when the reply brings new ones."""
        kwargs: dict[str, Any] = {"content": self.content, "embed": self.embed, "view": self.view}
        if self.files:
            kwargs["attachments"] = self.files
        return kwargs


def build(
    reply: Reply,
    *,
    keep_image: str | None = None,
    with_files: bool = True,
    size_limit: int | None = None,
) -> Rendered:
    """Render one reply. `keep_image` is the image URL to keep when the reply has no image of
    its own (an edit that replaces a card's text); `with_files=False` renders an edit that
    keeps the message's attachments (round card updates)."""
    out = Rendered(view=view_for(reply.choices, reply.select))
    media = reply.media
    image_url = keep_image
    attachments: list[Media] = list(reply.files)
    if media is not None and media.kind in IMAGE_KINDS:
        image_url = f"attachment://{media.filename}"
        attachments.insert(0, media)
    elif media is not None:
        attachments.insert(0, media)
    if with_files:
        for item in attachments:
            if size_limit is not None and len(item.data) > size_limit:
                out.too_large.append(item.filename)
                continue
            out.files.append(as_file(item))
    text = reply.text or "…"
    if out.too_large:
        text += "\n\n(" + ", ".join(out.too_large) + " is too large to attach on Discord.)"
    if image_url is not None or len(text) > CONTENT_MAX:
        out.embed = discord.Embed(description=clip(text, EMBED_MAX))
        if image_url is not None:
            out.embed.set_image(url=image_url)
    else:
        out.content = text
    return out


def as_file(media: Media) -> discord.File:
    return discord.File(io.BytesIO(media.data), media.filename, description=media.alt_text or None)


def view_for(
    choices: Sequence[Sequence[Choice]], select: Select | None = None
) -> discord.ui.View | None:
    """A stopped view of payload buttons (the engine lays rows out at <= 5 per row), under a
    multi-select menu when the reply has one (its own row, custom_id `lq:select:<feature>`,
    whose presses the feature's cog routes)."""
    if not choices and select is None:
        return None
    view = discord.ui.View(timeout=None)
    first = 0
    if select is not None:
        view.add_item(select_menu(select))
        first = 1
    for row, line in enumerate(choices[: 5 - first], start=first):
        for choice in line[:5]:
            view.add_item(PayloadButton.of(choice, row))
    view.stop()  # stateless: discord.py keeps no view per message (see the module rule)
    return view


def select_menu(select: Select) -> discord.ui.Select[Any]:
    """A string select (component type 3): each option's value is its payload."""
    return discord.ui.Select(
        custom_id=SELECT_PREFIX + select.feature,
        placeholder=select.placeholder[:150] or None,
        min_values=select.min_values,
        max_values=min(select.max_values, len(select.options[:25])),
        options=[
            discord.SelectOption(label=c.label[:100], value=c.payload) for c in select.options[:25]
        ],
        row=0,
    )


def kept_image(message: discord.Message | None) -> str | None:
    """The image a card shows, to keep it when the card's text is replaced."""
    if message is None:
        return None
    for attachment in message.attachments:
        if (attachment.content_type or "").startswith("image/"):
            return f"attachment://{attachment.filename}"
    for embed in message.embeds:
        if embed.image and embed.image.url:
            return embed.image.url
    return None


async def deliver(
    interaction: discord.Interaction[Any], reply: Reply, binder: Binder, *, component: bool
) -> None:
    """Send every reply of the chain for an interaction that was already deferred."""
    for part in reply.chain():
        if component and part.replace and _may_replace(interaction, part):
            await edit_origin(interaction, part)
        else:
            msg = await followup(interaction, part, ephemeral=part.ephemeral)
            await _bind(binder, part, msg)
        if part.notice and part.replace and part.notice not in part.text:
            await followup(interaction, Reply(part.notice, ephemeral=True), ephemeral=True)


def _may_replace(interaction: discord.Interaction[Any], part: Reply) -> bool:
    message = interaction.message
    if message is None:
        return False
    return message.flags.ephemeral or not part.ephemeral


async def edit_origin(interaction: discord.Interaction[Any], reply: Reply) -> None:
    """Edit the message the pressed button is on (after a deferred update)."""
    keep = None if reply.media is not None else kept_image(interaction.message)
    out = build(reply, keep_image=keep, size_limit=interaction.filesize_limit)
    await interaction.edit_original_response(**out.edit_kwargs())


async def followup(
    interaction: discord.Interaction[Any], reply: Reply, *, ephemeral: bool
) -> discord.WebhookMessage:
    out = build(reply, size_limit=interaction.filesize_limit)
    return await interaction.followup.send(**out.send_kwargs(), ephemeral=ephemeral, wait=True)


async def send_private(interaction: discord.Interaction[Any], reply: Reply) -> None:
    """An ephemeral answer, whether or not the interaction was acknowledged yet."""
    if interaction.response.is_done():
        await followup(interaction, reply, ephemeral=True)
        return
    out = build(reply, size_limit=interaction.filesize_limit)
    await interaction.response.send_message(**out.send_kwargs(), ephemeral=True)


async def post_in_channel(
    channel: discord.abc.Messageable, channel_id: int, reply: Reply, binder: Binder
) -> discord.Message:
    """A public message in a channel (a round card): editable by the bot for as long as the
    round lasts, unlike interaction responses, whose token dies after 15 minutes."""
    out = build(reply)
    message = await channel.send(**out.send_kwargs())
    if reply.round_id is not None:
        await binder.bind_round_message(reply.round_id, str(MessageRef(channel_id, message.id)))
    return message


async def _bind(binder: Binder, part: Reply, message: discord.WebhookMessage) -> None:
    if part.round_id is None or message.flags.ephemeral:
        return
    await binder.bind_round_message(part.round_id, str(MessageRef(message.channel.id, message.id)))
