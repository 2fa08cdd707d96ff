"""Use cases: quick-draw doodle rounds in channels, typed guesses, hints, solo series.

A doodle round is a channel round of a `quickdraw` campaign. Its card is the replay GIF with
the word masked (`_ _ _`); hints reveal letters at fixed times (`tick` edits the card through
`RoundChanged`) and lower the points. It ends at its timeout or as soon as
`[quickdraw] players_to_end` players have guessed right; the closing card names the word, who
got it, in which order and how fast.

Guesses (`guess`) are judged by `quickdraw_rules.match_guess` (case, accents, spaces,
hyphens, articles, plurals and synonyms folded; one edit away is "close": private feedback,
no points) and rate-limited per player and round (`check_guess`: a burst is ignored, at most
`guesses_per_round` count). Guess order is exact: one lock per round serializes its guesses.

Every guess is stored (`guesses`, with hints shown and whether the word was already out);
the player's FIRST guess on a doodle is also their answer, labelled with the category it names
(`quickdraw.guess_label`). The answer's `extra` says `correct`, and `first_correct` for the
first right guess of a round; a right guess that is not the player's first is paid in the
ledger directly and marks their answer `correct`. "Already out" (`after_reveal`) means a right
guess was made in public (a Telegram message, a Discord channel message) earlier in the
round, or an earlier round in this channel showed this doodle's word.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from bot.core import qd_cards
from bot.core.errors import InvalidInput, NotFound, RateLimited, RoundClosed, WrongPlace
from bot.core.models import Kind, PlayerRef, Reply
from bot.core.qd_base import GAME, hints_at, limits, reward
from bot.core.qd_solo import SoloDoodleCases
from bot.core.quality import SPAM_FLAGS
from bot.core.rewards import points_for_guess
from bot.games.quickdraw import guess_label, word_of
from bot.games.quickdraw_rules import GuessGate, Match, check_guess, match_guess
from storage.rows import CampaignRow, ItemRow, NewLedgerEntry, RoundRow
from storage.store_quickdraw import NewGuess

log = logging.getLogger(__name__)

MAX_GUESS_CHARS = 100
NO_ROUND = "No doodle round is running here. A moderator can start one with /round."
HOW_TO = {
    "telegram": "Reply to the doodle with your guess, or send /guess <word> in the group.",
    "discord": "Use /guess <word> in this channel.",
}


@dataclass(frozen=True, slots=True)
class GuessResult:
    """A judged guess: the private feedback and how the guess matched (`exact`, `synonym`,
    `close`, `wrong`, or `already` when the player had already got it)."""

    reply: Reply
    kind: str

    @property
    def correct(self) -> bool:
        return self.kind in ("exact", "synonym")


class QuickdrawCases(SoloDoodleCases):
    """Doodle rounds: `open_channel_round`, `round_card`, `guess`, `tick`, `close_round`
    (the general ones for other games), `button_g`; solo series from `SoloDoodleCases`."""

    # rounds ------------------------------------------------------------------------------

    async def open_channel_round(
        self, campaign: CampaignRow, channel_id: int, platform: str
    ) -> Reply:
        if not self.is_doodle_campaign(campaign):
            return await super().open_channel_round(campaign, channel_id, platform)
        item_id = await self.store.pick_doodle(campaign.id, channel_id)
        if item_id is None:
            raise NotFound(f"Every doodle of {campaign.name} is labelled or already in play.")
        item = await self.item(item_id)
        now = self.now()
        shown = await self.store.shown_in_channel(item_id, channel_id)
        state: dict[str, Any] = {
            "word": word_of(item),
            "solved": [],
            "revealed_at": now if shown else None,
        }
        rnd = await self.store.open_round(
            campaign.id, item_id, mode="channel", channel_id=channel_id, player_id=None,
            platform=platform, now=now, closes_at=now + self.qd_cfg.round_seconds, state=state,
        )  # fmt: skip
        self.remember_round(rnd)
        self.qd.hints[rnd.id] = 0
        return await self.round_card(rnd.id)

    async def round_card(self, round_id: int) -> Reply:
        rnd = await self.round(round_id)
        if rnd is None:
            raise NotFound("That round no longer exists.")
        campaign = await self.campaign(rnd.campaign_id)
        if not self.is_doodle_campaign(campaign):
            return await super().round_card(round_id)
        item = await self.item(rnd.item_id)
        media = await self.media(item)
        word = word_of(item)
        guesses = await self.store.round_guesses(rnd.id)
        if rnd.status == "open":
            hints = hints_at(self.qd_cfg, word, rnd, self.now())
            question = self.game(GAME).question(campaign, item)
            return qd_cards.open_round_card(
                campaign, question, rnd, media, word, set(hints.revealed),
                (hints.shown, hints.total), len({g.player_id for g in guesses}),
            )  # fmt: skip
        firsts = [g for g in guesses if g.is_first]
        names = await self._shown_names(rnd)
        return qd_cards.closed_round_card(campaign, rnd, media, word, names,
                                          sum(g.correct for g in firsts), len(firsts))  # fmt: skip

    async def _shown_names(self, rnd: RoundRow) -> dict[int, str]:
        """Names on the closing card; players who chose to hide from boards stay anonymous."""
        out: dict[int, str] = {}
        for s in rnd.state.get("solved", []):
            pid = int(s["player"])
            player = await self.store.get_player(pid)
            out[pid] = "a player" if player is None or player.hidden else str(s["name"])
        return out

    async def close_round(self, round_id: int) -> RoundRow | None:
        row = await super().close_round(round_id)
        self.qd.forget_round(round_id)
        return row

    async def tick(self) -> int:
        """Base due work, then hints: a doodle round whose hint count went up is re-rendered
        (its message edited). Open doodle rounds are read from the store once per process,
        so hints keep coming after a restart."""
        n = await super().tick()
        if not self.qd.loaded:
            self.qd.loaded = True
            for row in await self.store.open_rounds_of_game(GAME):
                self.remember_round(row)
                self.qd.hints.setdefault(row.id, -1)
        now = self.now()
        for round_id, seen in list(self.qd.hints.items()):
            rnd = await self.round(round_id)
            if rnd is None or rnd.status != "open":
                self.qd.forget_round(round_id)
                continue
            shown = hints_at(self.qd_cfg, str(rnd.state.get("word", "")), rnd, now).shown
            if shown > seen:
                self.qd.hints[round_id] = shown
                if shown > 0:  # -1: first look after a restart, 0 hints due yet
                    self._publish(rnd)
        return n

    async def button_g(self, ref: PlayerRef, args: tuple[int, ...]) -> Reply:
        """The Guess button: Discord opens a modal before this is reached; elsewhere it says
        how to guess."""
        text = HOW_TO.get(ref.platform, "Send /guess <word>.")
        return Reply(f"✏️ {text}", notice=f"✏️ {text}", ephemeral=True)

    # guesses -----------------------------------------------------------------------------

    async def doodle_round_for(
        self, ref: PlayerRef, *, round_id: int | None = None, message_ref: str | None = None
    ) -> RoundRow | None:
        """The doodle round a guess is for: the given round, the round whose message was
        replied to, or the newest open doodle round in the player's channel."""
        rnd: RoundRow | None = None
        if round_id is not None:
            rnd = await self.round(round_id)
        elif message_ref is not None:
            rnd = await self.store.round_by_message(ref.platform, message_ref)
            if rnd is not None:
                self.remember_round(rnd)
        else:
            if ref.channel is None or ref.channel.kind != Kind.GROUP:
                return None
            channel = await self.channel(ref.channel)
            for r in reversed(await self.store.open_channel_rounds(channel.id)):
                if self.is_doodle_campaign(await self.campaign(r.campaign_id)):
                    rnd = r
                    break
        if rnd is None or rnd.mode != "channel":
            return None
        campaign = await self.campaign(rnd.campaign_id)
        return rnd if self.is_doodle_campaign(campaign) else None

    async def guess(
        self,
        ref: PlayerRef,
        text: str,
        *,
        round_id: int | None = None,
        message_ref: str | None = None,
        public: bool = False,
    ) -> Reply:
        """Judge one typed guess; the player's private feedback (see `judge_guess`)."""
        result = await self.judge_guess(
            ref, text, round_id=round_id, message_ref=message_ref, public=public
        )
        return result.reply

    async def judge_guess(
        self,
        ref: PlayerRef,
        text: str,
        *,
        round_id: int | None = None,
        message_ref: str | None = None,
        public: bool = False,
    ) -> GuessResult:
        """Judge one typed guess (see the module docstring). `public`: the guess was posted
        where everyone in the channel sees it. Raises NotFound when no doodle round fits,
        RoundClosed, RateLimited (a burst, or no guesses left) and InvalidInput (empty)."""
        rnd = await self.doodle_round_for(ref, round_id=round_id, message_ref=message_ref)
        if rnd is None:  # checked first: chatter that is no guess never asks for consent
            if ref.channel is None or ref.channel.kind != Kind.GROUP:
                raise WrongPlace("Doodle rounds run in groups and server channels.")
            raise NotFound(NO_ROUND)
        pid = await self.require_player(ref)
        text = " ".join(text.split())[:MAX_GUESS_CHARS]
        if not text:
            raise InvalidInput("Type your guess after /guess, for example: /guess cat")
        async with self.qd.lock(rnd.id):
            return await self._judge(ref, pid, rnd.id, text, public)

    async def _judge(
        self, ref: PlayerRef, pid: int, round_id: int, text: str, public: bool
    ) -> GuessResult:
        rnd = await self.round(round_id)
        now = self.now()
        if rnd is None or rnd.status != "open" or (rnd.closes_at or now + 1) <= now:
            raise RoundClosed("This doodle round has closed; wait for the next one.")
        state: dict[str, Any] = dict(rnd.state)
        if any(int(s["player"]) == pid for s in state.get("solved", [])):
            msg = "✅ You already got this one. Let the others try!"
            return GuessResult(Reply(msg, notice=msg, ephemeral=True), "already")
        mine = await self.store.round_guesses(rnd.id, pid)
        self._gate(rnd.id, pid, len(mine), now)
        campaign = await self.campaign(rnd.campaign_id)
        item = await self.item(rnd.item_id)
        word = word_of(item)
        match = match_guess(text, word)
        hints = hints_at(self.qd_cfg, word, rnd, now)
        elapsed = max(0.0, now - rnd.opened_at)
        order = len(state.get("solved", [])) + 1
        points = 0
        if match.correct:
            duration = (rnd.closes_at or now) - rnd.opened_at
            points = reward(self.qd_cfg, order, elapsed, duration, hints.shown, hints.total)
        context = {"guess": text, "match": match.kind.value, "hints_shown": hints.shown,
                   "after_reveal": state.get("revealed_at") is not None,
                   "correct": match.correct, "seconds": round(elapsed, 2)}  # fmt: skip
        if match.correct and order == 1:
            context["first_correct"] = True
        reason = f"guessed {word} ({qd_cards.ordinal(order)}, {elapsed:.1f} s)"
        paid, first = await self._record(ref, pid, rnd, campaign, item, text, match, points,
                                         context, reason)  # fmt: skip
        await self.store.add_guess(NewGuess(
            rnd.id, campaign.id, item.id, pid, text, match.normalized, guess_label(text, word),
            match.kind.value, match.correct, hints.shown, bool(context["after_reveal"]), first,
            paid, int(elapsed * 1000), "channel", ref.platform, now,
        ))  # fmt: skip
        if match.correct:
            await self._solved(ref, pid, rnd, state, elapsed, paid, public)
        elif not first and not mine:
            self._publish(rnd)  # a new guesser on the card (a first answer publishes itself)
        left = max(0, self.qd_cfg.guesses_per_round - len(mine) - 1)
        reply = qd_cards.guess_feedback(match.kind, word, text, paid, elapsed, order, left)
        return GuessResult(reply, match.kind.value)

    def _gate(self, round_id: int, pid: int, accepted: int, now: float) -> None:
        attempts = self.qd.attempts.setdefault((round_id, pid), [])
        gate = check_guess(attempts, accepted, now, limits(self.qd_cfg))
        attempts.append(now)
        del attempts[: -2 * self.qd_cfg.guess_burst]
        if gate is GuessGate.RATE_LIMITED:
            raise RateLimited("⏳ Too many guesses at once: wait a few seconds.")
        if gate is GuessGate.CAP_REACHED:
            raise RateLimited(
                f"You've used your {self.qd_cfg.guesses_per_round} guesses on this doodle."
            )

    async def _record(
        self,
        ref: PlayerRef,
        pid: int,
        rnd: RoundRow,
        campaign: CampaignRow,
        item: ItemRow,
        text: str,
        match: Match,
        points: int,
        context: dict[str, Any],
        reason: str,
    ) -> tuple[int, bool]:
        """Store the guess as the player's answer when it is their first on this doodle
        (points paid with it), else pay a right guess directly. Returns (points paid, first)."""
        existing = await self.store.get_answer(campaign.id, item.id, pid)
        if existing is None:
            bonus = tuple(points_for_guess(points, detail=reason)) if match.correct else ()
            label = guess_label(text, word_of(item))
            outcome = await self.submit_answer(ref, pid, rnd, campaign, item, label, context,
                                               bonus)  # fmt: skip
            if outcome.status == "stored":
                return (0 if outcome.flag in SPAM_FLAGS else points), True
            existing = await self.store.get_answer(campaign.id, item.id, pid)
        if match.correct and existing is not None:
            community = await self.answer_community(ref, pid, rnd)
            entry = NewLedgerEntry(pid, self.now(), points, "guess", f"+{points} {reason}",
                                   existing.id, campaign.id, community)  # fmt: skip
            marks = {k: v for k, v in context.items() if k in ("correct", "first_correct")}
            async with self.store.answer_batch() as tx:
                events = await self.rewards.pay_outside_batch(
                    tx, entry, campaign_community=campaign.community_id,
                    correct=bool(marks.get("correct")),
                    first_correct=bool(marks.get("first_correct")),
                )  # fmt: skip
            self.rewards.publish(events)
            await self.store.merge_answer_extra(existing.id, marks)
            return points, False
        return 0, False

    async def _solved(
        self,
        ref: PlayerRef,
        pid: int,
        rnd: RoundRow,
        state: dict[str, Any],
        elapsed: float,
        paid: int,
        public: bool,
    ) -> None:
        """Record the solver on the round; close it when enough players got it."""
        me = {
            "player": pid,
            "name": ref.display_name,
            "seconds": round(elapsed, 1),
            "points": paid,
        }
        solved = [*state.get("solved", []), me]
        state["solved"] = solved
        if public and state.get("revealed_at") is None:
            state["revealed_at"] = self.now()
        fresh = await self.store.set_round_state(rnd.id, state)
        if fresh is None:
            return
        self.remember_round(fresh)
        if len(solved) >= self.qd_cfg.players_to_end:
            await self.close_round(fresh.id)
        else:
            self._publish(fresh)
