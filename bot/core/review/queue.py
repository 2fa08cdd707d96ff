"""Review rules shared by the chat use cases and `run.py review`: which labels an expert may
set, what an item in review looks like, and how a decision is stored.

- An item is in the review queue when its tally reached `max_overlap` below the confidence
  threshold (`tally.py`). It is *undecided* when no counted answer named a label (every
  counted answer abstained) and *disputed* otherwise.
- The expert's label must be one of the labels that count as evidence for the item (the
  campaign's options; free-text games: any label, normalized by the game). It overrides the
  crowd in exports and reports; the crowd's own label is kept beside it.
- Promotion to gold: the item becomes a gold item with the expert's label as its answer and an
  explanation players see after answering it (default: the crowd's split and the decision).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from bot.core.kernel.errors import InvalidInput, NotFound
from bot.core.review import texts
from bot.games.base import Game
from bot.games.registry import get_game
from storage import CampaignRow, ItemRow, ReviewLogEntry, Store, TallyRow

log = logging.getLogger(__name__)

MAX_FREE_TEXT_CHOICES = 8


@dataclass(frozen=True, slots=True)
class Decision:
    """What a moderator decided about one item."""

    campaign: CampaignRow
    item: ItemRow
    label: str
    previous: TallyRow
    tally: TallyRow
    gold: bool


def evidence_votes(t: TallyRow) -> dict[str, int]:
    """Counted answers per label that name a label (abstentions left out)."""
    return {k: int(v[2]) for k, v in t.counts.items() if len(v) > 2 and v[2] > 0}


def queue_kind(t: TallyRow) -> str:
    return "disputed" if evidence_votes(t) else "undecided"


def label_choices(game: Game, campaign: CampaignRow, item: ItemRow, t: TallyRow) -> list[str]:
    """The labels an expert picks from, in button order: the game's evidence options, or for
    a free-text game the labels the crowd gave (most votes first)."""
    if not game.free_text:
        return list(game.evidence_options(campaign, item))
    votes = evidence_votes(t)
    ranked = sorted(votes, key=lambda k: (-votes[k], k))
    return ranked[:MAX_FREE_TEXT_CHOICES]


def expert_label(game: Game, campaign: CampaignRow, item: ItemRow, raw: str) -> str:
    """`raw` as a stored label; InvalidInput naming the valid labels when it is not one."""
    label = game.normalize(campaign, item, raw)
    allowed = game.evidence_options(campaign, item)
    if not game.free_text and label not in allowed:
        raise InvalidInput(
            texts.NOT_A_LABEL, raw=raw, campaign=campaign.name, allowed=", ".join(allowed)
        )
    return label


def vote_split(game: Game, campaign: CampaignRow, item: ItemRow, t: TallyRow) -> str:
    """`Yes 3 · No 3 · Not sure 1`: counted answers per label, options first."""
    counts = {k: int(v[0]) for k, v in t.counts.items() if v and v[0] > 0}
    keys = [o.key for o in game.options(campaign, item)] if not game.free_text else []
    keys += sorted((k for k in counts if k not in keys), key=lambda k: (-counts[k], k))
    shown = [k for k in keys if counts.get(k) or not game.free_text]
    return " · ".join(f"{game.describe(campaign, item, k)} {counts.get(k, 0)}" for k in shown)


def default_explanation(
    game: Game, campaign: CampaignRow, item: ItemRow, t: TallyRow, label: str
) -> str:
    said = game.describe(campaign, item, label)
    split = vote_split(game, campaign, item, t)
    return f"A moderator checked this one: {said}. (The crowd was split: {split}.)"


async def decide(
    store: Store,
    game: Game,
    campaign: CampaignRow,
    item: ItemRow,
    label: str,
    entry: ReviewLogEntry,
    *,
    gold: bool = False,
    explanation: str | None = None,
    queued_only: bool = False,
) -> Decision:
    """Store the expert label (and the promotion to gold) with its log row. `queued_only`:
    only while the item is in the review queue (the chat path). `item` is the item as this
    campaign sees it (`Kernel.campaign_item`); gold is written for this campaign only
    (`campaign_gold`), so other campaigns over the same dataset never see it."""
    before = await store.get_tally(campaign.id, item.id)
    if before is None:
        raise NotFound(texts.ITEM_NOT_IN_CAMPAIGN, item=item.id, campaign=campaign.name)
    if item.gold is not None and item.gold != label:
        raise InvalidInput(texts.ITEM_IS_GOLD, item=item.id, gold=item.gold)
    why = None
    if gold and item.gold is None:
        why = explanation or default_explanation(game, campaign, item, before, label)
    stored = await store.set_expert_label(
        campaign.id, item.id, label, entry, gold_explanation=why, queued_only=queued_only
    )
    if stored is None:
        raise NotFound(texts.ITEM_NOT_IN_CAMPAIGN, item=item.id, campaign=campaign.name)
    log.info(
        "item %s of campaign %s labelled %r by %s%s",
        item.id,
        campaign.id,
        label,
        entry.actor,
        " (now gold)" if why else "",
    )
    return Decision(campaign, item, label, before, stored, why is not None)


async def set_label(
    store: Store,
    campaign: CampaignRow,
    item: ItemRow,
    raw_label: str,
    actor: str,
    now: float,
    *,
    gold: bool = False,
    explanation: str | None = None,
) -> Decision:
    """An expert label on any item of the campaign (`run.py review --set` and the API's
    `PUT .../label`): `raw_label` checked by `expert_label`, the item read with this
    campaign's gold, logged as a `label` action of `actor` ("cli", "api:<token id>")."""
    here = (await store.campaign_gold(campaign.id)).get(item.id)  # gold is per campaign
    item = replace(
        item, gold=here[0] if here else None, gold_explanation=here[1] if here else None
    )
    game = get_game(campaign.game)
    label = expert_label(game, campaign, item, raw_label.strip())
    entry = ReviewLogEntry("label", actor, now, None, campaign.id, item.id, None, {"label": label})
    return await decide(
        store, game, campaign, item, label, entry, gold=gold, explanation=explanation
    )
