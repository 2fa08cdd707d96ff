"""Solo doodles: `/doodle` serves a quick series in a private chat or DM, each doodle with
its word among a few distractors; a right pick earns points by speed (see `qd_base`).

A series is a chain of solo rounds; each round's `state` carries the series position and the
running score (`series`, `of`, `right`, `points`), so the buttons keep working after a
restart. A doodle served by the general `/play` session is answered the same way (its `a`
buttons), just without a series.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from bot.core.kernel import texts as kernel_texts
from bot.core.kernel.codec import Payload
from bot.core.kernel.errors import InvalidInput, NoTaskAvailable, NotFound, UnknownPayload
from bot.core.kernel.models import PlayerRef, Reply
from bot.core.play.quality import SPAM_FLAGS
from bot.core.quickdraw import cards as qd_cards
from bot.core.quickdraw import texts
from bot.core.quickdraw.base import DoodleBase, reward
from bot.core.rewards import points_for_guess
from bot.games.base import Option
from bot.games.quickdraw import word_of
from bot.games.quickdraw_matching import normalize
from storage import CampaignRow, ItemRow, NewGuess, RoundRow

log = logging.getLogger(__name__)

OWN_SKIPS = 20
"""How many of a player's own drawings one solo reservation skips over before giving up (the
hourly drawing limit keeps the real number far lower)."""
NO_DOODLES = "No doodles left for you right now: you've seen them all. Check back later!"


class SoloDoodleCases(DoodleBase):
    async def doodle_series(self, ref: PlayerRef, campaign_name: str | None = None) -> Reply:
        """Start a series of `series_length` doodles from the quick-draw campaigns the player
        can see (or the one named)."""
        pid = await self.k.require_player(ref)
        campaigns = await self._doodle_campaigns(ref, pid, campaign_name)
        state = {"series": 1, "of": self.qd_cfg.series_length, "right": 0, "points": 0}
        return await self._serve(ref, pid, campaigns, state)

    async def _doodle_campaigns(
        self, ref: PlayerRef, pid: int, name: str | None
    ) -> list[CampaignRow]:
        if name:
            named = await self.k.store.get_campaign_by_name(name)
            if named is None or not self.is_doodle_campaign(named):
                raise NotFound(texts.NO_QUICKDRAW_NAMED, name=name)
            if named.status != "active":
                raise InvalidInput(texts.CAMPAIGN_NOT_ACTIVE, name=name, status=named.status)
            return [named]
        found = [c for c in await self.k.visible_campaigns(ref, pid) if self.is_doodle_campaign(c)]
        if not found:
            raise NoTaskAvailable(texts.NO_QUICKDRAW_RUNNING)
        return found

    async def _serve(
        self, ref: PlayerRef, pid: int, campaigns: list[CampaignRow], state: dict[str, Any]
    ) -> Reply:
        now = self.k.now()
        expires = now + self.k.settings.game.reservation_minutes * 60
        for campaign in campaigns:
            rnd = await self._reserve_not_own(ref, pid, campaign, now, expires, state)
            if rnd is None:
                continue
            self.k.remember_round(rnd)
            item = await self.k.item(rnd.item_id)
            game = self.k.game(campaign.game)
            return qd_cards.solo_card(
                campaign,
                game.question(campaign, item),
                rnd,
                await self.k.media(item),
                game.options(campaign, item),
                int(state["series"]),
                int(state["of"]),
            )
        raise NoTaskAvailable(NO_DOODLES)

    async def _reserve_not_own(
        self,
        ref: PlayerRef,
        pid: int,
        campaign: CampaignRow,
        now: float,
        expires: float,
        state: dict[str, Any],
    ) -> RoundRow | None:
        """A solo doodle of `campaign` for `pid`, never their own drawing: a reservation that
        lands on one is closed as skipped at once (as the player's Skip would), so it is not
        offered to them again, and the next doodle is reserved (at most `OWN_SKIPS` times)."""
        for _ in range(OWN_SKIPS + 1):
            rnd = await self.k.store.reserve_solo_item(
                campaign.id,
                pid,
                gold=False,
                platform=ref.platform,
                now=now,
                closes_at=expires,
                state=state,
            )
            if rnd is None or await self.author(rnd.item_id) != pid:
                return rnd
            await self.k.store.close_round(rnd.id, now, "skipped")
        return None

    def solo_card(self, card: Reply) -> Reply:
        """A /play card that turns out to be a doodle carries the attribution too."""
        if card.media is not None and card.media.kind == "animation":
            card = replace(card, text=f"{card.text}\n{qd_cards.ATTRIBUTION}")
        return card

    async def press_pick(self, ref: PlayerRef, p: Payload) -> Reply:
        """A word button (or Skip, the index after the last word) of a solo doodle."""
        round_id, choice = p.args
        pid = await self.k.require_player(ref)
        rnd = await self.play.own_solo_round(round_id, pid)
        campaign = await self.k.campaign(rnd.campaign_id)
        item = await self.k.item(rnd.item_id)
        options = self.k.game(campaign.game).options(campaign, item)
        if not self.is_doodle_campaign(campaign) or not 0 <= choice <= len(options):
            raise UnknownPayload(texts.STALE_DOODLE_BUTTON)
        return await self._pick(ref, pid, rnd, campaign, item, options, choice, True)

    async def answer(
        self, ref: PlayerRef, pid: int, rnd: RoundRow, choice: int, continue_session: bool
    ) -> Reply:
        """Doodles answered with the general answer buttons are picks (scored by speed)."""
        if rnd.mode != "solo":
            raise InvalidInput(texts.GUESS_WITH_COMMAND)
        campaign = await self.k.campaign(rnd.campaign_id)
        rnd = await self.play.own_solo_round(rnd.id, pid)
        item = await self.k.item(rnd.item_id)
        options = self.k.game(campaign.game).options(campaign, item)
        if not 0 <= choice < len(options):
            raise UnknownPayload(texts.STALE_DOODLE_BUTTON)
        return await self._pick(ref, pid, rnd, campaign, item, options, choice, continue_session)

    async def _pick(
        self,
        ref: PlayerRef,
        pid: int,
        rnd: RoundRow,
        campaign: CampaignRow,
        item: ItemRow,
        options: list[Option],
        choice: int,
        continue_session: bool,
    ) -> Reply:
        now = self.k.now()
        elapsed = max(0.0, now - rnd.opened_at)
        word = word_of(item)
        picked = options[choice].key if choice < len(options) else None
        if picked is not None and await self.author(item.id) == pid:
            raise InvalidInput(texts.OWN_DRAWING)  # a player drawing's author (issue 15)
        paid = 0
        if picked is None:
            await self.k.store.close_round(rnd.id, now, "skipped")
        else:
            stored, paid = await self._store_pick(ref, pid, rnd, campaign, item, picked, elapsed)
            if not stored:
                return Reply(
                    kernel_texts.ANSWERED_ALREADY,
                    notice=kernel_texts.ANSWERED_ALREADY,
                    ephemeral=True,
                )
        said = qd_cards.pick_feedback(word, picked, paid, elapsed)
        card = Reply(
            texts.SOLO_DOODLE_RESULT.format(campaign=campaign.name, said=said),
            notice=said,
            replace=True,
            ephemeral=True,
        )
        if not continue_session:
            return card
        state = rnd.state
        if "series" not in state:
            return card.followed_by(await self.play.next_or_done(ref))
        state = {
            **state,
            "series": int(state["series"]) + 1,
            "right": int(state["right"]) + (picked == word),
            "points": int(state["points"]) + paid,
        }
        if state["series"] > int(state["of"]):
            summary = qd_cards.series_summary(state["right"], int(state["of"]), state["points"])
            return card.followed_by(summary)
        try:
            campaigns = [
                campaign,
                *[c for c in await self._doodle_campaigns(ref, pid, None) if c.id != campaign.id],
            ]
            nxt = await self._serve(ref, pid, campaigns, state)
        except NoTaskAvailable as exc:
            nxt = Reply(exc.message, ephemeral=True).followed_by(
                qd_cards.series_summary(state["right"], int(state["series"]) - 1, state["points"])
            )
        return card.followed_by(nxt)

    async def _store_pick(
        self,
        ref: PlayerRef,
        pid: int,
        rnd: RoundRow,
        campaign: CampaignRow,
        item: ItemRow,
        picked: str,
        elapsed: float,
    ) -> tuple[bool, int]:
        """The pick as the player's answer (with its speed points) and as a guess row.
        Returns whether it was stored and the points paid."""
        word = word_of(item)
        right = picked == word
        points = reward(self.qd_cfg, 1, elapsed, self.qd_cfg.solo_seconds, 0, 0) if right else 0
        extra: dict[str, object] = {"pick": True, "correct": right, "seconds": round(elapsed, 2)}
        bonus = (
            tuple(points_for_guess(points, detail=f"picked {word} in {elapsed:.1f} s"))
            if right
            else ()
        )
        outcome = await self.play.answers.submit(
            ref, pid, rnd, campaign, item, picked, extra, bonus
        )
        if outcome.status != "stored":
            return False, 0
        paid = 0 if outcome.flag in SPAM_FLAGS else points
        await self.k.store.add_guess(
            NewGuess(
                rnd.id,
                campaign.id,
                item.id,
                pid,
                picked,
                normalize(picked),
                picked,
                "pick",
                right,
                0,
                False,
                True,
                paid,
                int(elapsed * 1000),
                "solo",
                ref.platform,
                self.k.now(),
            )
        )
        return True, paid
