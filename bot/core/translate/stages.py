"""Stage one to stage two: a typed translation becomes a candidate other players validate.

Rules (docs/translate.md):
- one candidate per distinct translation of a source: translations are compared by their
  normalised forms ignoring case (`bot.games.translate.same_translation`); the check and the
  insert run under the store's cross-process lock of the source, so two players typing the
  same words at once still make one candidate;
- a translation equal to an existing candidate makes no new item: it counts as support for
  that candidate (the stage-one answers on the source that name it) and its typist joins
  the candidate's excluded players, so they never validate what they wrote themselves;
- a candidate takes `validators` answers when the campaign sets it (its tally's
  `extra_overlap` = validators - max_overlap), else the campaign's overlap.
"""

from __future__ import annotations

import uuid

from bot.core.kernel.context import Kernel
from bot.games.translate import CANDIDATE, normalize_translation, same_translation
from storage import CampaignRow, ContributionRow, ItemRow, NewContribution, NewItem

KIND = "translation"
"""`contributions.kind` of a candidate translation."""


class Stages:
    """Candidates from typed translations."""

    def __init__(self, k: Kernel) -> None:
        self.k = k

    async def add_translation(
        self, campaign: CampaignRow, source: ItemRow, pid: int, text: str, platform: str
    ) -> ContributionRow | None:
        """The new candidate for `text`, or None when it supports an existing one."""
        store = self.k.store
        async with store.exclusive(f"translate:{campaign.id}:{source.id}"):
            for c in await store.campaign_contributions(campaign.id, KIND, source.id):
                item = await store.get_item(c.item_id)
                if item is not None and same_translation(item.candidate or "", text):
                    if c.player_id != pid:
                        await store.exclude_players(c.item_id, [pid])
                    return None
            row = await store.add_contribution(
                NewContribution(
                    campaign_id=campaign.id,
                    player_id=pid,
                    kind=KIND,
                    platform=platform,
                    item=NewItem(
                        kind="text",
                        source=f"translation:{uuid.uuid4().hex}",
                        text=source.text,
                        candidate=normalize_translation(text),
                        meta={"stage": CANDIDATE, "source_item_id": source.id},
                    ),
                    parent_item_id=source.id,
                ),
                self.k.now(),
            )
        validators = campaign.settings.get("validators")
        if validators:
            await store.set_extra_overlap(
                campaign.id, row.item_id, int(validators) - campaign.max_overlap
            )
        return row
