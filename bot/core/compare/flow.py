"""The compare game's flow: the choice flow of `bot.core.play`, with pairs made on demand.

Composed, not inherited: every card, answer and close goes through the choice flow (buttons
⬅️ Left / ➡️ Right / 🤷 Can't tell, the group commit, one answer per player and pair). What
this flow adds, before anything of the campaign is served:

- `eligible` (asked before a solo task is reserved): base items are set apart and, when no
  pair is left for this player, the next informative pairs are made (`Pairs.top_up`);
- `open_channel_round`: the same for the channel, then the choice flow picks a pair;
- `store_picks_items` is False so a schedule's round also comes through `open_channel_round`.
"""

from __future__ import annotations

from bot.core.compare.pairs import Pairs
from bot.core.kernel.extensions import GameFlow
from bot.core.kernel.models import PlayerRef, Reply
from storage import CampaignRow, RoundRow


class CompareFlow:
    """`GameFlow` of `compare`."""

    store_picks_items = False

    def __init__(self, choice: GameFlow, pairs: Pairs) -> None:
        self.choice = choice
        self.pairs = pairs

    async def eligible(self, pid: int, campaign: CampaignRow) -> str | None:
        """Everyone may compare; the player's next pairs are made here when none is left."""
        await self.pairs.top_up(campaign, pid)
        return await self.choice.eligible(pid, campaign)

    async def open_channel_round(
        self, campaign: CampaignRow, channel_id: int, platform: str
    ) -> Reply:
        await self.pairs.top_up(campaign)
        return await self.choice.open_channel_round(campaign, channel_id, platform)

    async def round_card(self, rnd: RoundRow, campaign: CampaignRow) -> Reply:
        return await self.choice.round_card(rnd, campaign)

    async def close_round(self, rnd: RoundRow) -> RoundRow | None:
        return await self.choice.close_round(rnd)

    async def answer(
        self, ref: PlayerRef, pid: int, rnd: RoundRow, choice: int, continue_session: bool
    ) -> Reply:
        return await self.choice.answer(ref, pid, rnd, choice, continue_session)

    def solo_card(self, card: Reply) -> Reply:
        return self.choice.solo_card(card)

    async def answer_text(
        self, ref: PlayerRef, pid: int, rnd: RoundRow, text: str, continue_session: bool
    ) -> Reply:
        return await self.choice.answer_text(ref, pid, rnd, text, continue_session)
