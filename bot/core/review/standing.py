"""Use cases for moderators: who may moderate what, players' standings (and their reset), and
the campaign quality report.

Scope (the one rule of `bot/core/kernel/scope.py`, `can_manage`): a moderator (Discord:
Manage Server or the moderator role; Telegram: a group administrator) acts in the group or
server they moderate, on that community's campaigns only. Shared campaigns (no community) are
moderated by bot admins only: community moderators do not see their review queue, standings
or report at all. Admins from the config act anywhere, on every campaign. A player is shown
only to moderators of a community they play in (a standing in one of its campaigns, or it is
their home community); anyone else is told exactly what they would hear about a stranger.
Nobody resets their own standing, bot admins included.

Reset (the `m` button, operation `OP_RESET`): in every campaign of the moderator's scope the
player's spam counters and gold record (which feed the accuracy floor and the reliability)
are cleared, and a failed tutorial may be retried at once; answers, points and a passed
tutorial stay. The action is written to `review_log` with the standing before the reset.
`button_m` handles the standing operations (`review_cards.STANDING_OPS`) and passes any other
`m` operation to the next mixin, so other features can share the action.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, replace

from bot.core.kernel import scope
from bot.core.kernel import texts as kernel_texts
from bot.core.kernel.codec import Payload
from bot.core.kernel.context import Kernel
from bot.core.kernel.errors import InvalidInput, NotFound, PermissionDenied, UnknownPayload
from bot.core.kernel.models import PlayerRef, Reply
from bot.core.kernel.scope import find_actor
from bot.core.play.quality import QualityRules
from bot.core.review import texts
from bot.core.review.cards import OP_RESET, STANDING_OPS, standing_card
from bot.core.review.report import campaign_report, format_report
from storage import CampaignRow, PlayerRow, ReviewLogEntry

log = logging.getLogger(__name__)


def actor_of(ref: PlayerRef) -> str:
    """How the log names a moderator: platform and user id, never a display name."""
    return f"{ref.platform}:{ref.external_id}"


class StandingCases:
    """Standings (per player and campaign) for moderators, the reset, the quality report."""

    def __init__(self, k: Kernel, quality: QualityRules) -> None:
        self.k = k
        self.quality = quality

    async def moderated_campaigns(self, ref: PlayerRef, command: str) -> list[CampaignRow]:
        """The campaigns `ref` may moderate (see the scope rule); PermissionDenied if none."""
        actor = await find_actor(self.k, ref)
        if not scope.is_moderator(actor):
            raise PermissionDenied(texts.MODERATORS_ONLY_COMMAND, command=command)
        everything = await self.k.store.list_campaigns()
        return [c for c in everything if scope.can_manage(actor, c.community_id)]

    async def visible_player(
        self, ref: PlayerRef, player_id: int, campaigns: list[CampaignRow], who: str
    ) -> PlayerRow:
        """The player, if they play in the moderator's scope (a standing in one of its
        campaigns, or it is their home community); else NotFound exactly as for a stranger."""
        player = await self.k.store.get_player(player_id)
        if player is None:
            raise NotFound(texts.NOT_A_PLAYER, who=who)
        actor = await find_actor(self.k, ref)
        if actor.is_admin or (
            actor.community_id is not None and player.home_community_id == actor.community_id
        ):
            return player
        ids = {c.id for c in campaigns}
        if not any(s.campaign_id in ids for s in await self.k.store.player_standings(player_id)):
            raise NotFound(texts.NOT_A_PLAYER, who=who)
        return player

    async def log_actor(self, ref: PlayerRef) -> tuple[str, int | None]:
        """The moderator as the log records them (their player id when they play too)."""
        ident = await self.k.store.get_identity(ref.platform, ref.external_id)
        return actor_of(ref), None if ident is None else ident.player_id

    async def also_audit(
        self, ref: PlayerRef, action: str, target: str, detail: str, campaign_id: int | None
    ) -> None:
        """Copy an action to the shared audit log (/audit) when the engine keeps one."""
        await self.k.audit(ref, action, target, detail, campaign=campaign_id)

    # standings ----------------------------------------------------------------------------

    async def standing(
        self, ref: PlayerRef, target_external_id: str | None, target_name: str | None = None
    ) -> Reply:
        """A player's standing per campaign (gold accuracy, reliability, tutorial, spam flags
        with reasons) and a Reset button. The player is named by their user id on `ref`'s
        platform."""
        campaigns = await self.moderated_campaigns(ref, "/standing")
        if not target_external_id:
            raise InvalidInput(texts.WHOSE_STANDING)
        ident = await self.k.store.get_identity(ref.platform, target_external_id)
        who = target_name or "That user"
        if ident is None:
            raise NotFound(texts.NOT_A_PLAYER, who=who)
        await self.visible_player(ref, ident.player_id, campaigns, who)
        return await self._standing_card(ident.player_id, campaigns)

    async def _standing_card(
        self, player_id: int, campaigns: list[CampaignRow], header: str | None = None
    ) -> Reply:
        player = await self.k.player_row(player_id)
        scope = {c.id: c for c in campaigns}
        parts = [
            (scope[s.campaign_id], s, await self.k.gold_items(scope[s.campaign_id]))
            for s in await self.k.store.player_standings(player_id)
            if s.campaign_id in scope
        ]
        return standing_card(
            player.display_name, player_id, parts, self.quality, self.k.now(), header
        )

    async def press_moderation(self, ref: PlayerRef, p: Payload) -> Reply:
        """Moderator operations on a player (`m`, ops "s0".."sz"): reset a standing."""
        args = p.args
        if args[1] not in STANDING_OPS:
            raise UnknownPayload(kernel_texts.UNKNOWN_BUTTON)
        if args[1] != OP_RESET:
            raise UnknownPayload(texts.NEWER_BUTTON)
        return await self.reset_standing(ref, args[0])

    async def reset_standing(self, ref: PlayerRef, player_id: int) -> Reply:
        """Reset a player's standing in the moderator's campaigns (see the module docstring)."""
        campaigns = await self.moderated_campaigns(ref, "/standing")
        await self.visible_player(ref, player_id, campaigns, "That user")
        actor, actor_pid = await self.log_actor(ref)
        if actor_pid == player_id:
            raise PermissionDenied(texts.NOT_YOUR_OWN_STANDING)
        ids = {c.id for c in campaigns}
        before = {
            s.campaign_id: {k: v for k, v in asdict(s).items() if k != "player_id"}
            for s in await self.k.store.player_standings(player_id)
            if s.campaign_id in ids
        }
        entry = ReviewLogEntry(
            "reset_standing",
            actor,
            self.k.now(),
            actor_pid,
            None,
            None,
            player_id,
            {"campaigns": sorted(before), "before": {str(k): v for k, v in before.items()}},
        )
        n = await self.k.store.reset_standings(player_id, sorted(before), entry)
        log.info("standing of player %s reset in %d campaigns by %s", player_id, n, actor)
        if n:
            campaigns_reset = ", ".join(str(c) for c in sorted(before))
            await self.also_audit(
                ref, "standing.reset", f"player {player_id}", f"campaigns {campaigns_reset}", None
            )
        header = (
            "♻️ Standing reset: spam counters and check-item record cleared; a failed tutorial "
            "can be retried now."
            if n
            else "Nothing to reset."
        )
        card = await self._standing_card(player_id, campaigns, header)
        return replace(card, notice="Standing reset." if n else "Nothing to reset.")

    # report -------------------------------------------------------------------------------

    async def quality_report(self, ref: PlayerRef, campaign_name: str | None = None) -> Reply:
        """The quality report of a campaign the moderator moderates (by name, else the first
        active one)."""
        campaigns = await self.moderated_campaigns(ref, "/report")
        campaign = pick_moderated(campaigns, campaign_name)
        report = await campaign_report(self.k.store, campaign, self.quality)
        return Reply(format_report(report), ephemeral=True)


def pick_moderated(campaigns: list[CampaignRow], name: str | None) -> CampaignRow:
    """A campaign of the scope by name (case-insensitive), else the first active one."""
    if name:
        for c in campaigns:
            if c.name.casefold() == name.strip().casefold():
                return c
        raise NotFound(texts.NO_MODERATED_CAMPAIGN_NAMED, name=name)
    active = [c for c in campaigns if c.status == "active"] or campaigns
    if not active:
        raise NotFound(texts.NO_CAMPAIGN_HERE)
    return active[0]
