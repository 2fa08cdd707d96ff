"""Typed guesses in doodle rounds: judged, rate-limited, ranked, paid.

Guesses (`guess`) are judged by `quickdraw_rules.match_guess` (case, accents, spaces,
hyphens, articles, plurals and synonyms folded; one edit away is "close": private feedback,
no points) and rate-limited per player and round (`check_guess`: a burst is ignored, at most
`guesses_per_round` count).

Decided by the database, whichever process receives the guess (docs/architecture.md,
"Shared state across processes"):

* **Order of right guesses.** A right guess runs under `store.exclusive("round:<id>")` (an
  advisory lock on PostgreSQL) and reads the round FRESH from the store inside it, so its rank
  (`order`) is the number of solvers the database holds plus one, and `solved` lists them in
  the order the database accepted them. The per-round `asyncio.Lock` in front only keeps one
  process's right guesses from queueing on the database.
* **Guess count and rate limit.** The guess write first calls `AnswerUnit.guard_guess`,
  which locks the round and the player's row and counts the player's stored guesses in the
  round and when the recent ones were made; `check_guess` on those refuses a guess past
  the cap or in a burst, inside the writing transaction (nothing is written). Two guesses of
  one player in two processes are thus counted one after the other. The process-local counts
  and attempts are a first, cheaper filter only.
* **Nothing after the close.** The same guard reads the round's status under its row lock
  (a close is `UPDATE ... WHERE status = 'open'`, which waits for it): a guess of a round
  closed in any process is refused (`RoundClosed`), of a paused or ended campaign refused
  as "not active". Closing in this process also waits for its guesses in flight
  (`DoodleState`), as an optimization.

Every guess is stored (`guesses`, with hints shown and whether the word was already out);
the player's FIRST guess on a doodle is also their answer, labelled with the category it names
(`quickdraw.guess_label`). The answer's `extra` says `correct`, and `first_correct` for the
first right guess of a round; a right guess that is not the player's first is paid in the
ledger directly and marks their answer `correct`. "Already out" (`after_reveal`) means a right
guess was made in public (a Telegram message, a Discord channel message) earlier in the
round, or an earlier round in this channel showed this doodle's word.

Cost of a guess: the campaign and item come from the engine's caches, the round from the
cache for a guess that is not right (a hint; the guard decides) and from the store for a
right one, the player's guess count from the store, their answer id from
`DoodleState.guessers` (answers are only ever removed with the player), and everything the
guess changes besides a first answer (its `guesses` row, the round state of a right guess,
the points and answer marks of a later right guess) is written in ONE transaction with its
guard. Judging a text against a word is pure, so it is memoized.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from bot.core.kernel.context import Kernel
from bot.core.kernel.errors import InvalidInput, NotFound, RateLimited, RoundClosed, WrongPlace
from bot.core.kernel.models import Kind, PlayerRef, Reply
from bot.core.play import Play, refuse_control_characters
from bot.core.play.quality import SPAM_FLAGS
from bot.core.quickdraw import cards as qd_cards
from bot.core.quickdraw import texts
from bot.core.quickdraw.base import (
    DoodleBase,
    DoodleState,
    Guesser,
    GuessResult,
    Pay,
    guess_context,
    guess_row,
    hints_at,
    judged,
    limits,
    reward,
)
from bot.core.rewards import RewardsHook, points_for_guess
from bot.games.quickdraw import word_of
from bot.games.quickdraw_matching import Match
from bot.games.quickdraw_rules import GuessGate, check_guess
from storage import CampaignRow, GuessGuard, ItemRow, NewGuess, NewLedgerEntry, RoundRow

log = logging.getLogger(__name__)

MAX_GUESS_CHARS = 100

Closer = Callable[[RoundRow], Awaitable[RoundRow | None]]


class DoodleGuesses(DoodleBase):
    """`guess` and `judge_guess` (see the module docstring); `close` ends a round once
    enough players solved it (the doodle flow's `close_round`)."""

    def __init__(
        self, k: Kernel, play: Play, hook: RewardsHook, qd: DoodleState, close: Closer
    ) -> None:
        super().__init__(k, play, hook, qd)
        self.close_round = close

    # guesses -----------------------------------------------------------------------------

    async def doodle_round_for(
        self, ref: PlayerRef, *, round_id: int | None = None, message_ref: str | None = None
    ) -> RoundRow | None:
        """The doodle round a guess is for: the given round, the round whose message was
        replied to, or the newest open doodle round in the player's channel (remembered per
        channel for `[database] cache_seconds` while it stays open, then read from the store
        again: another process may have opened a newer one or closed it)."""
        rnd: RoundRow | None = None
        if round_id is not None:
            rnd = await self.k.round(round_id)
            if rnd is not None:  # a round named by id counts only in its own channel
                await self.play.require_round_channel(ref, rnd)
        elif message_ref is not None:
            rnd = await self.k.store.round_by_message(ref.platform, message_ref)
            if rnd is not None:
                self.k.remember_round(rnd)
        else:
            if ref.channel is None or ref.channel.kind != Kind.GROUP:
                return None
            channel = await self.k.channel(ref.channel)
            newest = self.qd.newest.get(channel.id)
            if newest is not None and self.k.trusted(newest[1]):
                rnd = await self.k.round(newest[0])
                if rnd is not None and rnd.status != "open":
                    rnd = None
            if rnd is None:
                self.qd.newest.pop(channel.id, None)
                for r in reversed(await self.k.store.open_channel_rounds(channel.id)):
                    if self.is_doodle_campaign(await self.k.campaign(r.campaign_id)):
                        rnd = r
                        self.k.remember_round(r)
                        self.qd.newest[channel.id] = (r.id, time.monotonic())
                        break
        if rnd is None or rnd.mode != "channel":
            return None
        campaign = await self.k.campaign(rnd.campaign_id)
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
                raise WrongPlace(texts.DOODLE_ROUNDS_IN_GROUPS)
            raise NotFound(texts.NO_DOODLE_ROUND)
        refuse_control_characters(text, whitespace=True)  # before anything is stored
        pid = await self.k.require_player(ref)
        if await self.author(rnd.item_id) == pid:  # a player drawing's author (issue 15)
            raise InvalidInput(texts.OWN_DRAWING)
        text = " ".join(text.split())[:MAX_GUESS_CHARS]
        if not text:
            raise InvalidInput(texts.GUESS_NEEDS_A_WORD)
        match, _ = judged(text, word_of(await self.k.item(rnd.item_id)))
        async with self.qd.player_lock(rnd.id, pid):
            if match.correct:  # changes the round state: one at a time, in the DB's order
                async with self.qd.lock(rnd.id), self.k.store.exclusive(f"round:{rnd.id}"):
                    fresh = await self.k.store.get_round(rnd.id)
                    if fresh is not None:
                        self.k.remember_round(fresh)
                    return await self._judge(ref, pid, fresh, text, public)
            if rnd.id in self.qd.closing:
                raise RoundClosed(texts.DOODLE_CLOSED)
            with self.qd.flying(rnd.id):
                return await self._judge(ref, pid, await self.k.round(rnd.id), text, public)

    async def _judge(
        self, ref: PlayerRef, pid: int, rnd: RoundRow | None, text: str, public: bool
    ) -> GuessResult:
        """Judge against `rnd` as read by the caller (fresh from the store for a right
        guess, under the round's lock)."""
        now = self.k.now()
        if rnd is None or rnd.status != "open" or (rnd.closes_at or now + 1) <= now:
            raise RoundClosed(texts.DOODLE_CLOSED)
        state: dict[str, Any] = dict(rnd.state)
        if any(int(s["player"]) == pid for s in state.get("solved", [])):
            msg = texts.ALREADY_SOLVED
            return GuessResult(Reply(msg, notice=msg, ephemeral=True), "already")
        seen = await self._guesser(rnd.id, pid)
        mine = seen.guesses
        self._gate(rnd.id, pid, mine, now)
        campaign = await self.k.campaign(rnd.campaign_id)
        item = await self.k.item(rnd.item_id)
        word = word_of(item)
        match, label = judged(text, word)
        hints = hints_at(self.qd_cfg, word, rnd, now)
        elapsed = max(0.0, now - rnd.opened_at)
        order = len(state.get("solved", [])) + 1
        points = 0
        if match.correct:
            duration = (rnd.closes_at or now) - rnd.opened_at
            points = reward(self.qd_cfg, order, elapsed, duration, hints.shown, hints.total)
        context = guess_context(text, match, hints.shown, state, elapsed, order)
        reason = texts.GUESS_REASON.format(
            word=word, order=qd_cards.ordinal(order), seconds=elapsed
        )
        paid, first, pay = await self._record(
            ref, pid, rnd, campaign, item, seen, label, match, points, context, reason
        )
        guess = guess_row(rnd, pid, text, match, label, context, first, paid, ref.platform, now)
        solved = (
            self._solved_state(ref, pid, state, elapsed, paid, public) if match.correct else None
        )
        fresh, mine = await self._write(campaign, guess, solved, pay)
        seen.guesses = mine + 1
        if solved is not None:
            await self.pay_author(campaign, item.id, word)
            await self._solved(fresh, solved)
        elif not first and not mine:
            self.k.publish_round(rnd)  # a new guesser on the card (a first answer publishes)
        left = max(0, self.qd_cfg.guesses_per_round - mine - 1)
        reply = qd_cards.guess_feedback(match.kind, word, text, paid, elapsed, order, left)
        return GuessResult(reply, match.kind.value)

    async def _guesser(self, round_id: int, pid: int) -> Guesser:
        """The player in the round: their stored guesses counted now (another process may
        have stored some), their answer id as this process learnt it."""
        count = len(await self.k.store.round_guesses(round_id, pid))
        seen = self.qd.guessers.setdefault((round_id, pid), Guesser(count))
        seen.guesses = count
        return seen

    async def _write(
        self,
        campaign: CampaignRow,
        guess: NewGuess,
        solved: dict[str, Any] | None,
        pay: Pay | None,
    ) -> tuple[RoundRow | None, int]:
        """The guess, the round's solvers and any payment, in one commit, after the guard
        (see the module docstring); the round as it is after the write (None when the state
        did not change) and how many guesses the player had stored before this one."""
        events: list[object] = []
        async with self.k.store.answer_batch() as tx:
            assert guess.round_id is not None
            window = self.qd_cfg.guess_window_seconds
            guard = await tx.guard_guess(
                guess.round_id,
                guess.player_id,
                changes_round=solved is not None,
                since=guess.created_at - window,
            )
            await self._refuse(guard, guess)
            if pay is not None:
                events = await self.hook.pay_outside_batch(
                    tx,
                    pay.entry,
                    campaign_community=campaign.community_id,
                    correct=bool(pay.marks.get("correct")),
                    first_correct=bool(pay.marks.get("first_correct")),
                )
            marks = None if pay is None else (pay.answer_id, pay.marks)
            _, fresh = await self.k.store.write_guess(tx, guess, state=solved, marks=marks)
        self.hook.publish(events)
        return fresh, guard.guesses

    async def _refuse(self, guard: GuessGuard, guess: NewGuess) -> None:
        """Refuse, inside the writing transaction (so nothing is written), a guess the
        database says is too late or too many. A first guess is already stored as the
        player's answer (the answer batch found the round open), so only its campaign's
        status and the round's existence are checked again."""
        if guard.status == "inactive":
            await self.k.refuse_inactive(guess.campaign_id)
        rnd, now = guard.round, guess.created_at
        if rnd is None:
            raise RoundClosed(texts.DOODLE_CLOSED)
        if guess.is_first:
            return
        if guard.status != "open" or (rnd.closes_at or now + 1) <= now:
            raise RoundClosed(texts.DOODLE_CLOSED)
        gate = check_guess(guard.recent, guard.guesses, now, limits(self.qd_cfg))
        if gate is GuessGate.RATE_LIMITED:
            raise RateLimited(texts.GUESSING_TOO_FAST)
        if gate is GuessGate.CAP_REACHED:
            raise RateLimited(texts.NO_GUESSES_LEFT, guesses=self.qd_cfg.guesses_per_round)

    async def _solved(self, fresh: RoundRow | None, solved: dict[str, Any]) -> None:
        """A right guess: the card shows the new solver, or the round ends when enough
        players solved it."""
        if fresh is None:
            return
        self.k.remember_round(fresh)
        if len(solved["solved"]) >= self.qd_cfg.players_to_end:
            await self.close_round(fresh)
        else:
            self.k.publish_round(fresh)

    def _gate(self, round_id: int, pid: int, accepted: int, now: float) -> None:
        attempts = self.qd.attempts.setdefault((round_id, pid), [])
        gate = check_guess(attempts, accepted, now, limits(self.qd_cfg))
        attempts.append(now)
        del attempts[: -2 * self.qd_cfg.guess_burst]
        if gate is GuessGate.RATE_LIMITED:
            raise RateLimited(texts.GUESSING_TOO_FAST)
        if gate is GuessGate.CAP_REACHED:
            raise RateLimited(texts.NO_GUESSES_LEFT, guesses=self.qd_cfg.guesses_per_round)

    async def _record(
        self,
        ref: PlayerRef,
        pid: int,
        rnd: RoundRow,
        campaign: CampaignRow,
        item: ItemRow,
        seen: Guesser,
        label: str,
        match: Match,
        points: int,
        context: dict[str, Any],
        reason: str,
    ) -> tuple[int, bool, Pay | None]:
        """Store the guess as the player's answer when it is their first on this doodle
        (points paid with it), else say what a right guess pays directly (written with the
        guess row). Returns (points paid, first, direct payment). A right guess whose
        player's answer is already right (a process died between storing that answer and
        its guess row) is paid nothing: the answer was paid; the guess puts them among the
        solvers."""
        if seen.answer_id is None:
            existing = await self.k.store.get_answer(campaign.id, item.id, pid)
            if existing is None:
                bonus = tuple(points_for_guess(points, detail=reason)) if match.correct else ()
                outcome = await self.play.answers.submit(
                    ref, pid, rnd, campaign, item, label, context, bonus
                )
                if outcome.status == "stored":
                    seen.answer_id = outcome.answer_id
                    return (0 if outcome.flag in SPAM_FLAGS else points), True, None
                existing = await self.k.store.get_answer(campaign.id, item.id, pid)
            if existing is not None:
                seen.answer_id = existing.id
                if match.correct and existing.extra.get("correct"):
                    return 0, False, None  # right before, its guess row lost with a process
        if match.correct and seen.answer_id is not None:
            community = await self.play.answers.community(ref, pid, rnd)
            entry = NewLedgerEntry(
                pid,
                self.k.now(),
                points,
                "guess",
                f"+{points} {reason}",
                seen.answer_id,
                campaign.id,
                community,
            )
            marks = {k: v for k, v in context.items() if k in ("correct", "first_correct")}
            return points, False, Pay(entry, seen.answer_id, marks)
        return 0, False, None

    def _solved_state(
        self,
        ref: PlayerRef,
        pid: int,
        state: dict[str, Any],
        elapsed: float,
        paid: int,
        public: bool,
    ) -> dict[str, Any]:
        """The round state with the solver recorded (the round closes when enough players
        got it)."""
        me = {
            "player": pid,
            "name": ref.display_name,
            "seconds": round(elapsed, 1),
            "points": paid,
        }
        state["solved"] = [*state.get("solved", []), me]
        if public and state.get("revealed_at") is None:
            state["revealed_at"] = self.k.now()
        return state
