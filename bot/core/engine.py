"""The engine: every use case, platform-neutral, composed from the feature packages.

Adapters decode an event into a `PlayerRef` and arguments, call one use case of one feature
(`engine.play.next_task(ref)`, `engine.quickdraw.guess(ref, text)`, ...), and render the
`Reply` it returns. Buttons all go through `handle_button`, the scheduler's tick through
`tick`.

Composition, not inheritance: each feature is an object built on the shared `Kernel` and
handed the public objects of the features it uses; what a feature adds to the others (a
game flow, button handlers, tick jobs, privacy and forget hooks) it registers on the
kernel's `Extensions`. The order of registration is the order of the tick jobs and hooks.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager

from bot.core.access import Access, Signin
from bot.core.access.drawlinks import DrawLinks
from bot.core.campaigns import CampaignCases
from bot.core.capture import Capture
from bot.core.compare import Compare
from bot.core.drawings import Drawings
from bot.core.exports.download import Downloads
from bot.core.exports.feed import LabelFeed
from bot.core.insights import Insights
from bot.core.intake import Intake
from bot.core.kernel.clock import Clock
from bot.core.kernel.codec import decode
from bot.core.kernel.context import Kernel
from bot.core.kernel.events import EventBus
from bot.core.kernel.models import PlayerRef, Reply
from bot.core.kernel.settings import EngineSettings
from bot.core.locate import Locate
from bot.core.multilabel import Multilabel
from bot.core.play import Play
from bot.core.play.quality import QualityRules
from bot.core.players import Players
from bot.core.quickdraw import Quickdraw
from bot.core.review import ReviewCases
from bot.core.rewards import Boards, RewardCases, RewardJobs, RewardsHook, reward_rules
from bot.core.translate import Languages, Translate
from bot.core.webhooks import WebhookCases
from storage import Store


class Engine:
    """The composition root: the kernel, then the features in dependency order."""

    def __init__(
        self,
        store: Store,
        settings: EngineSettings,
        clock: Clock | None = None,
        bus: EventBus | None = None,
    ) -> None:
        k = self.kernel = Kernel(store, settings, clock, bus)
        rules = reward_rules(k.settings)
        self.quality = QualityRules.from_settings(k.settings.quality)
        self.reward_rules = rules
        self.rewards_hook = RewardsHook(rules, k.bus)
        self.players = Players(k, rules.points)
        self.play = Play(k, self.quality, rules.points)
        self.play.answers.processor.rewards = self.rewards_hook
        self.boards = Boards(k, rules)
        self.rewards = RewardCases(k, rules, self.boards)
        self.reward_jobs = RewardJobs(k, rules, self.boards)
        self.quickdraw = Quickdraw(k, self.play, self.rewards_hook)
        self.review = ReviewCases(k, self.quality)
        self.campaigns = CampaignCases(k, self.play)
        self.access = Access(k)  # API tokens: registers nothing on the kernel
        self.feed = LabelFeed(k)  # the JSON API's reads: registers nothing either
        self.signin = Signin(k)  # dashboard sign-in links and sessions: registers nothing
        self.insights = Insights(k)  # the dashboard's reads: registers nothing either
        self.downloads = Downloads(k)  # the dashboard's exports: registers nothing either
        self.webhooks = WebhookCases(k)  # webhooks out: the adapter runs the dispatcher
        self.intake = Intake(k, self.feed)  # the JSON API's writes: nothing either
        self.draw_links = DrawLinks(k)  # drawing-page links (issue 15): nothing either
        self.drawings = Drawings(k)  # player drawings (issue 15): registers nothing
        self.translate = Translate(k, self.play, self.rewards_hook)  # issue 16: translate game
        self.languages = Languages(k)  # /languages (issue 16): registers nothing
        self.capture = Capture(k, self.rewards_hook)  # contributed photos (issue 16)
        self.locate = Locate(k, self.play)  # the locate canvas (issue 17)
        self.multilabel = Multilabel(k, self.play)  # select all that apply (issue 17)
        self.compare = Compare(k, self.play)  # pairwise comparisons (issue 17)
        for feature in (
            self.players,
            self.play,
            self.rewards,
            self.quickdraw,
            self.review,
            self.campaigns,
            self.translate,
            self.capture,
            self.locate,
            self.multilabel,
            self.compare,
        ):
            feature.register(k.ext)

    # shared state the process wiring reads -------------------------------------------------

    @property
    def store(self) -> Store:
        return self.kernel.store

    @property
    def settings(self) -> EngineSettings:
        return self.kernel.settings

    @property
    def bus(self) -> EventBus:
        return self.kernel.bus

    def now(self) -> float:
        return self.kernel.now()

    def exclusive(self, key: str) -> AbstractAsyncContextManager[None]:
        """Mutual exclusion across every process on the store (`Store.exclusive`), for
        adapters that must take turns with the other processes (e.g. Discord IDENTIFYs)."""
        return self.kernel.store.exclusive(key)

    # cross-cutting entry points ------------------------------------------------------------

    async def drawing_of_item(self, item_id: int) -> int | None:
        """The id of the player drawing an item came from (None: not one). No scope check:
        callers act through `drawings.hide`, which checks it (the dashboard's Hide button)."""
        found = await self.kernel.store.drawing_of_item(item_id)
        return None if found is None else found.id

    async def handle_button(self, ref: PlayerRef, payload: str) -> Reply:
        """The one entry point for every button on both platforms: the payload's action
        picks the handler a feature registered (`Extensions.buttons`)."""
        return await self.kernel.ext.press(ref, decode(payload))

    async def tick(self) -> int:
        """Due work, in registration order: round timeouts, doodle hints, scheduled rounds,
        campaign completion. Returns how many things it did."""
        done = 0
        for _name, job in self.kernel.ext.tick_jobs:
            done += await job()
        return done

    async def ping(self) -> None:
        """One trivial read of the store (health checks): returns when the store answers,
        raises what the store raised when it does not."""
        await self.kernel.store.get_meta("labelquest.ping")

    async def open_channel_rounds(self, limit: int = 10000) -> int:
        """How many channel rounds are open now, counted up to `limit` (metrics)."""
        far = self.now() + 100 * 365 * 86400.0
        due = await self.kernel.store.due_rounds(far, limit)
        return sum(1 for r in due if r.mode == "channel")

    async def close(self) -> None:
        """Commit every queued answer; nothing acknowledged is lost."""
        await self.play.close()
