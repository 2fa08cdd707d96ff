"""Use cases of play: solo tasks, channel rounds, answers, skips, buttons, round timeouts."""

from __future__ import annotations

import logging

from bot.core.kernel import texts
from bot.core.kernel.codec import decode
from bot.core.kernel.context import _Lru
from bot.core.kernel.errors import (
    InvalidInput,
    NoTaskAvailable,
    NotFound,
    PermissionDenied,
    RoundClosed,
    UnknownPayload,
    WrongPlace,
)
from bot.core.kernel.events import RoundChanged
from bot.core.kernel.models import Kind, Media, PlayerRef, Reply
from bot.core.play.cards import item_media, round_card, solo_card
from bot.core.play.ingest import AnswerOutcome, AnswerRequest
from bot.core.play.quality import (
    FAILED,
    PENDING,
    effective_onboarding,
    flag_message,
    gold_rate,
    onboarding_target,
    restart_onboarding,
    retry_wait,
    roll,
)
from bot.core.players.cases import PlayerCases
from bot.core.rewards import LedgerEntry
from storage import CampaignRow, ItemRow, RoundRow

log = logging.getLogger(__name__)


class PlayCases(PlayerCases):
    _media_cache: _Lru | None = None

    # solo ------------------------------------------------------------------------------

    async def next_task(self, ref: PlayerRef) -> Reply:
        """The next task of a solo session, from every active campaign the player can see.

        Never an item the player saw before; gold mixed in on the decaying schedule; the
        tutorial (gold with explanations) first when a campaign has one."""
        pid = await self.require_player(ref)
        campaigns = await self.visible_campaigns(ref, pid)
        notes: list[str] = []
        start = int(roll(pid, self.now() // 60) * len(campaigns)) if campaigns else 0
        for campaign in campaigns[start:] + campaigns[:start]:
            reply = await self._solo_in(ref, pid, campaign, notes)
            if reply is not None:
                return reply
        raise NoTaskAvailable("\n".join([texts.NO_TASK, *notes]))

    async def _solo_in(
        self, ref: PlayerRef, pid: int, campaign: CampaignRow, notes: list[str]
    ) -> Reply | None:
        st = await self.store.get_standing(pid, campaign.id)
        gold_items = await self.gold_items(campaign)
        state = effective_onboarding(st, self.quality, gold_items)
        if state == FAILED:
            wait = retry_wait(st, self.quality, self.now())
            if wait > 0:
                notes.append(f"{campaign.name}: tutorial retry in {wait / 60:.0f} min.")
                return None
            st = restart_onboarding(st)
            await self.store.save_standing(st, self.now())
            state = PENDING
        tutorial = state == PENDING
        want_gold = tutorial or (
            gold_items > 0
            and roll(pid, campaign.id, st.answers)
            < gold_rate(st.answers, campaign.gold_rate, self.quality)
        )
        expires = self.now() + self.settings.game.reservation_minutes * 60
        rnd = await self._reserve(campaign, pid, ref, want_gold, expires)
        if rnd is None and want_gold:
            rnd = await self._reserve(campaign, pid, ref, False, expires)
            tutorial = False
        if rnd is None:
            return None
        item = await self.item(rnd.item_id)
        card = solo_card(self.game(campaign.game), campaign, item, rnd, await self.media(item))
        if tutorial and item.gold is not None:
            k, need = onboarding_target(self.quality, gold_items)
            step = st.onboarding_answered + 1
            card = _prefix(card, f"🎓 Tutorial {step}/{k} (get {need} of {k} right)")
        return card

    async def _reserve(
        self, campaign: CampaignRow, pid: int, ref: PlayerRef, gold: bool, expires: float
    ) -> RoundRow | None:
        rnd: RoundRow | None = await self.store.reserve_solo_item(
            campaign.id, pid, gold=gold, platform=ref.platform, now=self.now(), closes_at=expires
        )
        if rnd is not None:
            self.remember_round(rnd)
        return rnd

    async def visible_campaigns(self, ref: PlayerRef, pid: int) -> list[CampaignRow]:
        """Active campaigns open to everyone or to the community the player is in."""
        community = None
        if ref.channel is not None and ref.channel.kind == Kind.GROUP:
            community = (await self.channel(ref.channel)).community_id
        else:
            community = (await self.player_row(pid)).home_community_id
        found = await self.store.list_campaigns(["active"])
        return [c for c in found if c.community_id is None or c.community_id == community]

    async def skip(self, ref: PlayerRef, round_id: int) -> Reply:
        pid = await self.require_player(ref)
        rnd = await self._own_solo_round(round_id, pid)
        await self.store.close_round(rnd.id, self.now(), "skipped")
        return Reply("⏭ Skipped.", replace=True, ephemeral=True).followed_by(
            await self._next_or_done(ref)
        )

    async def _next_or_done(self, ref: PlayerRef) -> Reply:
        try:
            return await self.next_task(ref)
        except NoTaskAvailable as exc:
            return Reply(exc.message, ephemeral=True)

    async def _own_solo_round(self, round_id: int, pid: int) -> RoundRow:
        rnd = await self.round(round_id)
        if rnd is None:
            raise UnknownPayload("That task no longer exists. Use /play for a new one.")
        if rnd.mode != "solo" or rnd.player_id != pid:
            raise PermissionDenied("This task card is someone else's. Use /play for your own.")
        if rnd.status != "open":
            raise RoundClosed(_closed_message(rnd))
        return rnd

    # channel rounds ----------------------------------------------------------------------

    async def post_round(self, ref: PlayerRef, campaign_name: str | None = None) -> Reply:
        """A moderator posts a round of a campaign in the current group channel."""
        if not (ref.is_moderator or self.is_admin(ref)):
            raise PermissionDenied("Only moderators can post rounds here.")
        if ref.channel is None or ref.channel.kind != Kind.GROUP:
            raise WrongPlace("Rounds are posted in a group or server channel, not here.")
        channel = await self.channel(ref.channel)
        campaign = await self.pick_campaign(campaign_name, channel.community_id)
        return await self.open_channel_round(campaign, channel.id, ref.platform)

    async def pick_campaign(self, name: str | None, community_id: int | None) -> CampaignRow:
        if name:
            found = await self.store.get_campaign_by_name(name)
            if found is None:
                raise NotFound(f"There is no campaign named {name!r}.")
            if found.status != "active":
                raise InvalidInput(f"Campaign {name!r} is {found.status}, not active.")
            return found
        for c in await self.store.list_campaigns(["active"]):
            if c.community_id is None or c.community_id == community_id:
                return c
        raise NoTaskAvailable("No active campaign here. A moderator can start one.")

    async def open_channel_round(
        self, campaign: CampaignRow, channel_id: int, platform: str
    ) -> Reply:
        now = self.now()
        gold = await self.gold_items(campaign) > 0 and roll(channel_id, campaign.id, now) < (
            campaign.gold_rate
        )
        item_id = await self.store.pick_channel_item(campaign.id, gold=gold)
        if item_id is None and gold:
            item_id = await self.store.pick_channel_item(campaign.id)
        if item_id is None:
            raise NoTaskAvailable(f"Every item of {campaign.name} is labelled or already in play.")
        rnd = await self.store.open_round(
            campaign.id, item_id, mode="channel", channel_id=channel_id, player_id=None,
            platform=platform, now=now, closes_at=now + self.settings.game.round_seconds,
        )  # fmt: skip
        self.remember_round(rnd)
        return await self.round_card(rnd.id)

    async def round_card(self, round_id: int) -> Reply:
        """The current card of a channel round (re-rendered on every change)."""
        rnd = await self.round(round_id)
        if rnd is None:
            raise NotFound("That round no longer exists.")
        campaign = await self.campaign(rnd.campaign_id)
        item = await self.item(rnd.item_id)
        answers = await self.store.round_answers(rnd.id)
        item_tally = await self.store.get_tally(campaign.id, item.id)
        return round_card(self.game(campaign.game), campaign, item, rnd, await self.media(item),
                          answers, item_tally)  # fmt: skip

    async def bind_round_message(self, round_id: int, message_ref: str) -> None:
        """Remember which platform message shows a round, so it can be edited later."""
        await self.store.bind_round_message(round_id, message_ref)
        row = await self.store.get_round(round_id)
        if row is not None:
            self.remember_round(row)

    async def round_message_ref(self, round_id: int) -> str | None:
        """The platform message that shows a channel round (None until it is posted)."""
        row = await self.store.get_round(round_id)
        return None if row is None else row.message_ref

    async def close_round(self, round_id: int) -> RoundRow | None:
        row = await self.store.close_round(round_id, self.now(), "closed")
        if row is not None:
            closed = await self.store.get_round(round_id)
            if closed is not None:
                self.remember_round(closed)
                self._publish(closed, closed=True)
        return row

    async def tick(self) -> int:
        """Due work: close channel rounds at their timeout, expire stale solo reservations."""
        n = 0
        for rnd in await self.store.due_rounds(self.now()):
            if rnd.mode == "channel":
                n += await self.close_round(rnd.id) is not None
            else:
                n += await self.store.close_round(rnd.id, self.now(), "expired") is not None
        return n

    def _publish(self, rnd: RoundRow, *, closed: bool = False) -> None:
        """Tell the adapters a channel round changed. The round is taken from the cache,
        which `bind_round_message` keeps current, so the event carries the message id even
        when the answer raced the binding."""
        if rnd.mode != "channel":
            return
        latest: RoundRow = self._rounds.get(rnd.id) or rnd
        channel = self.channel_external_id(latest.channel_id)
        self.bus.publish(
            RoundChanged(latest.id, latest.platform, channel, latest.message_ref, closed)
        )

    # answers -----------------------------------------------------------------------------

    async def handle_button(self, ref: PlayerRef, payload: str) -> Reply:
        """The one entry point for every button on both platforms."""
        p = decode(payload)
        if p.action == "c":
            return await self.consent(ref, bool(p.args[0]))
        if p.action == "f":
            return await self.forget_confirm(ref, bool(p.args[0]))
        if p.action == "n":
            return await self.next_task(ref)
        if p.action == "a":
            return await self.answer(ref, p.args[0], p.args[1])
        if p.action == "s":
            return await self.skip(ref, p.args[0])
        if p.action == "p":
            value = bool(p.args[0])
            if p.flag == "h":
                return await self.privacy(ref, hide=value)
            return await self.privacy(ref, reminders=value)
        handler = getattr(self, f"button_{p.action}", None)
        if handler is None:
            raise UnknownPayload("That button is not one of mine (or it is from an old version).")
        reply: Reply = await handler(ref, p.args)
        return reply

    async def answer(
        self, ref: PlayerRef, round_id: int, choice: int, *, continue_session: bool = True
    ) -> Reply:
        """Store one answer (idempotent: a second press is harmless) and say what it earned.
        In a solo session the next task follows unless `continue_session` is False."""
        pid = await self.require_player(ref)
        rnd = await self.round(round_id)
        if rnd is None:
            raise UnknownPayload("That task no longer exists.")
        if rnd.mode == "solo" and rnd.player_id != pid:
            raise PermissionDenied("This task card is someone else's. Use /play for your own.")
        if rnd.status != "open":
            if rnd.mode == "solo" and rnd.status == "answered":
                return Reply(texts.ANSWERED_ALREADY, notice=texts.ANSWERED_ALREADY, ephemeral=True)
            raise RoundClosed(_closed_message(rnd))
        campaign = await self.campaign(rnd.campaign_id)
        item = await self.item(rnd.item_id)
        game = self.game(campaign.game)
        options = game.options(campaign, item)
        if not 0 <= choice < len(options):
            raise UnknownPayload("That button does not match this task any more.")
        label = options[choice].key
        outcome = await self.submit_answer(ref, pid, rnd, campaign, item, label)
        return await self.answer_reply(ref, rnd, campaign, item, label, outcome,
                                       continue_session)  # fmt: skip

    async def submit_answer(
        self,
        ref: PlayerRef,
        pid: int,
        rnd: RoundRow,
        campaign: CampaignRow,
        item: ItemRow,
        label: str,
        extra: dict[str, object] | None = None,
        bonus: tuple[LedgerEntry, ...] = (),
    ) -> AnswerOutcome:
        now = self.now()
        community = await self.answer_community(ref, pid, rnd)
        outcome = await self.commits.submit(AnswerRequest(
            player_id=pid, round=rnd, campaign=campaign, item=item, label=label,
            platform=ref.platform, created_at=now,
            latency_ms=max(0, int((now - rnd.opened_at) * 1000)), community_id=community,
            gold_items=await self.gold_items(campaign), extra=dict(extra or {}), bonus=bonus,
        ))  # fmt: skip
        if outcome.status == "closed":
            fresh = await self.store.get_round(rnd.id)
            if fresh is not None:
                self.remember_round(fresh)
            raise RoundClosed(_closed_message(fresh or rnd))
        if outcome.status == "stored":
            self._publish(rnd)
        return outcome

    async def answer_community(self, ref: PlayerRef, pid: int, rnd: RoundRow) -> int | None:
        if rnd.mode == "channel" and ref.channel is not None:
            return (await self.channel(ref.channel)).community_id
        return (await self.player_row(pid)).home_community_id

    async def answer_reply(
        self,
        ref: PlayerRef,
        rnd: RoundRow,
        campaign: CampaignRow,
        item: ItemRow,
        label: str,
        outcome: AnswerOutcome,
        continue_session: bool = True,
    ) -> Reply:
        if outcome.status == "duplicate":
            return Reply(texts.ANSWERED_ALREADY, notice=texts.ANSWERED_ALREADY, ephemeral=True)
        game = self.game(campaign.game)
        said = game.describe(campaign, item, label)
        lines = [self._feedback(campaign, item, said, outcome, await self.gold_items(campaign))]
        if rnd.mode == "channel":
            text = " ".join(lines) + (
                " Results when the round closes." if item.gold is None else ""
            )
            return Reply(text, notice=_toast(text), ephemeral=True)
        question = game.question(campaign, item)
        card = Reply(f"🏷️ {campaign.name}\n{question}\n\nYour answer: {said}\n" + "\n".join(lines),
                     replace=True, ephemeral=True)  # fmt: skip
        if not continue_session:
            return card
        return card.followed_by(await self._next_or_done(ref))

    def _feedback(
        self,
        campaign: CampaignRow,
        item: ItemRow,
        said: str,
        outcome: AnswerOutcome,
        gold_items: int,
    ) -> str:
        game = self.game(campaign.game)
        pts = f"+{outcome.points} pts"
        parts: list[str] = []
        if outcome.correct is True:
            parts.append(f"✅ Right! ({pts})")
        elif outcome.correct is False:
            right = game.describe(campaign, item, item.gold or "")
            parts.append(f"❌ Not quite: the answer is {right}. ({pts})")
        else:
            parts.append(f"✅ Vote recorded: {said} ({pts}).")
        if outcome.correct is not None and item.gold_explanation:
            parts.append(item.gold_explanation)
        if outcome.flag is not None:
            parts.append(flag_message(outcome.flag, self.quality, gold_items))
        if outcome.onboarding_event == "passed":
            parts.append("🎓 Tutorial passed! Your answers now count toward labels.")
        elif outcome.onboarding_event == "failed":
            mins = self.quality.onboarding_cooldown_s / 60
            parts.append(f"🎓 Tutorial not passed this time. You can retry in {mins:.0f} min.")
        if outcome.finalized and outcome.label is not None:
            final = game.describe(campaign, item, outcome.label)
            parts.append(f"🏁 Your answer finalized this item: {final}.")
        return " ".join(parts)

    async def media(self, item: ItemRow) -> Media | None:
        if self._media_cache is None:
            self._media_cache = _Lru(256)
        cached: Media | None = self._media_cache.get(item.id)
        if cached is None:
            cached = item_media(item, await self.store.get_media(item.id))
            if cached is not None:
                self._media_cache.put(item.id, cached)
        return cached


def _closed_message(rnd: RoundRow) -> str:
    if rnd.mode == "solo":
        return {
            "answered": texts.ANSWERED_ALREADY,
            "skipped": "You skipped this task. Use /play for a new one.",
        }.get(rnd.status, "This task card has expired. Use /play for a fresh one.")
    return texts.ROUND_CLOSED


def _toast(text: str) -> str:
    return text if len(text) <= 200 else text[:197] + "…"


def _prefix(card: Reply, line: str) -> Reply:
    from dataclasses import replace

    return replace(card, text=f"{line}\n{card.text}")
