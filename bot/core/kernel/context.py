"""The engine's shared state: store, settings, clock, bus, rules and small caches.

Caches hold only what the engine itself changes (campaign status, round status) or what
never changes (items), so a single process can trust them; everything else is read from the
store.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any

from bot.config import Settings
from bot.core.kernel import texts
from bot.core.kernel.clock import Clock, SystemClock
from bot.core.kernel.errors import NotConsented, NotFound
from bot.core.kernel.events import EventBus
from bot.core.kernel.models import ChannelRef, PlayerRef
from bot.core.play.ingest import AnswerProcessor, GroupCommit
from bot.core.play.quality import QualityRules
from bot.core.rewards import PointsRules
from bot.games.base import Game
from bot.games.registry import GAMES, get_game
from storage import CampaignRow, ChannelRow, ItemRow, PlayerRow, RoundRow, Store

log = logging.getLogger(__name__)


class _Lru(OrderedDict[Any, Any]):
    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def put(self, key: Any, value: Any) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.size:
            self.popitem(last=False)


class EngineContext:
    def __init__(
        self,
        store: Store,
        settings: Settings,
        clock: Clock | None = None,
        bus: EventBus | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        self.bus = bus or EventBus()
        self.games: dict[str, Game] = GAMES
        self.quality = QualityRules.from_settings(settings.quality)
        self.points = PointsRules()
        self.processor = AnswerProcessor(store, self.games, self.quality, self.points)
        self.commits = GroupCommit(self.processor.process, settings.database.batch_max)
        self._identities: _Lru = _Lru(100_000)
        self._campaigns: dict[int, CampaignRow] = {}
        self._items: _Lru = _Lru(50_000)
        self._rounds: _Lru = _Lru(50_000)
        self._channels: _Lru = _Lru(20_000)
        self._gold: dict[int, int] = {}
        self._channel_ids: dict[int, str] = {}

    async def close(self) -> None:
        """Commit every queued answer; nothing acknowledged is lost."""
        await self.commits.close()

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
        if cached is None:
            ident = await self.store.get_identity(ref.platform, ref.external_id)
            if ident is None:
                return None
            player = await self.store.get_player(ident.player_id)
            if player is None:
                return None
            cached = (player.id, player.consent_version, ident.display_name)
            self._identities.put(key, cached)
        pid, version, name = cached
        if version < self.settings.privacy.consent_version:
            return None
        if ref.display_name and ref.display_name != name:
            await self.store.rename_identity(ref.platform, ref.external_id, ref.display_name)
            self._identities.put(key, (pid, version, ref.display_name))
        return int(pid)

    async def require_player(self, ref: PlayerRef) -> int:
        pid = await self.player_id(ref)
        if pid is None:
            raise NotConsented(texts.NOT_CONSENTED)
        return pid

    async def player_row(self, player_id: int) -> PlayerRow:
        row = await self.store.get_player(player_id)
        if row is None:
            raise NotFound("That player does not exist (any more).")
        return row

    def remember_identity(self, ref: PlayerRef, player_id: int, version: int) -> None:
        self._identities.put(
            (ref.platform, ref.external_id), (player_id, version, ref.display_name)
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
            community_id = (await self.store.upsert_community(
                c.platform, c.external_id, c.name, self.now())).id  # fmt: skip
        row = await self.store.upsert_channel(
            ref.platform, ref.external_id, community_id, ref.name, ref.kind.value, self.now()
        )
        self._channels.put(key, row)
        self._channel_ids[row.id] = row.external_id
        return row

    def channel_external_id(self, channel_id: int | None) -> str | None:
        """The platform id of a channel this process has seen (None when unknown)."""
        return None if channel_id is None else self._channel_ids.get(channel_id)

    # content -----------------------------------------------------------------------

    async def campaign(self, campaign_id: int) -> CampaignRow:
        row = self._campaigns.get(campaign_id)
        if row is None:
            row = await self.store.get_campaign(campaign_id)
            if row is None:
                raise NotFound("That campaign no longer exists.")
            self._campaigns[campaign_id] = row
        return row

    def forget_campaign(self, campaign_id: int) -> None:
        self._campaigns.pop(campaign_id, None)
        self._gold.pop(campaign_id, None)

    async def item(self, item_id: int) -> ItemRow:
        row: ItemRow | None = self._items.get(item_id)
        if row is None:
            row = await self.store.get_item(item_id)
            if row is None:
                raise NotFound("That item no longer exists.")
            self._items.put(item_id, row)
        return row

    def forget_item(self, item_id: int) -> None:
        self._items.pop(item_id, None)

    async def gold_items(self, campaign: CampaignRow) -> int:
        n = self._gold.get(campaign.id)
        if n is None:
            n = await self.store.gold_item_count(campaign.dataset_id)
            self._gold[campaign.id] = n
        return n

    async def round(self, round_id: int) -> RoundRow | None:
        row: RoundRow | None = self._rounds.get(round_id)
        if row is None or row.status != "open":
            row = await self.store.get_round(round_id)
            if row is not None:
                self._rounds.put(round_id, row)
        return row

    def remember_round(self, row: RoundRow) -> None:
        self._rounds.put(row.id, row)
