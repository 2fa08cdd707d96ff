"""Which round a typed answer is for, when the player did not press a card's button.

In order: the round named by id; the round whose platform message the player replied to
(`store.round_by_message`), if its item takes only a typed answer (`takes_text`); in a
private chat, the player's newest open solo task that takes a typed answer; in a group, the
newest open channel round there whose item takes a typed answer. None when there is none
(the caller says so).
"""

from __future__ import annotations

from bot.core.kernel.context import Kernel
from bot.core.kernel.models import Kind, PlayerRef
from storage import CampaignRow, RoundRow

DEFAULT_MAX_CHARS = 200
LONGEST = 1000


def max_chars(campaign: CampaignRow) -> int:
    """The longest typed answer a campaign takes: its `max_chars` setting (typed games'
    default 200), at most 1000."""
    limit = campaign.settings.get("max_chars", DEFAULT_MAX_CHARS)
    return min(LONGEST, limit) if isinstance(limit, int) and limit > 0 else DEFAULT_MAX_CHARS


async def takes_text(k: Kernel, rnd: RoundRow) -> bool:
    """Whether the round's item is answered only by typing: its game takes text for it and
    its card has no option buttons (a doodle, whose guesses are typed too, has word buttons
    in solo and its own guess path, `bot.core.quickdraw`)."""
    campaign = await k.campaign(rnd.campaign_id)
    item = await k.campaign_item(campaign.id, rnd.item_id)
    game = k.game(campaign.game)
    return game.takes_text(item) and not game.options(campaign, item)


async def typed_round_for(
    k: Kernel,
    ref: PlayerRef,
    pid: int,
    *,
    round_id: int | None = None,
    message_ref: str | None = None,
) -> RoundRow | None:
    """The round a typed answer is for (see the module docstring)."""
    if round_id is not None:
        return await k.round(round_id)
    if message_ref is not None:
        rnd = await k.store.round_by_message(ref.platform, message_ref)
        if rnd is None or not await takes_text(k, rnd):
            return None
        k.remember_round(rnd)
        return rnd
    if ref.channel is None or ref.channel.kind != Kind.GROUP:
        return await _newest_solo(k, ref, pid)
    channel = await k.channel(ref.channel)
    for rnd in reversed(await k.store.open_channel_rounds(channel.id)):
        if await takes_text(k, rnd):
            k.remember_round(rnd)
            return rnd
    return None


async def _newest_solo(k: Kernel, ref: PlayerRef, pid: int) -> RoundRow | None:
    """The player's newest open solo task that takes a typed answer. The store keeps one
    open solo round per player and campaign; `reserve_solo_item` returns that held round
    (renewed: the player is answering it) without reserving another."""
    best: RoundRow | None = None
    expires = k.now() + k.settings.game.reservation_minutes * 60
    for campaign_id in sorted(await k.store.open_solo_campaigns(pid)):
        rnd = await k.store.reserve_solo_item(
            campaign_id, pid, gold=False, platform=ref.platform, now=k.now(), closes_at=expires
        )
        if rnd is None or rnd.status != "open" or not await takes_text(k, rnd):
            continue
        if best is None or rnd.id > best.id:
            best = rnd
    if best is not None:
        k.remember_round(best)
    return best
