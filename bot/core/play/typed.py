"""The typed flow: the `GameFlow` of games whose answers are typed (transcribe; translate's
source sentences).

A typed card has no option buttons but an "✍️ Answer" button (payload `t`) and says how to
answer on its platform: on Telegram a reply to the card or `/answer TEXT`, on Discord the
button's modal. A typed answer is normalised by the game (`Game.normalize`: empty, too long or
control characters are refused with a message naming the problem, and nothing is stored),
then stored through the group commit (`Answers.submit`: at most one answer per player and
item; an author's answer on their own contribution is refused) and answered like a button
answer (`Answers.reply`). A channel round card shows how many answered while open, never the
answers; the closed card shows their split and the crowd's label so far.

The flow decides per item (`Game.takes_text`): an item answered by buttons gets the choice
flow's card and answers, so a game mixing both kinds (translate) can reuse this flow.
"""

from __future__ import annotations

from bot.core.kernel.context import Kernel
from bot.core.kernel.errors import InvalidInput
from bot.core.kernel.models import PlayerRef, Reply
from bot.core.play import texts
from bot.core.play.answers import Answers
from bot.core.play.cards import round_card
from bot.core.play.flow import ChoiceFlow, OpenInChannel, open_item_round
from bot.core.play.typed_cards import typed_round_card
from storage import CampaignRow, RoundRow


class TypedFlow:
    """`GameFlow` of typed games (see the module docstring)."""

    store_picks_items = True

    def __init__(self, k: Kernel, answers: Answers, open_in_channel: OpenInChannel) -> None:
        self.k = k
        self.answers = answers
        self.open_in_channel = open_in_channel  # `Play.open_round_in_channel`: the cap
        self.choice = ChoiceFlow(k, answers, open_in_channel)

    async def open_channel_round(
        self, campaign: CampaignRow, channel_id: int, platform: str
    ) -> Reply:
        """Pick an item nobody has in play (gold at the campaign's rate) and open a round."""
        rnd = await open_item_round(self.k, self.open_in_channel, campaign, channel_id, platform)
        return await self.round_card(rnd, campaign)

    async def round_card(self, rnd: RoundRow, campaign: CampaignRow) -> Reply:
        """Open: question, Answer button, how many answered. Closed: the answers' split."""
        k = self.k
        item = await k.campaign_item(campaign.id, rnd.item_id)
        answers = await k.store.round_answers(rnd.id)
        item_tally = await k.store.get_tally(campaign.id, item.id)
        game = k.game(campaign.game)
        card = typed_round_card if game.takes_text(item) else round_card
        return card(game, campaign, item, rnd, await k.media(item), answers, item_tally)

    async def close_round(self, rnd: RoundRow) -> RoundRow | None:
        """Close once (a conditional update in the store) and tell the adapters."""
        return await self.choice.close_round(rnd)

    async def answer(
        self, ref: PlayerRef, pid: int, rnd: RoundRow, choice: int, continue_session: bool
    ) -> Reply:
        """An option button: only items answered by buttons have them."""
        campaign = await self.k.campaign(rnd.campaign_id)
        item = await self.k.campaign_item(campaign.id, rnd.item_id)
        if self.k.game(campaign.game).takes_text(item):
            raise InvalidInput(texts.TYPED_HOW_NOTICE, how=texts.HOW_TO_ANSWER)
        return await self.choice.answer(ref, pid, rnd, choice, continue_session)

    def solo_card(self, card: Reply) -> Reply:
        return card

    async def answer_text(
        self, ref: PlayerRef, pid: int, rnd: RoundRow, text: str, continue_session: bool
    ) -> Reply:
        """Normalise (refusals name the problem, nothing is stored), store once, reply."""
        k = self.k
        campaign = await k.campaign(rnd.campaign_id)
        item = await k.campaign_item(campaign.id, rnd.item_id)
        game = k.game(campaign.game)
        if not game.takes_text(item):
            raise InvalidInput(texts.TAKES_BUTTONS)
        label = game.normalize(campaign, item, text)
        outcome = await self.answers.submit(ref, pid, rnd, campaign, item, label)
        return await self.answers.reply(ref, rnd, campaign, item, label, outcome, continue_session)

    async def eligible(self, pid: int, campaign: CampaignRow) -> str | None:
        """Every consented player may type answers to a transcription."""
        return None
