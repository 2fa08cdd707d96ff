"""The engine's extension points: what a feature adds, it registers here.

A feature never overrides another feature's method. Instead the composition root
(`bot.core.engine.Engine`) lets each feature register:

- a **game flow** per game name (`GameFlow`): how that game's channel round opens, how its
  card looks, how it closes, how a button answer is taken; verify and classify share the
  choice flow of `bot.core.play`, quick-draw brings its own;
- a **media renderer** per item kind (`image`, `doodle`, ...);
- **button handlers** keyed by payload action (`bot.core.kernel.codec`), each with a name
  that says what it does; an unknown action gets the "not one of mine" answer;
- **tick jobs**, run in registration order by `Engine.tick` (the scheduler's tick);
- **privacy hooks** (after a player changed a privacy setting) and **forget hooks** (inside
  "forget me", after the player's rows are deleted).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from bot.core.kernel import texts
from bot.core.kernel.codec import Payload
from bot.core.kernel.errors import UnknownPayload
from bot.core.kernel.models import Media, PlayerRef, Reply
from storage import CampaignRow, ItemRow, RoundRow


class GameFlow(Protocol):
    """How the rounds of one game run. `bot.core.play.ChoiceFlow` is the reference."""

    store_picks_items: bool
    """True when a schedule's slot can be claimed and its round opened by the store in one
    step (`claim_schedule`); False when the flow picks its own item (two steps)."""

    async def open_channel_round(
        self, campaign: CampaignRow, channel_id: int, platform: str
    ) -> Reply:
        """Open a round in a group channel and return its card."""

    async def round_card(self, rnd: RoundRow, campaign: CampaignRow) -> Reply:
        """The card of a channel round as it is now (open or closed)."""

    async def close_round(self, rnd: RoundRow) -> RoundRow | None:
        """Close an open channel round once; None when it was closed already."""

    async def answer(
        self, ref: PlayerRef, pid: int, rnd: RoundRow, choice: int, continue_session: bool
    ) -> Reply:
        """An answer button (`a`) pressed on this game's card by consented player `pid`."""

    def solo_card(self, card: Reply) -> Reply:
        """The last touch on a /play card of this game."""

    async def answer_text(
        self, ref: PlayerRef, pid: int, rnd: RoundRow, text: str, continue_session: bool
    ) -> Reply:
        """A typed answer (`/answer`, a reply to the card, Discord's Answer modal) to this
        game's card by consented player `pid`; games answered by buttons refuse it clearly."""

    async def eligible(self, pid: int, campaign: CampaignRow) -> str | None:
        """None when player `pid` may get this campaign's tasks; else a one-line note why not
        (shown when /play finds no task). Asked before a solo task is reserved and before a
        channel answer is stored."""


@runtime_checkable
class TakesValues(Protocol):
    """A flow that takes an answer as a value the platform composed (the attributes picked
    in a multi-select, a rating, boxes drawn on the web canvas), not an option index or a
    typed text; `bot.core.play.ChoiceFlow` is the reference."""

    async def answer_value(
        self, ref: PlayerRef, pid: int, rnd: RoundRow, value: str, continue_session: bool
    ) -> Reply:
        """Normalise `value` with the game (`Game.normalize`: refusals name the problem and
        store nothing), store it once, say what it earned."""
        ...


ButtonHandler = Callable[[PlayerRef, Payload], Awaitable[Reply]]
TickJob = Callable[[], Awaitable[int]]
MediaRenderer = Callable[[ItemRow], Awaitable[Media | None]]
ForgetHook = Callable[[int, list[tuple[int, int]]], Awaitable[None]]
"""(player id, the (campaign, item) keys the player had answered) -> None."""
PrivacyHook = Callable[[int, bool | None, bool | None], Awaitable[None]]
"""(player id, hide from boards or None, reminders or None) -> None."""
MyDataHook = Callable[[int], Awaitable[tuple[dict[str, Any], Reply | None]]]
"""(player id) -> (keys added to the /mydata JSON, a reply sent after it or None)."""


@dataclass(frozen=True, slots=True)
class Button:
    action: str
    name: str
    handler: ButtonHandler


@dataclass
class Extensions:
    """What the features registered; read by the kernel and the engine."""

    flows: dict[str, GameFlow] = field(default_factory=dict)
    default_flow: GameFlow | None = None
    media: dict[str, MediaRenderer] = field(default_factory=dict)
    buttons: dict[str, Button] = field(default_factory=dict)
    tick_jobs: list[tuple[str, TickJob]] = field(default_factory=list)
    forget_hooks: list[tuple[str, ForgetHook]] = field(default_factory=list)
    privacy_hooks: list[tuple[str, PrivacyHook]] = field(default_factory=list)
    mydata_hooks: list[tuple[str, MyDataHook]] = field(default_factory=list)

    def flow(self, game: str, flow: GameFlow) -> None:
        self.flows[game] = flow

    def button(self, action: str, name: str, handler: ButtonHandler) -> None:
        if action in self.buttons:
            raise ValueError(f"button action {action!r} is registered twice")
        self.buttons[action] = Button(action, name, handler)

    def tick(self, name: str, job: TickJob) -> None:
        self.tick_jobs.append((name, job))

    def on_forget(self, name: str, hook: ForgetHook) -> None:
        self.forget_hooks.append((name, hook))

    def on_privacy(self, name: str, hook: PrivacyHook) -> None:
        self.privacy_hooks.append((name, hook))

    def on_mydata(self, name: str, hook: MyDataHook) -> None:
        self.mydata_hooks.append((name, hook))

    def renderer(self, kind: str, render: MediaRenderer) -> None:
        self.media[kind] = render

    def flow_for(self, game: str) -> GameFlow:
        flow = self.flows.get(game, self.default_flow)
        if flow is None:
            raise LookupError(f"no flow registered for game {game!r}")
        return flow

    async def press(self, ref: PlayerRef, payload: Payload) -> Reply:
        """Run the handler registered for the payload's action."""
        button = self.buttons.get(payload.action)
        if button is None:
            raise UnknownPayload(texts.UNKNOWN_BUTTON)
        return await button.handler(ref, payload)
