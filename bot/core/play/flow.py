"""The choice flow: how a verify or classify round runs (the reference `GameFlow`).

A channel round shows the item with one button per option; votes stay hidden until the
round closes, then the card shows the split. A button answer goes through the group commit
(`Answers.submit`), at most one per player and item.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.core.kernel.context import Kernel
from bot.core.kernel.errors import InvalidInput, NoTaskAvailable, UnknownPayload
from bot.core.kernel.models import PlayerRef, Reply
from bot.core.play import texts
from bot.core.play.answers import Answers
from bot.core.play.cards import round_card
from bot.core.play.quality import roll
from storage import CampaignRow, RoundRow

OpenInChannel = Callable[[CampaignRow, int, int, str, float], Awaitable[RoundRow]]


class ChoiceFlow:
    """`GameFlow` of the games whose answers are option buttons (verify, classify)."""

    store_picks_items = True

    def __init__(self, k: Kernel, answers: Answers, open_in_channel: OpenInChannel) -> None:
        self.k = k
        self.answers = answers
        self.open_in_channel = open_in_channel  # `Play.open_round_in_channel`: the cap

    async def open_channel_round(
        self, campaign: CampaignRow, channel_id: int, platform: str
    ) -> Reply:
        """Pick an item nobody has in play (gold at the campaign's rate) and open a round."""
        rnd = await open_item_round(self.k, self.open_in_channel, campaign, channel_id, platform)
        return await self.round_card(rnd, campaign)

    async def round_card(self, rnd: RoundRow, campaign: CampaignRow) -> Reply:
        """Open: question, buttons, how many answered. Closed: the vote split."""
        k = self.k
        item = await k.campaign_item(campaign.id, rnd.item_id)
        answers = await k.store.round_answers(rnd.id)
        item_tally = await k.store.get_tally(campaign.id, item.id)
        game = k.game(campaign.game)
        return round_card(game, campaign, item, rnd, await k.media(item), answers, item_tally)

    async def close_round(self, rnd: RoundRow) -> RoundRow | None:
        """Close once (a conditional update in the store) and tell the adapters."""
        k = self.k
        row = await k.store.close_round(rnd.id, k.now(), "closed")
        if row is not None:
            closed = await k.store.get_round(rnd.id)
            if closed is not None:
                k.remember_round(closed)
                k.publish_round(closed, closed=True)
        return row

    async def answer(
        self, ref: PlayerRef, pid: int, rnd: RoundRow, choice: int, continue_session: bool
    ) -> Reply:
        """Option `choice` of the card, stored once; what it earned."""
        k = self.k
        campaign = await k.campaign(rnd.campaign_id)
        item = await k.campaign_item(campaign.id, rnd.item_id)
        options = k.game(campaign.game).options(campaign, item)
        if not 0 <= choice < len(options):
            raise UnknownPayload(texts.STALE_TASK_BUTTON)
        label = options[choice].key
        outcome = await self.answers.submit(ref, pid, rnd, campaign, item, label)
        return await self.answers.reply(ref, rnd, campaign, item, label, outcome, continue_session)

    async def answer_value(
        self, ref: PlayerRef, pid: int, rnd: RoundRow, value: str, continue_session: bool
    ) -> Reply:
        """A composed value (`TakesValues`): the game normalises it (refusing what it cannot
        take, nothing stored), then it is stored once like a button answer."""
        k = self.k
        campaign = await k.campaign(rnd.campaign_id)
        item = await k.campaign_item(campaign.id, rnd.item_id)
        label = k.game(campaign.game).normalize(campaign, item, value)
        outcome = await self.answers.submit(ref, pid, rnd, campaign, item, label)
        return await self.answers.reply(ref, rnd, campaign, item, label, outcome, continue_session)

    def solo_card(self, card: Reply) -> Reply:
        return card

    async def answer_text(
        self, ref: PlayerRef, pid: int, rnd: RoundRow, text: str, continue_session: bool
    ) -> Reply:
        """Button games take no typed answer: a clear refusal, nothing stored."""
        raise InvalidInput(texts.TAKES_BUTTONS)

    async def eligible(self, pid: int, campaign: CampaignRow) -> str | None:
        """Every consented player may answer a button game."""
        return None


async def open_item_round(
    k: Kernel,
    open_in_channel: OpenInChannel,
    campaign: CampaignRow,
    channel_id: int,
    platform: str,
) -> RoundRow:
    """Pick an item nobody has in play (gold at the campaign's rate) and open a channel round
    on it (through `open_in_channel`, which holds the channel cap)."""
    now = k.now()
    gold = await k.gold_items(campaign) > 0 and (
        roll(channel_id, campaign.id, now) < campaign.gold_rate
    )
    item_id = await k.store.pick_channel_item(campaign.id, gold=gold)
    if item_id is None and gold:
        item_id = await k.store.pick_channel_item(campaign.id)
    if item_id is None:
        raise NoTaskAvailable(texts.ALL_ITEMS_IN_PLAY, campaign=campaign.name)
    return await open_in_channel(
        campaign, item_id, channel_id, platform, now + k.settings.game.round_seconds
    )
