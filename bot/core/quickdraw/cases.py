"""The quick-draw feature: doodle rounds in channels (its `GameFlow`), hints, solo series.

A doodle round is a channel round of a `quickdraw` campaign. Its card is the replay GIF with
the word masked (`_ _ _`); hints reveal letters at fixed times (`tick` edits the card through
`RoundChanged`) and lower the points. It ends at its timeout or as soon as
`[quickdraw] players_to_end` players have guessed right; the closing card names the word, who
got it, in which order and how fast.

Guesses are judged, ranked and paid in `bot.core.quickdraw.guesses`.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from typing import Any

from bot.core.kernel.codec import Payload
from bot.core.kernel.context import Kernel
from bot.core.kernel.errors import NotFound
from bot.core.kernel.extensions import Extensions
from bot.core.kernel.models import Media, PlayerRef, Reply
from bot.core.play import Play
from bot.core.quickdraw import cards as qd_cards
from bot.core.quickdraw import texts
from bot.core.quickdraw.base import (
    GAME,
    hints_at,
)
from bot.core.quickdraw.guesses import DoodleGuesses
from bot.core.quickdraw.solo import SoloDoodleCases
from bot.core.rewards import RewardsHook
from bot.games.quickdraw import word_of
from storage import CampaignRow, GuessRow, ItemRow, RoundRow

log = logging.getLogger(__name__)


class Quickdraw(SoloDoodleCases):
    """The quick-draw feature: the `GameFlow` of doodle rounds (`open_channel_round`,
    `round_card`, `close_round`, `answer`, `solo_card`), guesses, hints (tick job), the
    Guess and word buttons; solo series from `SoloDoodleCases`."""

    store_picks_items = False

    def __init__(self, k: Kernel, play: Play, hook: RewardsHook) -> None:
        super().__init__(k, play, hook)
        self.guesses = DoodleGuesses(k, play, hook, self.qd, self.close_round)
        self.guess = self.guesses.guess
        self.judge_guess = self.guesses.judge_guess
        self.doodle_round_for = self.guesses.doodle_round_for

    def register(self, ext: Extensions) -> None:
        ext.flow(GAME, self)
        ext.renderer("doodle", self.doodle_media)
        ext.button("g", "how to guess a doodle", self.press_guess)
        ext.button("q", "pick a word in a solo doodle", self.press_pick)
        ext.tick("quickdraw.hints", self.show_hints)
        ext.on_forget("quickdraw.counts", self.forget_player)

    # rounds ------------------------------------------------------------------------------

    async def open_channel_round(
        self, campaign: CampaignRow, channel_id: int, platform: str
    ) -> Reply:
        item_id = await self.k.store.pick_doodle(campaign.id, channel_id)
        if item_id is None:
            raise NotFound(texts.ALL_DOODLES_IN_PLAY, campaign=campaign.name)
        item = await self.k.item(item_id)
        now = self.k.now()
        shown = await self.k.store.shown_in_channel(item_id, channel_id)
        state: dict[str, Any] = {
            "word": word_of(item),
            "solved": [],
            "revealed_at": now if shown else None,
        }
        rnd = await self.play.open_round_in_channel(  # holds the per-channel cap
            campaign, item_id, channel_id, platform, now + self.qd_cfg.round_seconds, state
        )
        self.qd.hints[rnd.id] = 0
        self.qd.newest[channel_id] = (rnd.id, time.monotonic())
        return await self.round_card(rnd, campaign)

    async def round_card(self, rnd: RoundRow, campaign: CampaignRow) -> Reply:
        """Open: the replay, the hint mask, how many guess. Closed: the word and solvers."""
        item = await self.k.item(rnd.item_id)
        media = await self.k.media(item)
        word = word_of(item)
        guesses = await self.k.store.round_guesses(rnd.id)
        card = await self._card(rnd, campaign, item, media, word, guesses)
        _, drawing_id = await self.player_drawing(item.id)
        if drawing_id is None:
            return card
        return replace(card, text=f"{card.text}\n{texts.PLAYER_DRAWING.format(id=drawing_id)}")

    async def _card(
        self,
        rnd: RoundRow,
        campaign: CampaignRow,
        item: ItemRow,
        media: Media | None,
        word: str,
        guesses: list[GuessRow],
    ) -> Reply:
        if rnd.status == "open":
            hints = hints_at(self.qd_cfg, word, rnd, self.k.now())
            question = self.k.game(GAME).question(campaign, item)
            return qd_cards.open_round_card(
                campaign,
                question,
                rnd,
                media,
                word,
                set(hints.revealed),
                (hints.shown, hints.total),
                len({g.player_id for g in guesses}),
            )
        firsts = [g for g in guesses if g.is_first]
        names = await self._shown_names(rnd)
        return qd_cards.closed_round_card(
            campaign, rnd, media, word, names, sum(g.correct for g in firsts), len(firsts)
        )

    async def _shown_names(self, rnd: RoundRow) -> dict[int, str]:
        """Names on the closing card; players who chose to hide from boards stay anonymous."""
        out: dict[int, str] = {}
        for s in rnd.state.get("solved", []):
            pid = int(s["player"])
            player = await self.k.store.get_player(pid)
            out[pid] = texts.HIDDEN_SOLVER if player is None or player.hidden else str(s["name"])
        return out

    async def close_round(self, rnd: RoundRow) -> RoundRow | None:
        """Close after the guesses in flight are stored (see `DoodleState`)."""
        round_id = rnd.id
        self.qd.closing.add(round_id)
        try:
            await self.qd.drain(round_id)
            row = await self.play.choice_flow.close_round(rnd)
        finally:
            self.qd.closing.discard(round_id)
        self.qd.forget_round(round_id)
        return row

    async def show_hints(self) -> int:
        """Hints: a doodle round whose hint count went up is re-rendered (its message
        edited). The open doodle rounds are read from the store on every tick, so hints come
        for rounds any process opened, stop for rounds any process closed, and keep coming
        after a restart or a change of scheduler leader."""
        n = 0
        rows = {r.id: r for r in await self.k.store.open_rounds_of_game(GAME)}
        for round_id in [r for r in self.qd.hints if r not in rows]:
            self.qd.forget_round(round_id)  # closed, here or elsewhere
        now = self.k.now()
        for round_id, rnd in rows.items():
            seen = self.qd.hints.setdefault(round_id, -1)
            self.k.remember_round(rnd)
            shown = hints_at(self.qd_cfg, str(rnd.state.get("word", "")), rnd, now).shown
            if shown > seen:
                self.qd.hints[round_id] = shown
                if shown > 0:  # -1: first look after a restart, 0 hints due yet
                    self.k.publish_round(rnd)
        return n

    async def answer_text(
        self, ref: PlayerRef, pid: int, rnd: RoundRow, text: str, continue_session: bool
    ) -> Reply:
        """A typed answer to a doodle round is a guess for it (judged, ranked and paid as one)."""
        return await self.guess(ref, text, round_id=rnd.id)

    async def eligible(self, pid: int, campaign: CampaignRow) -> str | None:
        """Every consented player may guess doodles."""
        return None

    async def press_guess(self, ref: PlayerRef, p: Payload) -> Reply:
        """The Guess button: Discord opens a modal before this is reached; elsewhere it says
        how to guess."""
        text = texts.HOW_TO_GUESS_ON.get(ref.platform, texts.HOW_TO_GUESS)
        return Reply(
            texts.DOODLE_ANNOUNCEMENT.format(text=text), notice=f"✏️ {text}", ephemeral=True
        )
