"""The JSON API's write use cases (`engine.intake`): push items to a campaign, set an expert
label. The web adapter checks the token's write scope first; scope (which campaigns a token
sees) is the label feed's (`bot.core.exports.feed`): out of scope is `NotFound`, like missing.

Rules:
- a push is all or nothing: every item is checked (`parse`), the new images are decoded and
  re-encoded like imported ones (`storage.reencode`: format by content, pixel caps, no
  metadata), then everything is stored in one transaction; the first problem names its item;
- an item whose `source` is already in the campaign is not decoded nor changed: it is
  reported under `present` (a pipeline may push the same batch again); a source that another
  campaign's item holds in the same dataset is refused (naming the field), so a push never
  reaches an item of another campaign;
- writes follow chat's `can_manage`: a token limited to communities changes its communities'
  campaigns only, never a shared one (403); out of sight is 404, as for reads;
- new items reopen a `completed` campaign (it becomes `active` again); a stopped or archived
  campaign takes none (`Closed`);
- every push and label is in the audit log, by token id (`api:<id>`), never the token.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.access import Principal
from bot.core.campaigns import quickdraw_import
from bot.core.exports import feed as label_feed
from bot.core.intake import texts
from bot.core.intake.parse import IMAGE_MAX_BYTES, Draft, parse_push
from bot.core.kernel.context import Kernel
from bot.core.kernel.errors import InvalidInput, LabelQuestError, NotFound, PermissionDenied
from bot.core.review import Decision, set_label
from bot.games.registry import get_game
from storage import CampaignRow, ImageLimits, NewItem, PixelBudget, image_size, reencode

OPEN_FOR_ITEMS = ("draft", "active", "paused", "completed")
MB = 1024 * 1024


class Closed(LabelQuestError):
    """The campaign takes no new items (stopped or archived)."""

    key = "closed"


@dataclass(frozen=True, slots=True)
class Pushed:
    """One item of a push: where it was in the request, its source and item id."""

    index: int
    source: str
    item_id: int


@dataclass(frozen=True, slots=True)
class PushResult:
    created: list[Pushed]
    present: list[Pushed]


class Intake:
    """Use cases of the API's write side."""

    def __init__(self, kernel: Kernel, feed: label_feed.LabelFeed) -> None:
        self.k = kernel
        self.feed = feed

    async def push(self, principal: Principal, campaign_id: int, body: object) -> PushResult:
        """Store the items of a push body in the campaign (see the module rules)."""
        campaign = await self._managed(principal, campaign_id)
        if campaign.status not in OPEN_FOR_ITEMS:
            raise Closed(texts.CAMPAIGN_CLOSED, campaign=campaign.name, status=campaign.status)
        drafts = parse_push(body, campaign, get_game(campaign.game))
        known = await self.k.store.campaign_sources(
            campaign.id, campaign.dataset_id, [d.source for d in drafts]
        )
        for d in drafts:
            if d.source in known and not known[d.source][1]:
                raise InvalidInput(texts.SOURCE_TAKEN, field=f"{d.field}.source")
        fresh = [d for d in drafts if d.source not in known]
        items = await asyncio.to_thread(_new_items, fresh)
        pairs = [(it, d.priority) for d, it in zip(fresh, items, strict=True)]
        now = self.k.now()
        stored = await self.k.store.push_campaign_items(
            campaign.id, campaign.dataset_id, pairs, now
        )
        created: list[Pushed] = []
        present = [
            Pushed(d.index, d.source, known[d.source][0]) for d in drafts if d.source in known
        ]
        for d, (iid, new) in zip(fresh, stored, strict=True):
            (created if new else present).append(Pushed(d.index, d.source, iid))
        created.sort(key=lambda p: p.index)
        present.sort(key=lambda p: p.index)
        if created:
            await self._reopen(campaign, now)
        await self.k.audit(
            _actor(principal), "items.push", campaign.name,
            f"created={len(created)} present={len(present)}", campaign=campaign,
        )  # fmt: skip
        return PushResult(created, present)

    async def _managed(self, principal: Principal, campaign_id: int) -> CampaignRow:
        """A campaign the token may change: one it sees (else `NotFound`, like a missing one)
        and, when shared (no community), only with a token of every community (an admin's),
        as chat lets only admins manage shared objects (`PermissionDenied` otherwise)."""
        campaign = await self.feed.campaign(principal, campaign_id)
        if campaign.community_id is None and principal.communities:
            raise PermissionDenied(texts.SHARED_FOR_ADMINS, campaign=campaign.name)
        return campaign

    async def _reopen(self, campaign: CampaignRow, now: float) -> None:
        if campaign.status == "completed":
            await self.k.store.change_campaign_status(campaign.id, ("completed",), "active", now)
        self.k.forget_campaign(campaign.id)

    async def set_label(
        self,
        principal: Principal,
        campaign_id: int,
        item_id: int,
        label: str,
        *,
        gold: bool = False,
        explanation: str | None = None,
    ) -> Decision:
        """An expert label on an item of the campaign, as `run.py review --set` sets it;
        `InvalidInput` naming `label` (or `explanation`) when it is not one of the labels."""
        campaign = await self._managed(principal, campaign_id)
        item = await self.k.store.get_item(item_id)
        if item is None or await self.k.store.get_tally(campaign.id, item_id) is None:
            raise NotFound(texts.ITEM_NOT_HERE, item_id=item_id, campaign_id=campaign_id)
        try:
            done = await set_label(
                self.k.store, campaign, item, label, _actor(principal), self.k.now(),
                gold=gold, explanation=explanation,
            )  # fmt: skip
        except InvalidInput as exc:
            raise InvalidInput(texts.LABEL_PROBLEM, field="label", problem=exc.message) from None
        self.k.forget_campaign(campaign.id)
        await self.k.audit(
            _actor(principal), "review.label", f"item {item_id}",
            f"label={done.label!r}" + (" gold" if done.gold else ""), campaign=campaign,
        )  # fmt: skip
        return done


def _actor(principal: Principal) -> str:
    return f"api:{principal.token_id}"


def _new_items(drafts: Sequence[Draft]) -> list[NewItem]:
    """The stored form of new drafts: images decoded, checked and re-encoded (blocking: run in
    a thread); the first bad image raises `InvalidInput` naming its item."""
    limits = ImageLimits()
    budget = PixelBudget(limits.max_total_pixels)
    out: list[NewItem] = []
    for d in drafts:
        if d.drawing is not None:
            item = quickdraw_import.doodle_item(
                d.drawing, d.source, "raw" if d.drawing.timed else "simplified", "api"
            )
            out.append(NewItem(
                kind=item.kind, source=d.source, candidate=d.prediction, truth=d.truth,
                meta=item.meta, media=item.media, mime=item.mime,
            ))  # fmt: skip
            continue
        data = mime = None
        if d.image is not None:
            if len(d.image) > IMAGE_MAX_BYTES:
                raise InvalidInput(
                    texts.IMAGE_TOO_BIG, field=f"{d.field}.image",
                    most_mb=IMAGE_MAX_BYTES // MB, size_mb=len(d.image) / MB,
                )  # fmt: skip
            try:
                data, mime = reencode(d.image, "it", limits, budget)
            except ValueError as exc:
                raise InvalidInput(
                    texts.NOT_IMAGE, field=f"{d.field}.image", problem=str(exc)
                ) from None
        size = image_size(data) if data is not None else None
        out.append(NewItem(
            kind=d.kind, source=d.source, text=d.text, candidate=d.prediction, truth=d.truth,
            media=data, mime=mime, meta={"width": size[0], "height": size[1]} if size else {},
        ))  # fmt: skip
    return out
