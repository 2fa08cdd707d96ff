"""The locate canvas's use cases (`engine.locate`, issue 17).

Rules:
- `task(ref, round_id)`: the round named (the player's own open solo round of a locate
  campaign; a channel round only through a link bound to it), or with no round the player's
  locate task: the one they hold, else a new solo reservation through the normal solo path
  (`Play`: tutorial and gold as for /play) in a locate campaign they can see; an unconsented
  player gets `NotConsented`, nothing reserved. The task carries the image, its size in
  pixels (`item.meta` width/height, else read from the image), the shape, the instruction;
- `submit(ref, round_id, value)` is `Play.answer_value`: consent, scope, the round's channel,
  once-only and the game's checks (`normalize`) are decided as for any answer;
- a canvas link (`link`, for Discord and plain browsers) is `<public_url>/locate?token=T`,
  T = `<secret>.<round>.<channel>` (256 random bits, the round and, for a channel round, the
  channel it was pressed in). The store keeps the SHA-256 of the whole T (the drawing links'
  table, `bot.core.access.drawlinks`) with the player: a round or channel changed in the URL
  names no link. The link is single use: the submit that stores the answer marks it used (one
  conditional UPDATE); a used, expired or unknown link is `NotFound(LINK_USED)`.
"""

from __future__ import annotations

import io
import re

from PIL import Image, UnidentifiedImageError

from bot.core.access.tokens import hash_secret, new_secret
from bot.core.kernel.codec import Payload
from bot.core.kernel.context import Kernel
from bot.core.kernel.errors import InvalidInput, NoTaskAvailable, NotFound
from bot.core.kernel.extensions import Extensions
from bot.core.kernel.models import ChannelRef, Kind, PlayerRef, Reply
from bot.core.locate import texts
from bot.core.locate.flow import ACTION, LocateFlow
from bot.core.locate.models import CanvasLink, LocateTask
from bot.core.play import Play
from storage import CampaignRow, DrawLinkPerson, ItemRow, RoundRow

GAME = "locate"
PATH = "/locate"
PURGE_AFTER = 86_400.0
MAX_MARKS = 20
_TOKEN = re.compile(r"^([A-Za-z0-9_-]{20,100})\.([0-9]{1,19})\.([0-9A-Za-z_-]{0,40})$")


def canvas_url(base_url: str, *, token: str | None = None, round_id: int | None = None) -> str:
    """`<base_url>/locate`, with `?token=` (a link) or `?round=` (a Mini App) when given."""
    url = f"{base_url.rstrip('/')}{PATH}"
    if token is not None:
        return f"{url}?token={token}"
    return url if round_id is None else f"{url}?round={round_id}"


class Locate:
    """The canvas's use cases (see the module rules)."""

    def __init__(self, kernel: Kernel, play: Play) -> None:
        self.k = kernel
        self.play = play
        self.flow = LocateFlow(play.choice_flow)

    def register(self, ext: Extensions) -> None:
        ext.flow(GAME, self.flow)
        ext.button(ACTION, "open the locate canvas", self.press)

    async def press(self, ref: PlayerRef, p: Payload) -> Reply:
        """The canvas button where no adapter opens the canvas itself: how to get there."""
        await self.k.require_player(ref)
        return Reply(texts.OPEN_PAGE, notice=texts.OPEN_PAGE, ephemeral=True)

    # the task --------------------------------------------------------------------------

    async def task(self, ref: PlayerRef, round_id: int | None = None) -> LocateTask:
        """The task the canvas shows (see the module rules)."""
        pid = await self.k.require_player(ref)
        if round_id is None:
            rnd = await self._reserve(ref, pid)
        else:
            rnd = await self._round(ref, pid, round_id)
        campaign = await self.k.campaign(rnd.campaign_id)
        item = await self.k.campaign_item(campaign.id, rnd.item_id)
        return await self._task(rnd, campaign, item)

    async def _round(self, ref: PlayerRef, pid: int, round_id: int) -> RoundRow:
        rnd = await self.k.round(round_id)
        if rnd is None or (rnd.mode == "solo" and rnd.player_id != pid):
            raise NotFound(texts.NOT_YOURS)
        if rnd.mode == "channel" and ref.channel is None:
            raise NotFound(texts.NOT_YOURS)
        campaign = await self.k.campaign(rnd.campaign_id)
        if campaign.game != GAME:
            raise InvalidInput(texts.NOT_LOCATE)
        answered = await self.play.check_answerable(ref, pid, rnd)
        if answered is not None:
            raise InvalidInput(answered.text)
        return rnd

    async def _reserve(self, ref: PlayerRef, pid: int) -> RoundRow:
        notes: list[str] = []
        for campaign in await self.k.visible_campaigns(ref, pid):
            if campaign.game != GAME:
                continue
            card = await self.play._solo_in(ref, pid, campaign, notes)
            if card is not None and card.round_id is not None:
                rnd = await self.k.round(card.round_id)
                if rnd is not None:
                    return rnd
        raise NoTaskAvailable("\n".join([texts.NO_LOCATE_TASK, *notes]))

    async def _task(self, rnd: RoundRow, campaign: CampaignRow, item: ItemRow) -> LocateTask:
        found = await self.k.store.get_media(item.id)
        if found is None:
            raise NotFound(texts.NO_IMAGE)
        mime, data = found
        width, height = image_size(item, data)
        settings = campaign.settings or {}
        game = self.k.game(campaign.game)
        return LocateTask(
            round_id=rnd.id,
            campaign=campaign.name,
            instruction=str(settings.get("instruction") or game.question(campaign, item)),
            shape="point" if settings.get("shape") == "point" else "box",
            width=width,
            height=height,
            max_marks=int(settings.get("max_marks") or MAX_MARKS),
            image=data,
            mime=mime,
        )

    async def submit(self, ref: PlayerRef, round_id: int, value: str) -> Reply:
        """The marks drawn for `round_id`, stored once (`Play.answer_value`)."""
        return await self.play.answer_value(ref, round_id, value, continue_session=False)

    # links -----------------------------------------------------------------------------

    async def ready(
        self, ref: PlayerRef, round_id: int | None, *, public_url: str
    ) -> RoundRow | None:
        """The canvas may open for `ref` (and `round_id`, checked as `task` checks it):
        `InvalidInput(NOT_SET_UP)` without `public_url`, `NotConsented` for a player who has
        not consented; nothing is stored."""
        if not public_url:
            raise InvalidInput(texts.NOT_SET_UP)
        pid = await self.k.require_player(ref)
        return None if round_id is None else await self._round(ref, pid, round_id)

    async def link(
        self, ref: PlayerRef, round_id: int, *, public_url: str, minutes: int
    ) -> CanvasLink:
        """A single-use canvas link for `ref` and `round_id` (checked as `task` checks it);
        `InvalidInput(NOT_SET_UP)` without `public_url`, nothing stored on any refusal."""
        rnd = await self.ready(ref, round_id, public_url=public_url)
        channel = ""
        if rnd is not None and rnd.mode == "channel" and ref.channel is not None:
            channel = ref.channel.external_id
        token = f"{new_secret()}.{round_id}.{channel}"
        now = self.k.now()
        await self.k.store.purge_web_signins(now - PURGE_AFTER)
        person = DrawLinkPerson(ref.platform, ref.external_id, ref.display_name)
        await self.k.store.add_draw_link(hash_secret(token), person, now, now + minutes * 60.0)
        return CanvasLink(canvas_url(public_url, token=token), texts.LINK.format(minutes=minutes))

    async def holder(self, token: str) -> tuple[PlayerRef, int]:
        """The player (in the round's channel for a channel round) and the round of an
        unused, unexpired link; `NotFound(LINK_USED)` otherwise."""
        m = _TOKEN.match(token)
        person = None
        if m is not None:
            person = await self.k.store.draw_link_holder(hash_secret(token), self.k.now())
        if m is None or person is None:
            raise NotFound(texts.LINK_USED)
        round_id, channel = int(m.group(2)), m.group(3)
        where = None
        if channel:
            where = ChannelRef(person.platform, channel, "", Kind.GROUP)
        return PlayerRef(person.platform, person.external_id, person.display_name, where), round_id

    async def use(self, token: str, round_id: int) -> None:
        """Mark the link used (once); `NotFound(LINK_USED)` when it was used meanwhile."""
        if not await self.k.store.use_draw_link(hash_secret(token), self.k.now(), round_id):
            raise NotFound(texts.LINK_USED)


def image_size(item: ItemRow, data: bytes) -> tuple[int, int]:
    """The image's size in pixels: `item.meta` width/height when recorded, else read."""
    meta = item.meta or {}
    w, h = meta.get("width"), meta.get("height")
    if isinstance(w, int) and isinstance(h, int) and w > 0 and h > 0:
        return w, h
    try:
        with Image.open(io.BytesIO(data)) as img:
            return int(img.width), int(img.height)
    except (UnidentifiedImageError, OSError):
        raise NotFound(texts.NO_IMAGE) from None
