"""Use cases: moderation of undecided items (the review queue), standings, quality reports.

`/review [campaign]` shows one item of the queue at a time (`review.py` says which items
are in it): the item, its vote split and a button per label, then Back / Skip / Make gold.
Pressing a label stores the expert label (it overrides the crowd in exports and reports,
`review.decide`) and the card becomes the next item; "Make gold" switches the label buttons
to "set this label and make the item gold". Paging runs through the queue of every campaign
the moderator moderates in (campaign, item) order and wraps around at either end; a named
campaign only chooses where the queue starts.

Scope (`bot/core/kernel/scope.py`): the queue holds the campaigns the moderator may manage
(their community's; shared ones for bot admins only), and a button acts only on an item that
is in the queue now, whatever its payload says.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace

from bot.core.kernel.codec import Payload
from bot.core.kernel.errors import NotFound, PermissionDenied, UnknownPayload
from bot.core.kernel.extensions import Extensions
from bot.core.kernel.models import Media, PlayerRef, Reply
from bot.core.kernel.scope import Actor
from bot.core.review import bulk as bulk_review
from bot.core.review import texts
from bot.core.review.cards import (
    GOLD_BASE,
    GOLD_MODE,
    NEXT,
    PREV,
    SHOW,
    empty_queue,
    review_card,
    split_key,
    tally_key,
)
from bot.core.review.queue import Decision, decide, label_choices
from bot.core.review.standing import StandingCases, pick_moderated
from storage import TALLY_REVIEW, CampaignRow, ReviewLogEntry, TallyRow

log = logging.getLogger(__name__)

Scope = dict[int, CampaignRow]
END = (2**62, 0)  # a key after every (campaign, item): "before END" is the last item


class ReviewCases(StandingCases):
    """The review queue (`review`, button `r`) on top of the standings' scope rules."""

    def register(self, ext: Extensions) -> None:
        ext.button("r", "review an item", self.press_review)
        ext.button("m", "moderate a player", self.press_moderation)

    async def review(self, ref: PlayerRef, campaign_name: str | None = None) -> Reply:
        """The first item in review (of the named campaign, if given)."""
        campaigns = await self.moderated_campaigns(ref, "/review")
        scope = {c.id: c for c in campaigns}
        first: list[TallyRow] = []
        header = None
        if campaign_name:
            named = pick_moderated(campaigns, campaign_name)
            first = await self.k.store.review_queue([named.id])
            header = None if first else f"Nothing to review in {named.name}."
        if not first:
            first = await self.k.store.review_queue(list(scope))
        if not first:
            return empty_queue(header)
        return await self._card(scope, first[0], header=header)

    async def queue_of(
        self, actor: Actor, campaign_id: int | None = None
    ) -> bulk_review.ReviewQueue:
        """The review queue of the campaigns `actor` manages (or of one), for a page."""
        return await bulk_review.queue_of(self, actor, campaign_id)

    async def bulk(
        self,
        actor: Actor,
        campaign_id: int,
        item_ids: Sequence[int],
        action: str,
        label: str | None = None,
        explanation: str | None = None,
    ) -> bulk_review.BulkResult:
        """One decision (set label, send back, make gold) for many items (`review/bulk.py`)."""
        return await bulk_review.bulk(
            self, actor, campaign_id, item_ids, action, label, explanation
        )

    async def item_media(self, actor: Actor, campaign_id: int, item_id: int) -> Media | None:
        """The picture of an item of a campaign `actor` manages (the review page's thumbnail)."""
        return await bulk_review.item_media(self, actor, campaign_id, item_id)

    async def press_review(self, ref: PlayerRef, p: Payload) -> Reply:
        """A review button: a label (k), a label that makes the item gold (200 + k), paging,
        or a switch of the card's mode (see `review_cards`)."""
        key, choice = p.args
        campaign_id, item_id = split_key(key)
        scope = {c.id: c for c in await self.moderated_campaigns(ref, "/review")}
        campaign = scope.get(campaign_id)
        if campaign is None:
            raise PermissionDenied(texts.ITEM_NOT_YOURS)
        t = await self.k.store.get_tally(campaign_id, item_id)
        if t is None:
            raise NotFound(texts.ITEM_GONE)
        if choice == NEXT:
            return _replacing(await self._step(scope, key, forward=True))
        if choice == PREV:
            return _replacing(await self._step(scope, key, forward=False))
        if (
            t.status != TALLY_REVIEW
            or (await self.k.campaign_item(campaign_id, item_id)).gold is not None
        ):
            raise NotFound(texts.ITEM_NOT_IN_QUEUE)  # review acts only on queued items
        if choice in (SHOW, GOLD_MODE):  # same item: the card keeps its picture
            card = await self._card(scope, t, gold_mode=choice == GOLD_MODE)
            return replace(card, replace=True, media=None)
        gold = GOLD_BASE <= choice < GOLD_BASE + 100
        if not (choice < 100 or gold):
            raise UnknownPayload(texts.NEWER_BUTTON)
        return await self._decide(ref, scope, campaign, t, choice % 100, gold)

    async def _decide(
        self, ref: PlayerRef, scope: Scope, campaign: CampaignRow, t: TallyRow, k: int, gold: bool
    ) -> Reply:
        item = await self.k.campaign_item(campaign.id, t.item_id)
        game = self.k.game(campaign.game)
        labels = label_choices(game, campaign, item, t)
        if k >= len(labels):
            raise UnknownPayload(texts.STALE_ITEM_BUTTON)
        actor, actor_pid = await self.log_actor(ref)
        entry = ReviewLogEntry(
            "label",
            actor,
            self.k.now(),
            actor_pid,
            campaign.id,
            item.id,
            None,
            {"label": labels[k], "crowd": t.label, "status": t.status},
        )
        done = await decide(
            self.k.store, game, campaign, item, labels[k], entry, gold=gold, queued_only=True
        )
        action = "review.gold" if done.gold else "review.label"
        await self.also_audit(ref, action, f"item {item.id}", labels[k], campaign.id)
        if done.gold:
            self.k.forget_campaign(campaign.id)  # its gold map changed (this campaign only)
        header = _decided(done, game.describe(campaign, item, labels[k]))
        nxt = await self._step(scope, tally_key(campaign.id, item.id), forward=True, header=header)
        return replace(nxt, replace=True, notice=header)

    async def _step(
        self, scope: Scope, key: int, *, forward: bool, header: str | None = None
    ) -> Reply:
        """The item after (or before) `key` in the queue, wrapping around at the end."""
        here = split_key(key)
        ids = list(scope)
        found = await (
            self.k.store.review_queue(ids, after=here)
            if forward
            else self.k.store.review_queue(ids, before=here)
        )
        if not found:  # wrap around
            found = await (
                self.k.store.review_queue(ids)
                if forward
                else self.k.store.review_queue(ids, before=END)
            )
        if not found:
            return empty_queue(header)
        if (found[0].campaign_id, found[0].item_id) == here and header is None:
            header = "That's the only item in review."
        return await self._card(scope, found[0], header=header)

    async def _card(
        self, scope: Scope, t: TallyRow, *, header: str | None = None, gold_mode: bool = False
    ) -> Reply:
        campaign = scope[t.campaign_id]
        item = await self.k.campaign_item(campaign.id, t.item_id)
        total = (await self.k.store.review_counts([campaign.id])).get(campaign.id, 0)
        position = await self.k.store.review_position(campaign.id, item.id)
        return review_card(
            self.k.game(campaign.game),
            campaign,
            item,
            t,
            await self.k.store.item_answers(campaign.id, item.id),
            await self.k.media(item),
            position=min(position, max(total, 1)),
            total=max(total, 1),
            header=header,
            gold_mode=gold_mode,
        )


def _replacing(reply: Reply) -> Reply:
    return replace(reply, replace=True)


def _decided(done: Decision, said: str) -> str:
    if done.gold:
        return f"⭐ Item {done.item.id} is now a gold item: {said}."
    return f"✅ Item {done.item.id} labelled {said} (expert label)."
