"""The one button class: a `DynamicItem` whose template is the payload codec's pattern.

Every LabelQuest button carries its payload (`v1:a:<round>:<choice>`, ...) as its custom_id.
discord.py matches a clicked custom_id against `codec.PATTERN` and rebuilds this item from
it (`from_custom_id`), so a button works no matter which process sent its message: state
lives in the database, never in memory. Decoding is the engine's (`codec.decode` inside
`engine.handle_button`); `from_custom_id` only keeps the raw text, because an exception
there would be logged by discord.py and leave the click unanswered. Presses nothing claims
(another custom_id, a select menu) are answered by `bot/cogs/unclaimed.py`.
"""

from __future__ import annotations

import re
from typing import Any, Protocol, runtime_checkable

import discord

from bot.core.kernel import codec
from bot.core.kernel.models import Choice, Style

LABEL_MAX = 80
STYLES = {
    Style.PRIMARY: discord.ButtonStyle.primary,
    Style.SECONDARY: discord.ButtonStyle.secondary,
    Style.SUCCESS: discord.ButtonStyle.success,
    Style.DANGER: discord.ButtonStyle.danger,
}


@runtime_checkable
class ClickHandler(Protocol):
    """The client that answers clicks (`bot.LabelQuestBot`)."""

    async def handle_click(self, interaction: discord.Interaction[Any], payload: str) -> None: ...


class PayloadButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=codec.PATTERN,
):
    """A button whose custom_id is a codec payload."""

    def __init__(
        self, button: discord.ui.Button[Any], *, row: int | None = None, inert: bool = False
    ) -> None:
        super().__init__(button, row=row)
        self.inert = inert

    @classmethod
    def of(cls, choice: Choice, row: int) -> PayloadButton:
        label = choice.label if len(choice.label) <= LABEL_MAX else choice.label[:79] + "…"
        style = STYLES.get(choice.style, discord.ButtonStyle.secondary)
        return cls(discord.ui.Button(label=label, custom_id=choice.payload, style=style), row=row)

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
    ) -> PayloadButton:
        if not isinstance(item, discord.ui.Button):
            # a select (or other component) whose custom_id looks like a payload is never
            # ours: an inert stand-in that declines the press (`interaction_check`); the
            # unclaimed-interaction answer (bot/cogs/unclaimed.py) tells the user
            return cls(discord.ui.Button(custom_id=match.group(0)), inert=True)
        return cls(item)

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        return not self.inert

    @property
    def payload(self) -> str:
        return str(self.item.custom_id)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        client = interaction.client
        if isinstance(client, ClickHandler):
            await client.handle_click(interaction, self.payload)
