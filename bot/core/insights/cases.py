"""The dashboard's read use cases (`engine.insights`): every call takes the viewer's
`Actor` and answers only what `can_see` allows.

Rules:
- a campaign the actor may not see is `NotFound` with the same words as a missing one, and
  so is an item of it, its image, and an item the campaign does not have;
- players are named (display name) only to bot admins, and never when the player chose to
  be hidden (/privacy); everyone else sees the export pseudonym (`pseudonym(salt, id)`), so
  the dashboard and the exports call a player by the same name;
- progress and agreement count non-gold items only, as the quality report does: alpha is
  Krippendorff's alpha (nominal; interval for a rating scale, `alpha_level`) over counted
  answers that name a label, mean confidence the mean posterior of crowd-finalized items,
  the label distribution the final label of each decided item (an expert's label overrides
  the crowd's);
- the audit log shows admins every entry and everyone else the entries about campaigns they
  may see (entries about no campaign, such as API tokens, are for admins only).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Sequence

from bot.aggregation.krippendorff import alpha_at_level
from bot.core.exports.batch_labels import evidence_of, method_rows
from bot.core.exports.labels import pseudonym, pseudonym_salt
from bot.core.insights import series, texts
from bot.core.insights.models import (
    AnswerView,
    AuditPage,
    AuditView,
    CampaignOverview,
    CampaignSummary,
    Contributor,
    ItemDetail,
    ItemPage,
    Page,
)
from bot.core.kernel.context import Kernel
from bot.core.kernel.errors import NotFound
from bot.core.kernel.models import Media
from bot.core.kernel.scope import Actor, can_see
from bot.games.base import JudgesAnswers
from bot.games.registry import get_game
from storage import TALLY_FINALIZED, AnswerRow, CampaignRow, ItemRow, TallyRow

ITEMS_PER_PAGE = 50
AUDIT_PER_PAGE = 50
STATES = ("finalized", "review", "open")
"""The item list's filters: finalized (crowd or expert), in review, open."""


class Insights:
    """Read models of the dashboard, scoped by the viewer's `Actor`."""

    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel

    # campaigns -------------------------------------------------------------------------

    async def campaigns(self, actor: Actor) -> list[CampaignSummary]:
        """Every campaign the actor may see, newest first, with its progress."""
        names = {c.id: c.name for c in await self.k.store.list_communities()}
        rows = [c for c in await self.k.store.list_campaigns() if can_see(actor, c.community_id)]
        rows.sort(key=lambda c: (-c.created_at, -c.id))
        return [await self._summary(c, names) for c in rows]

    async def campaign(self, actor: Actor, campaign_id: int) -> CampaignRow:
        """The campaign if the actor may see it; `NotFound` when missing or out of scope."""
        row = await self.k.store.get_campaign(campaign_id)
        if row is None or not can_see(actor, row.community_id):
            raise NotFound(texts.NO_SUCH_CAMPAIGN, campaign_id=campaign_id)
        return row

    async def overview(self, actor: Actor, campaign_id: int) -> CampaignOverview:
        """One campaign: counts, answers per day, cumulative finalized, labels, agreement."""
        row = await self.campaign(actor, campaign_id)
        names = {c.id: c.name for c in await self.k.store.list_communities()}
        summary = await self._summary(row, names)
        store = self.k.store
        answers = series.daily(await store.answers_per_day(row.id))
        per_day = await store.finalized_per_day(row.id)
        done = series.daily(per_day)
        before = sum(n for _, n in per_day) - sum(n for _, n in done)
        items = await store.campaign_items(row.id)
        tallies = await store.campaign_tallies(row.id)
        all_answers = await store.campaign_answers(row.id)
        labels, alpha, confidence = await asyncio.to_thread(
            agreement, row, items, tallies, all_answers
        )
        return CampaignOverview(
            summary, answers, series.cumulative(done, before), labels, alpha, confidence
        )

    async def _summary(self, row: CampaignRow, names: dict[int, str]) -> CampaignSummary:
        n = await self.k.store.campaign_counts(row.id)
        finalized = n.finalized + n.reviewed
        community = None if row.community_id is None else names.get(row.community_id, "?")
        open_ = n.items - finalized - n.review
        return CampaignSummary(
            row, community, n.items, finalized, n.review, open_, n.answers, n.players
        )

    # contributors ------------------------------------------------------------------------

    async def contributors(self, actor: Actor, campaign_id: int) -> list[Contributor]:
        """Who answered in the campaign, most answers first."""
        row = await self.campaign(actor, campaign_id)
        salt = await pseudonym_salt(self.k.store)
        out = []
        for c in await self.k.store.campaign_contributors(row.id):
            named = actor.is_admin and not c.hidden
            who = c.display_name if named else pseudonym(salt, c.player_id)
            out.append(
                Contributor(
                    who, named, c.answers, c.gold_answered, c.gold_right, c.last_at, c.points
                )
            )
        return out

    # items -------------------------------------------------------------------------------

    async def items(
        self, actor: Actor, campaign_id: int, state: str | None, page: int
    ) -> ItemPage:
        """One page (1-based, `ITEMS_PER_PAGE` rows) of the campaign's items in `state`
        (None: all; else one of `STATES`), by item id. A page past the end is empty."""
        if state is not None and state not in STATES:
            raise ValueError(state)
        row = await self.campaign(actor, campaign_id)
        offset = (max(page, 1) - 1) * ITEMS_PER_PAGE
        total, rows = await self.k.store.campaign_item_page(row.id, state, offset, ITEMS_PER_PAGE)
        return ItemPage(row, state, Page(max(page, 1), ITEMS_PER_PAGE, total), rows)

    async def item(self, actor: Actor, campaign_id: int, item_id: int) -> ItemDetail:
        """One item of the campaign with its tally and every answer to it."""
        row = await self.campaign(actor, campaign_id)
        listed = await self.k.store.campaign_item_row(row.id, item_id)
        if listed is None:
            raise NotFound(texts.NO_SUCH_ITEM, campaign_id=campaign_id, item_id=item_id)
        item = await self.k.campaign_item(row.id, item_id)
        salt = await pseudonym_salt(self.k.store)
        game = self.k.game(row.game)
        # a game that judges its own answers stores a canonical string (a set, JSON): shown
        # as the game describes it (multilabel `red|blue` -> "red, blue")
        readable = isinstance(game, JudgesAnswers)
        answers = [
            AnswerView(
                a.display_name
                if actor.is_admin and not a.hidden
                else pseudonym(salt, a.player_id),
                game.describe(row, item, a.label) if readable else a.label,
                a.created_at,
                a.is_gold,
                a.correct,
                a.weight,
                a.flag,
                a.label,
            )
            for a in await self.k.store.item_answer_views(row.id, item_id)
        ]
        has_media = item.kind in self.k.ext.media
        return ItemDetail(row, item, listed, answers, has_media)

    async def item_media(self, actor: Actor, campaign_id: int, item_id: int) -> Media:
        """The item's image (an image item's bytes, a doodle drawn), in scope; `NotFound`
        when the item has none."""
        detail = await self.item(actor, campaign_id, item_id)
        render = self.k.ext.media.get(detail.item.kind)
        media = None if render is None else await render(detail.item)
        if media is None:
            raise NotFound(texts.NO_MEDIA, item_id=item_id)
        return media

    # audit log ---------------------------------------------------------------------------

    async def audit(self, actor: Actor, page: int) -> AuditPage:
        """One page (1-based, newest first) of the entries the actor may see."""
        campaigns = {c.id: c for c in await self.k.store.list_campaigns()}
        ids: list[int] | None = None
        if not actor.is_admin:
            ids = sorted(i for i, c in campaigns.items() if can_see(actor, c.community_id))
        number = max(page, 1)
        total, rows = await self.k.store.audit_page(
            ids, (number - 1) * AUDIT_PER_PAGE, AUDIT_PER_PAGE
        )
        salt = await pseudonym_salt(self.k.store)
        views = []
        for e in rows:
            name = None
            if e.campaign_id is not None and e.campaign_id in campaigns:
                name = campaigns[e.campaign_id].name
            about = "" if e.player_id is None else pseudonym(salt, e.player_id)
            views.append(AuditView(e, name, about))
        return AuditPage(Page(number, AUDIT_PER_PAGE, total), views)


def agreement(
    campaign: CampaignRow,
    items: Sequence[ItemRow],
    tallies: Sequence[TallyRow],
    answers: Sequence[AnswerRow],
) -> tuple[dict[str, int], float | None, float | None]:
    """(label distribution, Krippendorff's alpha, mean confidence) over the non-gold items
    (pure, CPU-bound for big campaigns: run it in a thread)."""
    by_id = {i.id: i for i in items}
    plain = {k for k, v in by_id.items() if v.gold is None}
    live = [t for t in tallies if t.item_id in plain]
    finals: Counter[str] = Counter()
    for t in live:
        final = t.reviewed_label or (t.label if t.status == TALLY_FINALIZED else None)
        if final is not None:
            finals[final] += 1
    conf = [t.confidence for t in live if t.status == TALLY_FINALIZED and t.confidence is not None]
    game = get_game(campaign.game)
    names_label = evidence_of(game, campaign, by_id)
    counted = [a for a in answers if a.flag is None and a.item_id in plain]
    rows = method_rows(counted, names_label)
    level = getattr(game, "alpha_level", "nominal")
    alpha = alpha_at_level(level, rows) if rows else float("nan")
    return (
        dict(finals.most_common()),
        None if alpha != alpha else round(alpha, 4),
        round(sum(conf) / len(conf), 4) if conf else None,
    )
