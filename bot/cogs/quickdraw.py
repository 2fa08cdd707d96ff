"""Quick-draw on Discord: /guess, the Guess button's modal, /doodle, and (opt-in) plain
messages as guesses.

- `/guess word` answers privately (ephemeral): right guesses stay hidden from the channel,
  so later guesses remain independent labels.
- The round card's Guess ✏️ button opens a modal with one text field (a modal must be the
  first answer to a click, so this button is handled before the usual deferred click flow,
  through the bot's `click_hooks`); its submission is judged like /guess.
- `/doodle` starts a private solo series (ephemeral in a server, or in a DM).
- Plain channel messages count as guesses only with `[discord] message_content = true`
  (the privileged intent): a right guess gets a ✅ reaction, a close one a private DM (the
  bot cannot answer a message ephemerally); other messages, and everything when no doodle
  round is open in the channel, are left alone.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs import errors, render
from bot.cogs.flow import FeatureCog
from bot.cogs.refs import PLATFORM
from bot.core.kernel import codec
from bot.core.kernel.errors import LabelQuestError, UnknownPayload
from bot.core.kernel.models import ChannelRef, CommunityRef, Kind, PlayerRef, Reply

if TYPE_CHECKING:
    from bot.cogs.bot import LabelQuestBot

log = logging.getLogger(__name__)

MODAL_TITLE = "Guess the doodle"
CORRECT, CLOSE = "✅", "🤏"


class GuessModal(discord.ui.Modal):
    """One text field; submitting it is a guess for round `round_id`."""

    word: discord.ui.TextInput[GuessModal] = discord.ui.TextInput(
        label="What is it?", placeholder="one word or two", max_length=100
    )

    def __init__(self, cog: QuickdrawCog, round_id: int) -> None:
        super().__init__(title=MODAL_TITLE, custom_id=f"lq:guess:{round_id}", timeout=900)
        self.cog = cog
        self.round_id = round_id

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        await self.cog.guess_in(interaction, self.word.value, self.round_id)

    async def on_error(  # type: ignore[override]  # a Modal's hook takes no item
        self, interaction: discord.Interaction[Any], error: Exception, /
    ) -> None:
        await errors.apologize(interaction, error, f"guess modal {self.custom_id!r}")


class QuickdrawCog(FeatureCog, name="Quickdraw"):
    def __init__(self, bot: LabelQuestBot) -> None:
        super().__init__(bot)
        bot.click_hooks["g"] = self.open_modal

    @app_commands.command(name="guess", description="Guess the doodle of this channel's round")
    @app_commands.describe(word="Your guess")
    async def guess_command(self, interaction: discord.Interaction[Any], word: str) -> None:
        await self.guess_in(interaction, word, None)

    @app_commands.command(name="doodle", description="Quick-draw: guess a quick series of doodles")
    @app_commands.describe(campaign="Campaign name (default: any quick-draw campaign)")
    async def doodle_command(
        self, interaction: discord.Interaction[Any], campaign: str | None = None
    ) -> None:
        await self.run(interaction, lambda ref: self.engine.quickdraw.doodle_series(ref, campaign))

    async def guess_in(
        self, interaction: discord.Interaction[Any], text: str, round_id: int | None
    ) -> None:
        """Defer privately, judge the guess, show the feedback privately."""

        async def call(ref: PlayerRef) -> Reply:
            return await self.engine.quickdraw.guess(ref, text, round_id=round_id)

        await self.run(interaction, call)

    async def open_modal(self, interaction: discord.Interaction[Any], payload: str) -> None:
        """The Guess button: open the modal at once (no defer before a modal)."""
        with self.bot.tracked():
            try:
                round_id = codec.decode(payload).args[0]
                await interaction.response.send_modal(GuessModal(self, round_id))
            except UnknownPayload as exc:
                await errors.report(interaction, self.engine, exc)
            except Exception as exc:
                await errors.apologize(interaction, exc, f"button {payload!r}")

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """A plain message in a channel with an open doodle round (opt-in, see above)."""
        if not self.bot.settings.discord.message_content or message.author.bot:
            return
        text = message.content.strip()
        if message.guild is None or not text or text.startswith(("/", "!")):
            return
        with self.bot.tracked():
            try:
                result = await self.engine.quickdraw.judge_guess(
                    message_ref(message), text, public=True
                )
            except LabelQuestError as exc:
                log.debug("message %s is no guess: %s", message.id, exc.message)
                return
            try:
                if result.correct:
                    await message.add_reaction(CORRECT)
                elif result.kind == "close":
                    await message.author.send(**render.build(result.reply).send_kwargs())
            except discord.HTTPException as exc:
                log.info("guess feedback for message %s not delivered: %s", message.id, exc)


def message_ref(message: discord.Message) -> PlayerRef:
    """The author of a channel message as a `PlayerRef` (never a moderator: messages carry
    no interaction permissions)."""
    assert message.guild is not None
    community = CommunityRef(PLATFORM, str(message.guild.id), message.guild.name)
    name = getattr(message.channel, "name", None) or f"channel {message.channel.id}"
    channel = ChannelRef(PLATFORM, str(message.channel.id), name, Kind.GROUP, community)
    return PlayerRef(PLATFORM, str(message.author.id), message.author.display_name, channel)


def make_cog(bot: LabelQuestBot) -> commands.Cog:
    return QuickdrawCog(bot)
