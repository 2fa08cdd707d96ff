"""Use cases of play: solo sessions, channel rounds, answers by button, round timeouts.

`Play` owns the answer path (`Answers`) and dispatches everything game-specific to the flow
registered for the campaign's game (`bot.core.kernel.extensions.GameFlow`): verify and
classify use `ChoiceFlow`, quick-draw brings its own.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from bot.core.kernel import texts as kernel_texts
from bot.core.kernel.codec import Payload
from bot.core.kernel.context import Kernel
from bot.core.kernel.errors import (
    InvalidInput,
    NoTaskAvailable,
    NotFound,
    PermissionDenied,
    RateLimited,
    RoundClosed,
    UnknownPayload,
    WrongPlace,
)
from bot.core.kernel.extensions import Extensions, TakesValues
from bot.core.kernel.lru import Lru
from bot.core.kernel.models import Kind, Media, PlayerRef, Reply
from bot.core.play import texts
from bot.core.play.answers import Answers, closed_message
from bot.core.play.cards import item_media, solo_card
from bot.core.play.flow import ChoiceFlow
from bot.core.play.quality import (
    FAILED,
    PENDING,
    QualityRules,
    effective_onboarding,
    gold_rate,
    onboarding_target,
    restart_onboarding,
    retry_wait,
    roll,
)
from bot.core.play.typed import TypedFlow
from bot.core.play.typed_cards import how_to_answer, typed_solo_card
from bot.core.play.typed_rounds import max_chars, typed_round_for
from bot.core.rewards import PointsRules
from storage import CampaignRow, ItemRow, RoundRow

log = logging.getLogger(__name__)


class Play:
    """Solo tasks (`next_task`, `skip`), channel rounds (`post_round`, `round_card`,
    `close_round`), answers (`answer`) and the round timeouts (tick job `rounds.due`)."""

    def __init__(self, k: Kernel, quality: QualityRules, points: PointsRules) -> None:
        self.k = k
        self.quality = quality
        self.answers = Answers(k, quality, points)
        self.answers.next_task = self.next_or_done
        self.choice_flow = ChoiceFlow(k, self.answers, self.open_round_in_channel)
        self.typed_flow = TypedFlow(k, self.answers, self.open_round_in_channel)
        self._media: Lru = Lru(256)

    def register(self, ext: Extensions) -> None:
        ext.default_flow = self.choice_flow
        ext.renderer("image", self.image_media)
        ext.button("n", "next solo task", lambda ref, p: self.next_task(ref))
        ext.button("a", "answer a round", self.press_answer)
        ext.button("s", "skip a solo task", lambda ref, p: self.skip(ref, p.args[0]))
        ext.button("t", "type an answer", self.press_typed)
        ext.flow("transcribe", self.typed_flow)
        ext.tick("rounds.due", self.close_due_rounds)

    async def close(self) -> None:
        """Commit every queued answer; nothing acknowledged is lost."""
        await self.answers.close()

    # solo ------------------------------------------------------------------------------

    async def next_task(self, ref: PlayerRef) -> Reply:
        """The next task of a solo session, from every active campaign the player can see.

        Never an item the player saw before; gold mixed in on the decaying schedule; the
        tutorial (gold with explanations) first when a campaign has one."""
        k = self.k
        pid = await k.require_player(ref)
        campaigns = await k.visible_campaigns(ref, pid)
        notes: list[str] = []
        start = int(roll(pid, k.now() // 60) * len(campaigns)) if campaigns else 0
        # a task the player already holds comes back (re-rendered) before any new item
        held = await k.store.open_solo_campaigns(pid)
        order = sorted(campaigns[start:] + campaigns[:start], key=lambda c: c.id not in held)
        for campaign in order:
            reply = await self._solo_in(ref, pid, campaign, notes)
            if reply is not None:
                return k.flow_of(campaign).solo_card(reply)
        raise NoTaskAvailable("\n".join([kernel_texts.NO_TASK, *notes]))

    async def _solo_in(
        self, ref: PlayerRef, pid: int, campaign: CampaignRow, notes: list[str]
    ) -> Reply | None:
        k = self.k
        note = await k.flow_of(campaign).eligible(pid, campaign)
        if note is not None:
            notes.append(note)
            return None
        st = await k.store.get_standing(pid, campaign.id)
        gold_items = await k.gold_items(campaign)
        state = effective_onboarding(st, self.quality, gold_items)
        if state == FAILED:
            wait = retry_wait(st, self.quality, k.now())
            if wait > 0:
                notes.append(f"{campaign.name}: tutorial retry in {wait / 60:.0f} min.")
                return None
            st = restart_onboarding(st)
            await k.store.save_standing(st, k.now())
            state = PENDING
        tutorial = state == PENDING
        want_gold = tutorial or (
            gold_items > 0
            and roll(pid, campaign.id, st.answers)
            < gold_rate(st.answers, campaign.gold_rate, self.quality)
        )
        expires = k.now() + k.settings.game.reservation_minutes * 60
        rnd = await self._reserve(campaign, pid, ref, want_gold, expires)
        if rnd is None and want_gold:
            rnd = await self._reserve(campaign, pid, ref, False, expires)
            tutorial = False
        if rnd is None:
            return None
        item = await k.campaign_item(campaign.id, rnd.item_id)
        game = k.game(campaign.game)
        make = (
            typed_solo_card
            if game.takes_text(item) and not game.options(campaign, item)
            else solo_card
        )
        card = make(game, campaign, item, rnd, await k.media(item))
        if tutorial and item.gold is not None:
            n, need = onboarding_target(self.quality, gold_items)
            step = st.onboarding_answered + 1
            line = f"🎓 Tutorial {step}/{n} (get {need} of {n} right)"
            card = replace(card, text=f"{line}\n{card.text}")
        return card

    async def _reserve(
        self, campaign: CampaignRow, pid: int, ref: PlayerRef, gold: bool, expires: float
    ) -> RoundRow | None:
        k = self.k
        rnd: RoundRow | None = await k.store.reserve_solo_item(
            campaign.id, pid, gold=gold, platform=ref.platform, now=k.now(), closes_at=expires
        )
        if rnd is not None:
            k.remember_round(rnd)
        return rnd

    async def skip(self, ref: PlayerRef, round_id: int) -> Reply:
        pid = await self.k.require_player(ref)
        rnd = await self.own_solo_round(round_id, pid)
        await self.k.store.close_round(rnd.id, self.k.now(), "skipped")
        skipped = Reply(texts.SKIPPED, replace=True, ephemeral=True)
        return skipped.followed_by(await self.next_or_done(ref))

    async def next_or_done(self, ref: PlayerRef) -> Reply:
        """The next solo card, or why there is none."""
        try:
            return await self.next_task(ref)
        except NoTaskAvailable as exc:
            return Reply(exc.message, ephemeral=True)

    async def own_solo_round(self, round_id: int, pid: int) -> RoundRow:
        """The player's own open solo round, or a clear refusal."""
        rnd = await self.k.round(round_id)
        if rnd is None:
            raise UnknownPayload(texts.TASK_GONE_PLAY_AGAIN)
        if rnd.mode != "solo" or rnd.player_id != pid:
            raise PermissionDenied(texts.NOT_YOUR_TASK_CARD)
        if rnd.status != "open":
            raise RoundClosed(closed_message(rnd))
        return rnd

    # channel rounds ----------------------------------------------------------------------

    async def post_round(self, ref: PlayerRef, campaign_name: str | None = None) -> Reply:
        """A moderator posts a round of a campaign in the current group channel."""
        k = self.k
        if not (ref.is_moderator or k.is_admin(ref)):
            raise PermissionDenied(texts.ONLY_MODERATORS_POST_ROUNDS)
        if ref.channel is None or ref.channel.kind != Kind.GROUP:
            raise WrongPlace(texts.ROUNDS_IN_GROUPS_ONLY)
        channel = await k.channel(ref.channel)
        campaign = await k.active_campaign(campaign_name, channel.community_id)
        return await self.open_channel_round(campaign, channel.id, ref.platform)

    async def open_channel_round(
        self, campaign: CampaignRow, channel_id: int, platform: str
    ) -> Reply:
        """Open a round of `campaign` in a channel, the way its game does it. Every flow
        opens its round with `open_round_in_channel`, which holds the channel cap."""
        return await self.k.flow_of(campaign).open_channel_round(campaign, channel_id, platform)

    async def open_round_in_channel(
        self,
        campaign: CampaignRow,
        item_id: int,
        channel_id: int,
        platform: str,
        closes_at: float,
        state: dict[str, Any] | None = None,
    ) -> RoundRow:
        """Open a channel round unless the channel already holds `[game]
        max_open_rounds_per_channel` open rounds (decided by the store in the inserting
        transaction, so it holds across processes); then a refusal naming the cap."""
        k = self.k
        cap = k.settings.game.max_open_rounds_per_channel
        rnd = await k.store.open_round(
            campaign.id,
            item_id,
            mode="channel",
            channel_id=channel_id,
            player_id=None,
            platform=platform,
            now=k.now(),
            closes_at=closes_at,
            state=state,
            max_open_in_channel=cap,
        )
        if rnd is None:
            raise RateLimited(texts.CHANNEL_ROUNDS_FULL, cap=cap)
        k.remember_round(rnd)
        return rnd

    async def round_card(self, round_id: int) -> Reply:
        """The current card of a channel round (re-rendered on every change)."""
        rnd = await self.k.round(round_id)
        if rnd is None:
            raise NotFound(texts.ROUND_GONE)
        campaign = await self.k.campaign(rnd.campaign_id)
        return await self.k.flow_of(campaign).round_card(rnd, campaign)

    async def bind_round_message(self, round_id: int, message_ref: str) -> None:
        """Remember which platform message shows a round, so it can be edited later."""
        await self.k.store.bind_round_message(round_id, message_ref)
        row = await self.k.store.get_round(round_id)
        if row is not None:
            self.k.remember_round(row)

    async def round_message_ref(self, round_id: int) -> str | None:
        """The platform message that shows a channel round (None until it is posted)."""
        row = await self.k.store.get_round(round_id)
        return None if row is None else row.message_ref

    async def close_round(self, round_id: int) -> RoundRow | None:
        """Close a channel round once, the way its game does it."""
        rnd = await self.k.round(round_id)
        if rnd is None:
            return None
        campaign = await self.k.campaign(rnd.campaign_id)
        return await self.k.flow_of(campaign).close_round(rnd)

    async def close_due_rounds(self) -> int:
        """Due work: close channel rounds at their timeout, expire stale solo reservations."""
        k = self.k
        n = 0
        for rnd in await k.store.due_rounds(k.now()):
            if rnd.mode == "channel":
                n += await self.close_round(rnd.id) is not None
            else:
                n += await k.store.close_round(rnd.id, k.now(), "expired") is not None
        return n

    # answers -----------------------------------------------------------------------------

    async def press_answer(self, ref: PlayerRef, p: Payload) -> Reply:
        return await self.answer(ref, p.args[0], p.args[1])

    async def answer(
        self, ref: PlayerRef, round_id: int, choice: int, *, continue_session: bool = True
    ) -> Reply:
        """Store one answer (idempotent: a second press is harmless) and say what it earned.
        In a solo session the next task follows unless `continue_session` is False."""
        pid = await self.k.require_player(ref)
        rnd = await self.k.round(round_id)
        if rnd is None:
            raise UnknownPayload(texts.TASK_GONE)
        answered = await self.check_answerable(ref, pid, rnd)
        if answered is not None:
            return answered
        campaign = await self.k.campaign(rnd.campaign_id)
        return await self.k.flow_of(campaign).answer(ref, pid, rnd, choice, continue_session)

    async def answer_text(
        self,
        ref: PlayerRef,
        text: str,
        *,
        round_id: int | None = None,
        message_ref: str | None = None,
        continue_session: bool = True,
    ) -> Reply:
        """A typed answer: for the round named by id, the task card replied to, else the
        player's newest open typed task here (`bot.core.play.typed_rounds`); the same checks
        as a button answer, then the game's flow stores it (`GameFlow.answer_text`); in a
        solo session the next task follows unless `continue_session` is False."""
        pid = await self.k.require_player(ref)
        if not text.strip() and round_id is None and message_ref is None:
            raise InvalidInput(texts.ANSWER_USAGE)  # `/answer` alone
        rnd = await typed_round_for(self.k, ref, pid, round_id=round_id, message_ref=message_ref)
        if rnd is None:
            raise NotFound(texts.NO_TYPED_TASK)
        answered = await self.check_answerable(ref, pid, rnd)
        if answered is not None:
            return answered
        campaign = await self.k.campaign(rnd.campaign_id)
        return await self.k.flow_of(campaign).answer_text(ref, pid, rnd, text, continue_session)

    async def answer_value(
        self, ref: PlayerRef, round_id: int, value: str, *, continue_session: bool = True
    ) -> Reply:
        """An answer the platform composed (attributes picked, a rating, boxes drawn): the
        same checks as a button answer, then the flow stores it (`TakesValues`); a flow that
        takes no values refuses clearly and stores nothing."""
        pid = await self.k.require_player(ref)
        rnd = await self.k.round(round_id)
        if rnd is None:
            raise UnknownPayload(texts.TASK_GONE)
        answered = await self.check_answerable(ref, pid, rnd)
        if answered is not None:
            return answered
        flow = self.k.flow_of(await self.k.campaign(rnd.campaign_id))
        if not isinstance(flow, TakesValues):
            raise InvalidInput(texts.TAKES_NO_VALUE)
        return await flow.answer_value(ref, pid, rnd, value, continue_session)

    async def answer_limit(self, round_id: int) -> int:
        """The longest typed answer a round takes (its campaign's `max_chars`), for input
        fields such as Discord's modal; UnknownPayload when the round is gone."""
        rnd = await self.k.round(round_id)
        if rnd is None:
            raise UnknownPayload(texts.TASK_GONE)
        return max_chars(await self.k.campaign(rnd.campaign_id))

    async def press_typed(self, ref: PlayerRef, p: Payload) -> Reply:
        """The ✍️ Answer button: how to answer here (Discord opens its modal before this)."""
        how = how_to_answer(ref.platform)
        return Reply(texts.TYPED_HOW_NOTICE.format(how=how), notice=how, ephemeral=True)

    async def check_answerable(self, ref: PlayerRef, pid: int, rnd: RoundRow) -> Reply | None:
        """Refuse an answer to someone else's solo card, from outside the round's channel,
        to a closed round, or by a player the game's flow finds not eligible; the "already
        answered" reply for a solo card answered before; None when the answer may go on."""
        if rnd.mode == "solo" and rnd.player_id != pid:
            raise PermissionDenied(texts.NOT_YOUR_TASK_CARD)
        await self.require_round_channel(ref, rnd)
        if rnd.status != "open":
            if rnd.mode == "solo" and rnd.status == "answered":
                return Reply(
                    kernel_texts.ANSWERED_ALREADY,
                    notice=kernel_texts.ANSWERED_ALREADY,
                    ephemeral=True,
                )
            raise RoundClosed(closed_message(rnd))
        if rnd.mode == "channel":
            campaign = await self.k.campaign(rnd.campaign_id)
            note = await self.k.flow_of(campaign).eligible(pid, campaign)
            if note is not None:
                raise PermissionDenied(texts.NOT_ELIGIBLE, note=note)
        return None

    async def require_round_channel(self, ref: PlayerRef, rnd: RoundRow) -> None:
        """A channel round's answers count only from that round's channel (the press's
        platform and chat against the round's); refused otherwise, and nothing is stored."""
        if rnd.mode != "channel":
            return
        here = ref.channel
        if here is None or here.platform != rnd.platform or rnd.channel_id is None:
            raise WrongPlace(texts.ANSWER_IN_ROUND_CHANNEL)
        known = self.k.channel_external_id(rnd.channel_id)
        if known is not None:
            same = known == here.external_id
        else:
            row = await self.k.store.find_channel(here.platform, here.external_id)
            same = row is not None and row.id == rnd.channel_id
        if not same:
            raise WrongPlace(texts.ANSWER_IN_ROUND_CHANNEL)

    # media and forget ----------------------------------------------------------------------

    async def image_media(self, item: ItemRow) -> Media | None:
        """The image of an image item, cached per item."""
        cached: Media | None = self._media.get(item.id)
        if cached is None:
            cached = item_media(item, await self.k.store.get_media(item.id))
            if cached is not None:
                self._media.put(item.id, cached)
        return cached
