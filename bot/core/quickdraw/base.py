"""Shared pieces of the quick-draw use cases: settings-derived rules, doodle media, state.

Scoring rule (documented for players in docs/quickdraw.md): a right guess earns

    points = max(1, round(points_scale × P(order, elapsed, D, h, H)))

where P is `quickdraw_rules.guess_points` with the configured preset (scribble.rs's guesser
score divided by the order of the right guess: the first right guess earns twice the second
at equal speed), D the round length, h the hints visible at the moment of the guess and H the
hints the word gets (H = 0 when hints are off). A solo pick uses order 1, no hints and
D = `solo_seconds`. A close guess (one edit away) or a wrong one earns no guess points.

Hints: `hint_count(word)` hints, hint k appearing `k·D/(H+1)` seconds into the round, each
revealing the next letter of `reveal_order(word, round id)`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from bot.core.kernel.context import Kernel
from bot.core.kernel.lru import Lru
from bot.core.kernel.models import Media, Reply
from bot.core.kernel.settings import QuickdrawSettings
from bot.core.play import Play
from bot.core.rewards import RewardsHook, points_for_drawing
from bot.games.quickdraw import guess_label
from bot.games.quickdraw_matching import Match, match_guess
from bot.games.quickdraw_rules import (
    PRESETS,
    GuessLimits,
    guess_points,
    hint_count,
    hints_shown_at,
    reveal_order,
)
from bot.render import render_doodle_gif
from storage import CampaignRow, Drawing, ItemRow, NewGuess, NewLedgerEntry, RoundRow

log = logging.getLogger(__name__)

GAME = "quickdraw"
DOODLE_ALT = "Animated replay of a hand-drawn doodle, drawn stroke by stroke."


def reward(
    cfg: QuickdrawSettings,
    order: int,
    elapsed_s: float,
    duration_s: float,
    hints_shown: int,
    hint_total: int,
) -> int:
    """Points of a right guess (see the module docstring)."""
    raw = guess_points(order, elapsed_s, duration_s, hints_shown, hint_total, PRESETS[cfg.scoring])
    return max(1, round(cfg.points_scale * raw))


def limits(cfg: QuickdrawSettings) -> GuessLimits:
    return GuessLimits(cfg.guess_burst, cfg.guess_window_seconds, cfg.guesses_per_round)


@dataclass(frozen=True, slots=True)
class Hints:
    shown: int
    total: int
    revealed: frozenset[int]


def hints_at(cfg: QuickdrawSettings, word: str, rnd: RoundRow, now: float) -> Hints:
    """The hints of a round at `now` (none when hints are off)."""
    if not cfg.hints or rnd.closes_at is None:
        return Hints(0, 0, frozenset())
    duration = rnd.closes_at - rnd.opened_at
    shown = hints_shown_at(word, duration, now - rnd.opened_at)
    return Hints(shown, hint_count(word), frozenset(reveal_order(word, rnd.id)[:shown]))


@dataclass
class Guesser:
    """One player in one channel round, as this process knows them: how many guesses of
    theirs were stored when last read (re-read for every guess: other processes store
    guesses too; the guess write's guard is the truth) and their answer's id on this doodle
    once known (answers are only ever removed with the player)."""

    guesses: int
    answer_id: int | None = None


@dataclass
class DoodleState:
    """In-process state, an optimization in front of the database (which decides: see
    `bot.core.quickdraw.guesses`): per-round locks (right guesses of this process queue here
    before the round's advisory lock), per-player-and-round locks (a player's guesses one at
    a time in this process), the guesses in flight without the round lock, recent guess
    attempts for the rate limit's first filter, who guessed how often, the newest open doodle
    round of each channel (`newest`: channel id -> (round id, monotonic time read), trusted
    for `[database] cache_seconds`, then read again: another process may open a newer one),
    the hints each open round last showed, rendered replays.

    Locking rule: every guess holds its player's lock; a right guess also holds the round's
    lock and then `store.exclusive("round:<id>")` (it changes the round state). A guess that
    is not right changes nothing shared, so it runs beside the others "in flight"; closing a
    round here first stops new guesses (they get `RoundClosed`) and waits for those in
    flight. Across processes the guess write's guard (the round row locked, its status
    checked) makes sure no guess of a round is stored after it closed."""

    locks: dict[int, asyncio.Lock] = field(default_factory=dict)
    player_locks: dict[tuple[int, int], asyncio.Lock] = field(default_factory=dict)
    in_flight: dict[int, int] = field(default_factory=dict)
    drained: dict[int, asyncio.Event] = field(default_factory=dict)
    closing: set[int] = field(default_factory=set)
    attempts: dict[tuple[int, int], list[float]] = field(default_factory=dict)
    guessers: dict[tuple[int, int], Guesser] = field(default_factory=dict)
    newest: dict[int, tuple[int, float]] = field(default_factory=dict)
    hints: dict[int, int] = field(default_factory=dict)
    media: Lru = field(default_factory=lambda: Lru(256))
    authors: Lru = field(default_factory=lambda: Lru(4096))

    def lock(self, round_id: int) -> asyncio.Lock:
        return self.locks.setdefault(round_id, asyncio.Lock())

    def player_lock(self, round_id: int, player_id: int) -> asyncio.Lock:
        return self.player_locks.setdefault((round_id, player_id), asyncio.Lock())

    @contextlib.contextmanager
    def flying(self, round_id: int) -> Iterator[None]:
        """Count a guess in flight on a round (see the class docstring)."""
        self.in_flight[round_id] = self.in_flight.get(round_id, 0) + 1
        self.drained.setdefault(round_id, asyncio.Event()).clear()
        try:
            yield
        finally:
            self.in_flight[round_id] -= 1
            if not self.in_flight[round_id]:
                del self.in_flight[round_id]
                self.drained.pop(round_id).set()

    async def drain(self, round_id: int) -> None:
        """Wait until no guess of the round is in flight."""
        event = self.drained.get(round_id)
        if event is not None:
            await event.wait()

    def forget_round(self, round_id: int) -> None:
        self.locks.pop(round_id, None)
        for pkey in [k for k in self.player_locks if k[0] == round_id]:
            del self.player_locks[pkey]
        self.hints.pop(round_id, None)
        for key in [k for k in self.attempts if k[0] == round_id]:
            del self.attempts[key]
        for key in [k for k in self.guessers if k[0] == round_id]:
            del self.guessers[key]
        for channel_id in [c for c, r in self.newest.items() if r[0] == round_id]:
            del self.newest[channel_id]

    def forget_player(self, player_id: int) -> None:
        for key in [k for k in self.guessers if k[1] == player_id]:
            del self.guessers[key]


class DoodleBase:
    """What the quick-draw use cases share: the kernel, play (answers go through its group
    commit), the rewards hook (right guesses after the first answer pay through it) and the
    per-process doodle state."""

    def __init__(
        self, k: Kernel, play: Play, hook: RewardsHook, qd: DoodleState | None = None
    ) -> None:
        self.k = k
        self.play = play
        self.hook = hook
        self.qd = qd or DoodleState()

    async def forget_player(self, player_id: int, touched: list[tuple[int, int]]) -> None:
        """Drop what this process counted of the player's guesses (their data is gone)."""
        self.qd.forget_player(player_id)

    async def author(self, item_id: int) -> int | None:
        """Who drew the doodle when it is a player drawing (issue 15), else None; an item's
        author never changes, so it is remembered."""
        known: int | None = self.qd.authors.get(item_id)
        if known is None:
            found = await self.k.store.drawing_of_item(item_id)
            known = 0 if found is None else found.player_id
            self.qd.authors.put(item_id, known)
        return known or None

    async def pay_author(self, campaign: CampaignRow, item_id: int, word: str) -> None:
        """Another player guessed a player drawing right: its author earns the drawing points
        (`bot.core.rewards.points`), through the same ledger, totals and boards as answers,
        in a transaction of its own once the right guess has committed."""
        author = await self.author(item_id)
        if author is None:
            return
        line = points_for_drawing(word)[0]
        entry = NewLedgerEntry(
            author, self.k.now(), line.points, line.kind.value, line.reason, None,
            campaign.id, campaign.community_id,
        )  # fmt: skip
        async with self.k.store.answer_batch() as tx:
            events = await self.hook.pay_outside_batch(
                tx, entry, campaign_community=campaign.community_id
            )
        self.hook.publish(events)

    @property
    def qd_cfg(self) -> QuickdrawSettings:
        return self.k.settings.quickdraw

    @staticmethod
    def is_doodle_campaign(campaign: CampaignRow) -> bool:
        return campaign.game == GAME

    async def doodle_media(self, item: ItemRow) -> Media | None:
        """Doodles are shown as an animated replay (rendered off the event loop, once per
        item and size)."""
        size = self.qd_cfg.gif_size
        cached: Media | None = self.qd.media.get((item.id, size))
        if cached is not None:
            return cached
        stored = await self.k.store.get_media(item.id)
        if stored is None:
            return None
        strokes = Drawing.strokes_from_json(stored[1].decode("utf-8"))
        data = await asyncio.to_thread(render_doodle_gif, strokes, size)
        media = Media(
            data, f"doodle-{item.id}.gif", DOODLE_ALT, "animation", f"doodle:{item.id}:{size}"
        )
        self.qd.media.put((item.id, size), media)
        return media


@lru_cache(maxsize=8192)
def judged(text: str, word: str) -> tuple[Match, str]:
    """`match_guess` and `guess_label` of a text against a word (both pure: the category
    index and synonyms are read once)."""
    return match_guess(text, word), guess_label(text, word)


@dataclass(frozen=True, slots=True)
class Pay:
    """Points of a right guess that is not the player's first, paid with the guess row."""

    entry: NewLedgerEntry
    answer_id: int
    marks: dict[str, Any]


@dataclass(frozen=True, slots=True)
class GuessResult:
    """A judged guess: the private feedback and how the guess matched (`exact`, `synonym`,
    `close`, `wrong`, or `already` when the player had already got it)."""

    reply: Reply
    kind: str

    @property
    def correct(self) -> bool:
        return self.kind in ("exact", "synonym")


def guess_context(
    text: str, match: Match, hints_shown: int, state: dict[str, Any], elapsed: float, order: int
) -> dict[str, Any]:
    """What an answer made of a guess remembers (its `extra`)."""
    context: dict[str, Any] = {
        "guess": text,
        "match": match.kind.value,
        "hints_shown": hints_shown,
        "after_reveal": state.get("revealed_at") is not None,
        "correct": match.correct,
        "seconds": round(elapsed, 2),
    }
    if match.correct and order == 1:
        context["first_correct"] = True
    return context


def guess_row(
    rnd: RoundRow,
    pid: int,
    text: str,
    match: Match,
    label: str,
    context: dict[str, Any],
    first: bool,
    paid: int,
    platform: str,
    now: float,
) -> NewGuess:
    """The stored row of a channel guess (`context` from `guess_context`); its latency is
    the time since the round opened."""
    return NewGuess(
        round_id=rnd.id,
        campaign_id=rnd.campaign_id,
        item_id=rnd.item_id,
        player_id=pid,
        text=text,
        normalized=match.normalized,
        label=label,
        kind=match.kind.value,
        correct=match.correct,
        hints_shown=int(context["hints_shown"]),
        after_reveal=bool(context["after_reveal"]),
        is_first=first,
        points=paid,
        latency_ms=int(max(0.0, now - rnd.opened_at) * 1000),
        mode="channel",
        platform=platform,
        created_at=now,
    )
