"""The kernel: what every feature shares. Store, settings, clock, event bus, the registered
extensions, and small caches with the lookups behind them (players, channels, campaigns,
items, rounds, media).

Several processes may share one database, so no cache is the truth (docs/architecture.md,
"Shared state across processes"). Caches keep what never changes (items, a platform
identity's player id, a channel's row) for good; campaign rows and campaign gold maps, which
another process may change (pause, end, "make gold"), for `[database] cache_seconds` at most
(measured on the monotonic clock), then they are read again; a cached round is a hint (an
"open" round may have closed elsewhere: the answer batch and the guess write check the
round and its campaign inside their transaction, and the database decides).

Gold is per campaign (`campaign_gold`, migration 008): `item(id)` is campaign-free and never
gold; `campaign_item(campaign_id, id)` is the item as that campaign sees it, its gold answer
from the campaign's gold map (one query per campaign and `cache_seconds`, or after
`forget_campaign`).
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace

from bot.core.kernel import texts
from bot.core.kernel.clock import Clock, SystemClock
from bot.core.kernel.errors import InvalidInput, NoTaskAvailable, NotConsented, NotFound
from bot.core.kernel.events import EventBus, RoundChanged
from bot.core.kernel.extensions import Extensions, GameFlow
from bot.core.kernel.lru import Lru
from bot.core.kernel.models import ChannelRef, Kind, Media, PlayerRef
from bot.core.kernel.scope import open_to
from bot.core.kernel.settings import EngineSettings
from bot.games.base import Game
from bot.games.registry import GAMES, get_game
from storage import CampaignRow, ChannelRow, ItemRow, PlayerRow, RoundRow, Store

log = logging.getLogger(__name__)


class Kernel:
    def __init__(
        self,
        store: Store,
        settings: EngineSettings,
        clock: Clock | None = None,
        bus: EventBus | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        self.bus = bus or EventBus()
        self.games: dict[str, Game] = GAMES
        self.ext = Extensions()
        self._identities: Lru = Lru(100_000)
        self._campaigns: dict[int, tuple[float, CampaignRow]] = {}
        self._items: Lru = Lru(50_000)
        self._rounds: Lru = Lru(50_000)
        self._authors: Lru = Lru(50_000)
        self._channels: Lru = Lru(20_000)
        self._gold: dict[int, tuple[float, dict[int, tuple[str, str | None]]]] = {}
        self._channel_ids: dict[int, str] = {}

    def now(self) -> float:
        return self.clock.now()

    def game(self, name: str) -> Game:
        return get_game(name)

    def is_admin(self, ref: PlayerRef) -> bool:
        admins = getattr(self.settings.admins, ref.platform, [])
        return ref.external_id in admins

    # players -----------------------------------------------------------------------

    async def player_id(self, ref: PlayerRef) -> int | None:
        """The consented player behind `ref`, or None. Keeps the display name current."""
        key = (ref.platform, ref.external_id)
        cached = self._identities.get(key)
        if cached is None or (self.shared and not self.trusted(cached[3])):
            ident = await self.store.get_identity(ref.platform, ref.external_id)
            if ident is None:
                self._identities.pop(key, None)
                return None
            player = await self.store.get_player(ident.player_id)
            if player is None:
                self._identities.pop(key, None)
                return None
            cached = (player.id, player.consent_version, ident.display_name, time.monotonic())
            self._identities.put(key, cached)
        pid, version, name, read_at = cached
        if version < self.settings.privacy.consent_version:
            return None
        if ref.display_name and ref.display_name != name:
            await self.store.rename_identity(ref.platform, ref.external_id, ref.display_name)
            self._identities.put(key, (pid, version, ref.display_name, read_at))
        return int(pid)

    async def require_player(self, ref: PlayerRef) -> int:
        pid = await self.player_id(ref)
        if pid is None:
            raise NotConsented(texts.NOT_CONSENTED)
        return pid

    async def player_row(self, player_id: int) -> PlayerRow:
        row = await self.store.get_player(player_id)
        if row is None:
            raise NotFound(texts.PLAYER_GONE)
        return row

    def remember_identity(self, ref: PlayerRef, player_id: int, version: int) -> None:
        self._identities.put(
            (ref.platform, ref.external_id),
            (player_id, version, ref.display_name, time.monotonic()),
        )

    def forget_identities(self, player_id: int) -> None:
        for key in [k for k, v in self._identities.items() if v[0] == player_id]:
            del self._identities[key]

    # places ------------------------------------------------------------------------

    async def channel(self, ref: ChannelRef) -> ChannelRow:
        key = (ref.platform, ref.external_id)
        cached: ChannelRow | None = self._channels.get(key)
        if cached is not None and cached.name == ref.name:
            return cached
        community_id = None
        if ref.community is not None:
            c = ref.community
            community_id = (
                await self.store.upsert_community(c.platform, c.external_id, c.name, self.now())
            ).id
        row = await self.store.upsert_channel(
            ref.platform, ref.external_id, community_id, ref.name, ref.kind.value, self.now()
        )
        self._channels.put(key, row)
        self._channel_ids[row.id] = row.external_id
        return row

    def channel_external_id(self, channel_id: int | None) -> str | None:
        """The platform id of a channel this process has seen (None when unknown)."""
        return None if channel_id is None else self._channel_ids.get(channel_id)

    def know_channel(self, channel_id: int, external_id: str) -> None:
        """Remember a channel's platform id (read from a stored schedule)."""
        self._channel_ids[channel_id] = external_id

    # content -----------------------------------------------------------------------

    @property
    def shared(self) -> bool:
        """Whether other processes may share the store (PostgreSQL): a player's identity
        (consent given, withdrawn, or the player forgotten there) is then also cached for
        `cache_seconds` only; one process per SQLite file keeps it until it changes here."""
        return getattr(self.store, "dialect", "sqlite") == "postgres"

    def trusted(self, read_at: float) -> bool:
        """Whether a cache entry of something other processes may change, read at
        `read_at` (`time.monotonic()`), is still trusted (`[database] cache_seconds`)."""
        return time.monotonic() - read_at < self.settings.database.cache_seconds

    async def campaign(self, campaign_id: int) -> CampaignRow:
        """The campaign row, read again once older than `cache_seconds` (a process may
        pause or end it); NotFound when it is gone."""
        cached = self._campaigns.get(campaign_id)
        if cached is not None and self.trusted(cached[0]):
            return cached[1]
        row = await self.store.get_campaign(campaign_id)
        if row is None:
            self._campaigns.pop(campaign_id, None)
            raise NotFound(texts.CAMPAIGN_GONE)
        self._campaigns[campaign_id] = (time.monotonic(), row)
        return row

    async def refuse_inactive(self, campaign_id: int) -> None:
        """Raise the "not active" refusal of a campaign the database found paused or ended
        (in any process), with its current status; the cached row is dropped."""
        self.forget_campaign(campaign_id)
        row = await self.campaign(campaign_id)
        raise InvalidInput(texts.CAMPAIGN_NOT_ACTIVE, name=row.name, status=row.status)

    def forget_campaign(self, campaign_id: int) -> None:
        self._campaigns.pop(campaign_id, None)
        self._gold.pop(campaign_id, None)

    async def item(self, item_id: int) -> ItemRow:
        """The item without any campaign's gold (see `campaign_item`)."""
        row: ItemRow | None = self._items.get(item_id)
        if row is None:
            row = await self.store.get_item(item_id)
            if row is None:
                raise NotFound(texts.ITEM_GONE)
            if row.gold is not None:  # the dataset's import default is no campaign's gold
                row = replace(row, gold=None, gold_explanation=None)
            self._items.put(item_id, row)
        return row

    def forget_item(self, item_id: int) -> None:
        self._items.pop(item_id, None)

    async def campaign_item(self, campaign_id: int, item_id: int) -> ItemRow:
        """The item as campaign `campaign_id` sees it: with its gold answer there, if any."""
        row = await self.item(item_id)
        gold = (await self.campaign_gold(campaign_id)).get(item_id)
        if gold is None:
            return row
        return replace(row, gold=gold[0], gold_explanation=gold[1])

    async def campaign_gold(self, campaign_id: int) -> dict[int, tuple[str, str | None]]:
        """Item id -> (gold answer, explanation) in this campaign (cached per campaign for
        `cache_seconds`)."""
        cached = self._gold.get(campaign_id)
        if cached is not None and self.trusted(cached[0]):
            return cached[1]
        found = await self.store.campaign_gold(campaign_id)
        self._gold[campaign_id] = (time.monotonic(), found)
        return found

    async def gold_items(self, campaign: CampaignRow) -> int:
        return len(await self.campaign_gold(campaign.id))

    async def author_of(self, item_id: int) -> int | None:
        """The player who contributed the item (a translation, a photo: issue 16), None for
        an imported item. An item's origin never changes, so it is remembered."""
        known: int | None = self._authors.get(item_id)
        if known is None:
            found = await self.store.contribution_of_item(item_id)
            known = 0 if found is None else found.player_id
            self._authors.put(item_id, known)
        return known or None

    async def round(self, round_id: int) -> RoundRow | None:
        """The round: a cached open round as this process last saw it (a hint: another
        process may have closed it; writes check the stored row), anything else read."""
        row: RoundRow | None = self._rounds.get(round_id)
        if row is None or row.status != "open":
            row = await self.store.get_round(round_id)
            if row is not None:
                self._rounds.put(round_id, row)
        return row

    def remember_round(self, row: RoundRow) -> None:
        self._rounds.put(row.id, row)

    def publish_round(self, rnd: RoundRow, *, closed: bool = False) -> None:
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

    # games and media -----------------------------------------------------------------

    def flow_of(self, campaign: CampaignRow) -> GameFlow:
        """The registered flow of the campaign's game."""
        return self.ext.flow_for(campaign.game)

    async def media(self, item: ItemRow) -> Media | None:
        """What shows an item, from the renderer registered for its kind (None: text)."""
        render = self.ext.media.get(item.kind)
        return None if render is None else await render(item)

    # campaigns -----------------------------------------------------------------------

    async def active_campaign(self, name: str | None, community_id: int | None) -> CampaignRow:
        """The active campaign named `name`, else the first active one open to the
        community (shared campaigns are open to all). The scope rule (`scope.open_to`): a
        campaign of another community is reported exactly like a missing one."""
        if name:
            found = await self.store.get_campaign_by_name(name)
            if found is None or not open_to(community_id, found.community_id):
                raise NotFound(texts.NO_CAMPAIGN_NAMED, name=name)
            if found.status != "active":
                raise InvalidInput(texts.CAMPAIGN_NOT_ACTIVE, name=name, status=found.status)
            return found
        for c in await self.store.list_campaigns(["active"]):
            if open_to(community_id, c.community_id):
                return c
        raise NoTaskAvailable(texts.NO_ACTIVE_CAMPAIGN)

    async def visible_campaigns(self, ref: PlayerRef, pid: int) -> list[CampaignRow]:
        """Active campaigns open to everyone or to the community the player is in."""
        if ref.channel is not None and ref.channel.kind == Kind.GROUP:
            community = (await self.channel(ref.channel)).community_id
        else:
            community = (await self.player_row(pid)).home_community_id
        found = await self.store.list_campaigns(["active"])
        return [c for c in found if c.community_id is None or c.community_id == community]

    # the audit log -------------------------------------------------------------------

    async def audit(
        self,
        actor: PlayerRef | str,
        action: str,
        target: str = "",
        detail: str = "",
        *,
        campaign: CampaignRow | int | None = None,
    ) -> None:
        """Record who did what, when. `actor` is the acting `PlayerRef` (its platform, id and
        name are kept) or a name such as "cli"; `action` a short dotted verb such as
        "campaign.pause"; `target` what it acted on (a campaign name, an item); `campaign`
        (row or id) makes the entry show up under `/audit <campaign>`."""
        platform = actor_id = ""
        name = actor
        if isinstance(actor, PlayerRef):
            platform, actor_id = actor.platform, actor.external_id
            name = f"{actor.display_name} ({actor.platform} {actor.external_id})"
        cid = campaign.id if isinstance(campaign, CampaignRow) else campaign
        await self.store.add_audit(
            at=self.now(),
            actor=str(name),
            action=action,
            target=target,
            detail=detail,
            platform=platform,
            actor_id=actor_id,
            campaign_id=cid,
        )
        log.info("audit: %s %s %s", action, target, detail)  # the actor stays in the table only
