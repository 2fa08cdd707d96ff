"""Photo contributions on Discord (issue 16, `capture` campaigns).

- `/contribute [campaign] [photo]`: without a photo, the engine asks the three photo consents
  (its own buttons) or shows the prompt of a capture campaign; with a photo (an ATTACHMENT
  option) in a DM the photo is contributed (for `campaign` when one is named; in a server the
  engine says to use a DM and the photo is not downloaded). The answer is private
  (ephemeral) and deferred first: downloading and cleaning a photo may take longer than
  Discord's 3 seconds.
- A direct message with attachments: each file is contributed in turn, and the bot answers
  in the DM (a DM cannot be answered ephemerally; nobody else sees it). Bots read the content
  and attachments of DMs without the privileged message-content intent. Messages in servers
  are left alone.
- Every file is checked against the engine's `max_bytes` by its declared size BEFORE it is
  downloaded; a larger one gets a message naming the limit and is never fetched. A file that
  is not an image reaches the engine, which refuses it with its clear message.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs import render
from bot.cogs.flow import FeatureCog
from bot.cogs.refs import DM_NAME, PLATFORM
from bot.core.capture import texts as capture_texts
from bot.core.capture.cases import MB
from bot.core.kernel import texts
from bot.core.kernel.errors import InvalidInput, LabelQuestError, NotConsented
from bot.core.kernel.models import ChannelRef, Kind, PlayerRef, Reply

if TYPE_CHECKING:
    from bot.cogs.bot import LabelQuestBot

log = logging.getLogger(__name__)

MAX_FILES = 10  # Discord allows 10 attachments per message
NOT_DOWNLOADED = (
    "I could not download your photo from Discord (HTTP {error}). Please send it again."
)


def too_big(size: int, limit: int) -> InvalidInput:
    """The engine's own refusal of a photo over the limit, before anything is downloaded."""
    return InvalidInput(
        capture_texts.PHOTO_TOO_BIG, size_mb=f"{size / MB:.1f}", limit_mb=f"{limit / MB:g}"
    )


def dm_ref(message: discord.Message) -> PlayerRef:
    """The author of a direct message, in their DM channel (never a moderator)."""
    channel = ChannelRef(PLATFORM, str(message.channel.id), DM_NAME, Kind.PRIVATE)
    return PlayerRef(PLATFORM, str(message.author.id), message.author.display_name, channel)


class CaptureCog(FeatureCog, name="Capture"):
    @app_commands.command(name="contribute", description="Send a photo for a capture campaign")
    @app_commands.describe(
        campaign="Capture campaign name (default: the next one with prompts for you)",
        photo="Your photo (JPEG or PNG); without it you get the consents or the prompt",
    )
    async def contribute_command(
        self,
        interaction: discord.Interaction[Any],
        campaign: str | None = None,
        photo: discord.Attachment | None = None,
    ) -> None:
        if photo is None or interaction.guild_id is not None:
            # in a server the engine says to send photos in a DM: nothing is downloaded
            await self.run(interaction, lambda ref: self.engine.capture.start(ref, campaign))
            return
        attachment = photo

        async def call(ref: PlayerRef) -> Reply:
            if campaign is not None:
                await self.engine.capture.start(ref, campaign)  # makes it the current prompt
            return await self.contribute(ref, attachment)

        await self.run(interaction, call)

    async def contribute(self, ref: PlayerRef, attachment: discord.Attachment) -> Reply:
        """Size check by the declared size, download, then the engine's `contribute`."""
        limit = int(self.engine.capture.max_bytes)
        if attachment.size > limit:
            raise too_big(attachment.size, limit)
        try:
            data = await attachment.read()
        except discord.HTTPException as exc:
            log.warning("could not download attachment %s: %s", attachment.id, exc)
            raise InvalidInput(NOT_DOWNLOADED, error=exc.status) from None
        reply: Reply = await self.engine.capture.contribute(
            ref, data, attachment.filename, attachment.content_type
        )
        return reply

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Files sent to the bot in a DM: each one contributed, each answered in the DM."""
        if message.author.bot or message.guild is not None or not message.attachments:
            return
        with self.bot.tracked():
            ref = dm_ref(message)
            for attachment in message.attachments[:MAX_FILES]:
                reply = await self._dm_contribution(ref, attachment, message.id)
                try:
                    for part in reply.chain():
                        await message.channel.send(**render.build(part).send_kwargs())
                except discord.HTTPException as exc:
                    log.warning("answer to DM %s not delivered: %s", message.id, exc)
                if reply.text == texts.APOLOGY:
                    return

    async def _dm_contribution(
        self, ref: PlayerRef, attachment: discord.Attachment, message_id: int
    ) -> Reply:
        """The engine's answer to one file, its refusal, or (logged once) the apology."""
        try:
            return await self.contribute(ref, attachment)
        except NotConsented:
            return self.engine.players.consent_prompt()
        except LabelQuestError as exc:
            log.info("DM %s contribution refused: %s", message_id, exc.message)
            return Reply(exc.message)
        except Exception:
            log.exception("unexpected error with the file of DM %s", message_id)
            return Reply(texts.APOLOGY)


def make_cog(bot: LabelQuestBot) -> commands.Cog:
    return CaptureCog(bot)
