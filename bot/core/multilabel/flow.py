"""The multilabel game's flow: the choice flow's rounds and answers, with a multi-select card.

Everything that stores goes through `ChoiceFlow` (a composed value, `answer_value`, stored
once through the group commit); this flow only changes the cards: the option buttons become
a `Select` (Telegram: toggles that show their state plus Done; Discord: a multi-select menu),
and a closed round shows, per attribute, how many players picked it.
"""

from __future__ import annotations

from dataclasses import replace

from bot.core.kernel.context import Kernel
from bot.core.kernel.models import PlayerRef, Reply
from bot.core.multilabel import cards
from bot.core.play import ChoiceFlow
from bot.games.base import Option
from storage import CampaignRow, RoundRow


class MultilabelFlow:
    """`GameFlow` and `TakesValues` of the multilabel game (composes `ChoiceFlow`)."""

    store_picks_items = True

    def __init__(self, k: Kernel, choice: ChoiceFlow) -> None:
        self.k = k
        self.choice = choice

    async def open_channel_round(
        self, campaign: CampaignRow, channel_id: int, platform: str
    ) -> Reply:
        card = await self.choice.open_channel_round(campaign, channel_id, platform)
        if card.round_id is None:
            return card
        rnd = await self.k.store.get_round(card.round_id)
        return card if rnd is None else await self.round_card(rnd, campaign)

    async def round_card(self, rnd: RoundRow, campaign: CampaignRow, mask: int = 0) -> Reply:
        """Open: the choice flow's card with the multi-select (selection `mask`). Closed: the
        choice flow's result text with, per attribute, how many picked it."""
        card = await self.choice.round_card(rnd, campaign)
        item = await self.k.campaign_item(campaign.id, rnd.item_id)
        options = self.k.game(campaign.game).options(campaign, item)
        if rnd.status == "open":
            return replace(card, choices=(), select=cards.select(rnd.id, options, mask))
        answers = await self.k.store.round_answers(rnd.id)
        lines = card.text.split("\n")
        at = next((i for i, line in enumerate(lines) if line.startswith("Votes: ")), len(lines))
        picks = cards.picks_lines(options, [a.label for a in answers])
        return replace(card, text="\n".join([*lines[:at], *picks, *lines[at + 1 :]]))

    async def close_round(self, rnd: RoundRow) -> RoundRow | None:
        return await self.choice.close_round(rnd)

    async def answer(
        self, ref: PlayerRef, pid: int, rnd: RoundRow, choice: int, continue_session: bool
    ) -> Reply:
        """An option button (`a`): that one option as the selection."""
        return await self.choice.answer(ref, pid, rnd, choice, continue_session)

    async def answer_value(
        self, ref: PlayerRef, pid: int, rnd: RoundRow, value: str, continue_session: bool
    ) -> Reply:
        return await self.choice.answer_value(ref, pid, rnd, value, continue_session)

    def solo_card(self, card: Reply) -> Reply:
        """The /play card: its option buttons become the multi-select; Skip stays."""
        if card.round_id is None or not card.choices:
            return card
        option_rows, rest = card.choices[:-1], card.choices[-1:]
        options = [Option(c.label, c.label) for row in option_rows for c in row]
        return replace(card, choices=rest, select=cards.select(card.round_id, options))

    async def answer_text(
        self, ref: PlayerRef, pid: int, rnd: RoundRow, text: str, continue_session: bool
    ) -> Reply:
        return await self.choice.answer_text(ref, pid, rnd, text, continue_session)

    async def eligible(self, pid: int, campaign: CampaignRow) -> str | None:
        return None
