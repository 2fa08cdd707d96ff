"""`LocateFlow`: the choice flow of `bot.core.play` for the `locate` game, with the canvas
button on its cards.

Rules:
- everything a round does (open, close, eligibility, storing an answer once through the group
  commit) is the choice flow's; a locate answer is a composed value (`answer_value`: boxes or
  points as JSON, normalised by the game), never an option button or a typed text;
- every locate card (a solo /play card and a channel round card, open) carries
  "📦 Open the canvas" (payload `o:<round>`): the adapters turn a press into the canvas (a
  Telegram Mini App button, a Discord signed link), `Locate.press` answers anywhere else.
"""

from __future__ import annotations

from dataclasses import replace

from bot.core.kernel.codec import encode
from bot.core.kernel.models import Choice, PlayerRef, Reply, Style
from bot.core.locate import texts
from bot.core.play import ChoiceFlow
from storage import CampaignRow, RoundRow

ACTION = "o"
"""The payload action of the canvas button (`o:<round>`)."""


def with_canvas_button(card: Reply, round_id: int | None) -> Reply:
    """`card` with the canvas button as its first row (the game's question says to use it)."""
    if round_id is None:
        return card
    button = Choice(texts.OPEN_CANVAS, encode(ACTION, round_id), Style.PRIMARY)
    return replace(card, choices=((button,), *card.choices))


class LocateFlow:
    """`GameFlow` (and `TakesValues`) of the locate game: `ChoiceFlow` plus the button."""

    store_picks_items = True

    def __init__(self, choice: ChoiceFlow) -> None:
        self.choice = choice

    async def open_channel_round(
        self, campaign: CampaignRow, channel_id: int, platform: str
    ) -> Reply:
        card = await self.choice.open_channel_round(campaign, channel_id, platform)
        return with_canvas_button(card, card.round_id)

    async def round_card(self, rnd: RoundRow, campaign: CampaignRow) -> Reply:
        card = await self.choice.round_card(rnd, campaign)
        return with_canvas_button(card, rnd.id) if rnd.status == "open" else card

    async def close_round(self, rnd: RoundRow) -> RoundRow | None:
        return await self.choice.close_round(rnd)

    async def answer(
        self, ref: PlayerRef, pid: int, rnd: RoundRow, choice: int, continue_session: bool
    ) -> Reply:
        return await self.choice.answer(ref, pid, rnd, choice, continue_session)

    async def answer_value(
        self, ref: PlayerRef, pid: int, rnd: RoundRow, value: str, continue_session: bool
    ) -> Reply:
        return await self.choice.answer_value(ref, pid, rnd, value, continue_session)

    def solo_card(self, card: Reply) -> Reply:
        return with_canvas_button(card, card.round_id)

    async def answer_text(
        self, ref: PlayerRef, pid: int, rnd: RoundRow, text: str, continue_session: bool
    ) -> Reply:
        return await self.choice.answer_text(ref, pid, rnd, text, continue_session)

    async def eligible(self, pid: int, campaign: CampaignRow) -> str | None:
        return await self.choice.eligible(pid, campaign)
