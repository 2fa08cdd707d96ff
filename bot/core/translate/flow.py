"""The translate game's flow: typed translations for sources, buttons for the rest.

Composed, not inherited: a source sentence (stage one) runs through the typed flow of
`bot.core.play` (its card has an Answer button; the text comes through `answer_text`), a
candidate (stage two, yes / no / not sure) and a pair (stage three, A / B) through the
choice flow. What this flow adds:

- `eligible`: only players who said they speak the campaign's target language
  (`/languages`) get its tasks, every stage;
- a stored stage-one answer also becomes a candidate (`Stages.add_translation`);
- a pair is never judged by the players excluded from it (the authors of both sides and
  those who typed the same words): refused on answer here, skipped on serve by the store.
  A candidate's author is refused by `Answers.submit` in solo and channel rounds alike.
"""

from __future__ import annotations

from bot.core.kernel.context import Kernel
from bot.core.kernel.errors import PermissionDenied
from bot.core.kernel.extensions import GameFlow
from bot.core.kernel.models import PlayerRef, Reply
from bot.core.play import Answers
from bot.core.translate import texts
from bot.core.translate.stages import Stages
from bot.games.translate import PAIR, SOURCE, stage_of, target_name
from storage import CampaignRow, ItemRow, RoundRow


class TranslateFlow:
    """`GameFlow` of `translate`: typed for sources, choice for candidates and pairs."""

    store_picks_items = True

    def __init__(
        self,
        k: Kernel,
        answers: Answers,
        typed: GameFlow,
        choice: GameFlow,
        stages: Stages,
    ) -> None:
        self.k = k
        self.answers = answers
        self.typed = typed
        self.choice = choice
        self.stages = stages

    def _flow(self, item: ItemRow) -> GameFlow:
        return self.typed if stage_of(item) == SOURCE else self.choice

    async def eligible(self, pid: int, campaign: CampaignRow) -> str | None:
        """None when the player speaks the target language; else how to get these tasks."""
        target = campaign.settings.get("target")
        if target and target in await self.k.store.player_languages(pid):
            return None
        return texts.NEEDS_TARGET.format(language=target_name(campaign))

    async def open_channel_round(
        self, campaign: CampaignRow, channel_id: int, platform: str
    ) -> Reply:
        """Any item nobody has in play; the typed flow shows it by its stage."""
        return await self.typed.open_channel_round(campaign, channel_id, platform)

    async def round_card(self, rnd: RoundRow, campaign: CampaignRow) -> Reply:
        item = await self.k.campaign_item(campaign.id, rnd.item_id)
        return await self._flow(item).round_card(rnd, campaign)

    async def close_round(self, rnd: RoundRow) -> RoundRow | None:
        return await self.choice.close_round(rnd)

    async def answer(
        self, ref: PlayerRef, pid: int, rnd: RoundRow, choice: int, continue_session: bool
    ) -> Reply:
        """A button: refused on a pair the player is excluded from, else by its stage."""
        item = await self.k.campaign_item(rnd.campaign_id, rnd.item_id)
        await self._refuse_excluded(pid, item)
        return await self._flow(item).answer(ref, pid, rnd, choice, continue_session)

    async def answer_text(
        self, ref: PlayerRef, pid: int, rnd: RoundRow, text: str, continue_session: bool
    ) -> Reply:
        """A typed translation of a source: stored as the player's answer through the group
        commit, then (when it was stored, not a repeat) a candidate or support for one."""
        k = self.k
        campaign = await k.campaign(rnd.campaign_id)
        item = await k.campaign_item(campaign.id, rnd.item_id)
        if stage_of(item) != SOURCE:
            await self._refuse_excluded(pid, item)
            return await self.choice.answer_text(ref, pid, rnd, text, continue_session)
        label = k.game(campaign.game).normalize(campaign, item, text)
        outcome = await self.answers.submit(ref, pid, rnd, campaign, item, label)
        if outcome.status == "stored":
            await self.stages.add_translation(campaign, item, pid, label, ref.platform)
        return await self.answers.reply(ref, rnd, campaign, item, label, outcome, continue_session)

    async def _refuse_excluded(self, pid: int, item: ItemRow) -> None:
        """Nothing is stored for an excluded player (pair sides' authors, co-typists)."""
        if pid in await self.k.store.excluded_players(item.id):
            pair = stage_of(item) == PAIR
            raise PermissionDenied(texts.OWN_PAIR if pair else texts.OWN_TRANSLATION)

    def solo_card(self, card: Reply) -> Reply:
        return self.typed.solo_card(card)
