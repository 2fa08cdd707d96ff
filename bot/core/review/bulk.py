"""Bulk review: one decision for many items of one campaign's review queue (the dashboard's
review page; `ReviewCases.bulk` and `ReviewCases.queue_of`).

Rules:
- Scope (`bot/core/kernel/scope.py`): the campaign must be one the `Actor` may manage
  (`can_manage`: their community's as a moderator, any as a bot admin; shared campaigns are
  managed by bot admins only). Any other campaign, and a missing one, is `NotFound` with the
  same words, so nothing about other communities leaks.
- Actions (`ACTIONS`):
  - `label`: set the expert label of each item (`queue.decide`, the same path as the chat
    buttons and `run.py review --set`), logged in the review log as `label`;
  - `gold`: the same, and each item becomes a gold item of this campaign with the
    explanation given (default: the crowd's split and the decision), logged as `gold` too;
  - `send_back`: return each item to the crowd (`Store.send_back`): its tally goes back to
    `open` with its answers kept and room for `min_overlap` more answers beyond those it has,
    so players are served it again; logged as `send_back`. It comes back to the queue when it
    reaches that many answers still below the campaign's confidence.
- All or nothing: every item must be in the campaign's review queue now (not gold), and the
  label must be one of the campaign's labels (free-text games: any label). Otherwise
  `InvalidInput` names the label or every refused item and nothing is changed.
- Every decision is also copied to the audit log (`review.label`, `review.gold`,
  `review.send_back`) with the actor "<platform>:<user id>", never a display name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.kernel import scope
from bot.core.kernel.errors import InvalidInput, NotFound
from bot.core.kernel.models import Media
from bot.core.kernel.scope import Actor
from bot.core.review import texts
from bot.core.review.queue import decide, expert_label, label_choices, queue_kind, vote_split
from bot.core.review.standing import StandingCases
from storage import TALLY_REVIEW, CampaignRow, ItemRow, ReviewLogEntry, TallyRow

LABEL, GOLD, SEND_BACK = "label", "gold", "send_back"
ACTIONS = (LABEL, SEND_BACK, GOLD)
MAX_ITEMS = 500
MAX_EXPLANATION = 500
QUEUE_LIMIT = 200


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """One item of a review queue as a page shows it."""

    campaign: CampaignRow
    item: ItemRow
    tally: TallyRow
    kind: str
    """`disputed` or `undecided` (`queue.queue_kind`)."""
    votes: str
    """The vote split, e.g. `Yes 3 · No 3`."""
    labels: list[str]
    """The labels an expert may pick, in button order."""


@dataclass(frozen=True, slots=True)
class ReviewQueue:
    """The campaigns an actor may manage, the chosen one (None: all) and its queue."""

    campaigns: list[CampaignRow]
    chosen: CampaignRow | None
    entries: list[QueueEntry]
    counts: dict[int, int]
    """Items in review per campaign (campaigns with none left out)."""


@dataclass(frozen=True, slots=True)
class BulkResult:
    action: str
    campaign: CampaignRow
    item_ids: list[int]
    label: str | None
    summary: str
    """What was done, in words: `2 items labelled 'cat'`."""


def managed(campaigns: Sequence[CampaignRow], actor: Actor) -> list[CampaignRow]:
    return [c for c in campaigns if scope.can_manage(actor, c.community_id)]


async def managed_campaign(cases: StandingCases, actor: Actor, campaign_id: int) -> CampaignRow:
    """The campaign if `actor` may manage it; NotFound exactly as for a missing one."""
    found = await cases.k.store.get_campaign(campaign_id)
    if found is None or not scope.can_manage(actor, found.community_id):
        raise NotFound(texts.NO_CAMPAIGN_ID, campaign_id=campaign_id)
    return found


async def queue_of(
    cases: StandingCases, actor: Actor, campaign_id: int | None = None, limit: int = QUEUE_LIMIT
) -> ReviewQueue:
    """The review queue of every campaign `actor` manages, or of the one named."""
    k = cases.k
    campaigns = managed(await k.store.list_campaigns(), actor)
    chosen = None if campaign_id is None else await managed_campaign(cases, actor, campaign_id)
    ids = [c.id for c in campaigns] if chosen is None else [chosen.id]
    by_id = {c.id: c for c in campaigns}
    if chosen is not None:
        by_id[chosen.id] = chosen
    entries = []
    for t in await k.store.review_queue(ids, limit=limit):
        c = by_id[t.campaign_id]
        item = await k.campaign_item(c.id, t.item_id)
        game = k.game(c.game)
        entries.append(
            QueueEntry(
                c,
                item,
                t,
                queue_kind(t),
                vote_split(game, c, item, t),
                label_choices(game, c, item, t),
            )
        )
    counts = await k.store.review_counts([c.id for c in campaigns])
    return ReviewQueue(campaigns, chosen, entries, counts)


def _checked_ids(item_ids: Sequence[int]) -> list[int]:
    ids = list(dict.fromkeys(item_ids))
    if not ids:
        raise InvalidInput(texts.BULK_NO_ITEMS)
    if len(ids) > MAX_ITEMS:
        raise InvalidInput(texts.BULK_TOO_MANY, count=len(ids), limit=MAX_ITEMS)
    return ids


async def _queued(
    cases: StandingCases, campaign: CampaignRow, ids: list[int]
) -> list[tuple[ItemRow, TallyRow]]:
    """Each item with its tally; InvalidInput naming every item not in the queue now."""
    found, bad = [], []
    for item_id in ids:
        t = await cases.k.store.get_tally(campaign.id, item_id)
        if t is None or t.status != TALLY_REVIEW:
            bad.append(item_id)
            continue
        item = await cases.k.campaign_item(campaign.id, item_id)
        if item.gold is not None:
            bad.append(item_id)
            continue
        found.append((item, t))
    if bad:
        raise InvalidInput(
            texts.BULK_NOT_QUEUED,
            items=", ".join(str(i) for i in bad),
            campaign=campaign.name,
        )
    return found


async def bulk(
    cases: StandingCases,
    actor: Actor,
    campaign_id: int,
    item_ids: Sequence[int],
    action: str,
    label: str | None = None,
    explanation: str | None = None,
) -> BulkResult:
    """Apply one decision to many items of one campaign (see the module rules)."""
    campaign = await managed_campaign(cases, actor, campaign_id)
    if action not in ACTIONS:
        raise InvalidInput(texts.BULK_UNKNOWN_ACTION, action=action, actions=", ".join(ACTIONS))
    explanation = (explanation or "").strip() or None
    if explanation is not None and len(explanation) > MAX_EXPLANATION:
        raise InvalidInput(texts.BULK_EXPLANATION_TOO_LONG, limit=MAX_EXPLANATION)
    found = await _queued(cases, campaign, _checked_ids(item_ids))
    if action == SEND_BACK:
        return await _send_back(cases, actor, campaign, found)
    raw = (label or "").strip()
    if not raw:
        raise InvalidInput(texts.BULK_LABEL_NEEDED, action=action)
    game = cases.k.game(campaign.game)
    labels = {item.id: expert_label(game, campaign, item, raw) for item, _t in found}
    actor_name, actor_pid = await cases.log_actor(actor.ref)
    gold = action == GOLD
    for item, t in found:
        entry = ReviewLogEntry(
            "label",
            actor_name,
            cases.k.now(),
            actor_pid,
            campaign.id,
            item.id,
            None,
            {"label": labels[item.id], "crowd": t.label, "status": t.status, "bulk": True},
        )
        await decide(
            cases.k.store,
            game,
            campaign,
            item,
            labels[item.id],
            entry,
            gold=gold,
            explanation=explanation,
            queued_only=True,
        )
        what = "review.gold" if gold else "review.label"
        await cases.also_audit(actor.ref, what, f"item {item.id}", labels[item.id], campaign.id)
    if gold:
        cases.k.forget_campaign(campaign.id)  # its gold map changed
    shown = labels[found[0][0].id]
    done = "made gold with the answer" if gold else "labelled"
    summary = f"{_items(len(found))} of {campaign.name} {done} {shown!r}"
    return BulkResult(action, campaign, [i.id for i, _t in found], shown, summary)


async def _send_back(
    cases: StandingCases,
    actor: Actor,
    campaign: CampaignRow,
    found: list[tuple[ItemRow, TallyRow]],
) -> BulkResult:
    actor_name, actor_pid = await cases.log_actor(actor.ref)
    now = cases.k.now()
    more = max(1, campaign.min_overlap)
    entries = [
        ReviewLogEntry(
            SEND_BACK,
            actor_name,
            now,
            actor_pid,
            campaign.id,
            item.id,
            None,
            {"crowd": t.label, "answers": t.n_answers, "more": more},
        )
        for item, t in found
    ]
    done = await cases.k.store.send_back(campaign.id, entries, more, campaign.max_overlap)
    if done is None:  # one left the queue since it was checked: nothing was changed
        raise InvalidInput(
            texts.BULK_NOT_QUEUED,
            items=", ".join(str(i.id) for i, _t in found),
            campaign=campaign.name,
        )
    for item, t in found:
        detail = f"{t.n_answers} answers kept, room for {more} more"
        await cases.also_audit(
            actor.ref, "review.send_back", f"item {item.id}", detail, campaign.id
        )
    summary = f"{_items(len(found))} of {campaign.name} sent back to the crowd"
    return BulkResult(SEND_BACK, campaign, [i.id for i, _t in found], None, summary)


def _items(n: int) -> str:
    return "1 item" if n == 1 else f"{n} items"


async def item_media(
    cases: StandingCases, actor: Actor, campaign_id: int, item_id: int
) -> Media | None:
    """What shows an item of a campaign `actor` manages (None: a text item); NotFound like a
    missing one for any other campaign or an item not in it."""
    campaign = await managed_campaign(cases, actor, campaign_id)
    if await cases.k.store.get_tally(campaign.id, item_id) is None:
        raise NotFound(texts.ITEM_NOT_IN_CAMPAIGN, item=item_id, campaign=campaign.name)
    return await cases.k.media(await cases.k.campaign_item(campaign.id, item_id))
