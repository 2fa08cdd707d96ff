"""Select every attribute that applies (issue 17; docs/multilabel.md).

`Multilabel` registers the `multilabel` game's flow (`MultilabelFlow`) and the toggle button
(payload action `l`, `bot.core.multilabel.cards`): a toggle answers with the same card, its
selection changed, to edit in place (Telegram); Done submits the selection once through
`Play.answer_value`. `pick` takes the options picked in a Discord multi-select menu.
"""

from __future__ import annotations

from dataclasses import replace

from bot.core.kernel.codec import Payload, decode, encode
from bot.core.kernel.context import Kernel
from bot.core.kernel.errors import InvalidInput, UnknownPayload
from bot.core.kernel.extensions import Extensions
from bot.core.kernel.models import Choice, PlayerRef, Reply
from bot.core.multilabel import cards, texts
from bot.core.multilabel.flow import MultilabelFlow
from bot.core.play import Play

__all__ = ["Multilabel", "MultilabelFlow"]


class Multilabel:
    """The multilabel feature: its flow, its toggle button and the menu's use case."""

    def __init__(self, k: Kernel, play: Play) -> None:
        self.k = k
        self.play = play
        self.flow = MultilabelFlow(k, play.choice_flow)

    def register(self, ext: Extensions) -> None:
        ext.flow("multilabel", self.flow)
        ext.button(cards.ACTION, "toggle an attribute / submit a selection", self.press)

    async def press(self, ref: PlayerRef, p: Payload) -> Reply:
        """A toggle: the same card with the new selection (replace). Done: submit once."""
        round_id, mask, index = p.args
        pid = await self.k.require_player(ref)
        rnd = await self.k.round(round_id)
        if rnd is None:
            raise UnknownPayload(texts.TASK_GONE)
        answered = await self.play.check_answerable(ref, pid, rnd)
        if answered is not None:
            return answered
        campaign = await self.k.campaign(rnd.campaign_id)
        item = await self.k.campaign_item(campaign.id, rnd.item_id)
        options = self.k.game(campaign.game).options(campaign, item)
        cards.check_mask(mask, index, len(options))
        if index == cards.done_index(len(options)):
            if mask == 0:
                raise InvalidInput(texts.PICK_SOMETHING)
            return await self.play.answer_value(ref, round_id, cards.value_of(mask, options))
        new = cards.toggle(mask, index, len(options))
        if rnd.mode == "channel":
            card = await self.flow.round_card(rnd, campaign, new)
        else:
            question = self.k.game(campaign.game).question(campaign, item)
            card = Reply(
                texts.SOLO_CARD.format(campaign=campaign.name, question=question),
                choices=((Choice(texts.SKIP, encode("s", rnd.id)),),),
                select=cards.select(rnd.id, options, new),
                ephemeral=True,
                round_id=rnd.id,
            )
        return replace(card, media=None, replace=True)  # the picture stays as it is

    async def pick(self, ref: PlayerRef, values: list[str]) -> Reply:
        """The options picked in a multi-select menu (their payloads `v1:l:<round>:0:<i>`):
        submitted once as one selection; a mixed or forged set is refused, nothing stored."""
        payloads = [decode(v) for v in values]
        if not payloads or any(p.action != cards.ACTION for p in payloads):
            raise UnknownPayload(texts.STALE_SELECTION)
        rounds = {p.args[0] for p in payloads}
        if len(rounds) != 1:
            raise UnknownPayload(texts.MIXED_ROUNDS)
        round_id = rounds.pop()
        rnd = await self.k.round(round_id)
        if rnd is None:
            raise UnknownPayload(texts.TASK_GONE)
        campaign = await self.k.campaign(rnd.campaign_id)
        item = await self.k.campaign_item(campaign.id, rnd.item_id)
        options = self.k.game(campaign.game).options(campaign, item)
        mask = 0
        for p in payloads:
            if p.args[1] != 0 or p.args[2] >= len(options):
                raise UnknownPayload(texts.STALE_SELECTION)
            mask |= 1 << p.args[2]
        value = ",".join(o.key for i, o in enumerate(options) if mask >> i & 1)
        return await self.play.answer_value(ref, round_id, value)
