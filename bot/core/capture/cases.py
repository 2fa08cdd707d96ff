"""Use cases of image capture (issue 16): `/contribute`, a photo sent in a private chat, the
photo consents, and the registration of the feature's buttons, tick job and /mydata section.

Rules:
- photos are sent in a private chat only; in a group `/contribute` says so;
- before the first photo the three consents are asked one after the other
  (`bot.core.capture.consents`); nothing is stored before the player answered them, and
  nothing at all without consent (1); a later "no" to (2) or (3) also applies to the photos
  sent before (they leave that export); a later "yes" applies to new photos only;
- the player's current prompt (capture campaign) is kept in the store (`photo_consents.
  campaign_id`), set by `/contribute [campaign]` (the named one, else the first visible
  active capture campaign with photos left for the player);
- a photo is cleaned (`bot.render.photo_clean`: limits, metadata removed, faces blurred) off
  the event loop BEFORE anything is stored; it then becomes a `photo` contribution (the item
  others verify) whose meta holds the consents given at the time, the licence, the prompt,
  and the country when shared; the per-player limit is decided by the store (`add_photo`).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Any

from bot.core.capture import consents, texts
from bot.core.capture.photos import PhotoDesk
from bot.core.capture.settle import Settler
from bot.core.kernel.codec import Payload
from bot.core.kernel.context import Kernel
from bot.core.kernel.errors import InvalidInput, NoTaskAvailable, NotFound, UnknownPayload
from bot.core.kernel.extensions import Extensions
from bot.core.kernel.models import Kind, PlayerRef, Reply
from bot.core.kernel.texts import UNKNOWN_BUTTON
from bot.core.rewards import RewardsHook
from bot.games.capture import (
    DEFAULT_LICENCE,
    licence_of,
    per_player_of,
    prompt_of,
    subject_of,
)
from bot.render.photo_clean import PhotoLimits, PhotoRefused, clean_photo
from storage import CONSENTS, CampaignRow, NewContribution, NewItem, PhotoConsentRow

log = logging.getLogger(__name__)
GAME = "capture"
KIND = "photo"
MB = 1024 * 1024


class Capture:
    """`engine.capture`: contribute photos for a prompt, within the consents given."""

    def __init__(self, k: Kernel, rewards: RewardsHook) -> None:
        self.k = k
        self.photos = PhotoDesk(k)
        self.settler = Settler(k, rewards)

    def register(self, ext: Extensions) -> None:
        ext.button("k", "photo consent", self._press_consent)
        ext.button("x", "delete a photo", self._press_delete)
        ext.tick("capture.settle", self.settler.settle)
        ext.on_mydata("capture.photos", self.photos.my_data)

    @property
    def max_bytes(self) -> int:
        """The largest photo file accepted; adapters refuse a bigger one before download."""
        return int(self.k.settings.capture.max_mb * MB)

    @property
    def limits(self) -> PhotoLimits:
        c = self.k.settings.capture
        return PhotoLimits(self.max_bytes, c.max_pixels, c.max_side)

    # /contribute ----------------------------------------------------------------------

    async def start(self, ref: PlayerRef, campaign: str | None = None) -> Reply:
        """`/contribute [campaign]` (or `/contribute country XX`): the next consent
        question, else the prompt of a capture campaign, remembered as the current one."""
        if _in_group(ref):
            return Reply(texts.SEND_IN_PRIVATE, ephemeral=True)
        pid = await self.k.require_player(ref)
        words = (campaign or "").split()
        if words and words[0].lower() == "country":
            return await self.consent(ref, "country", True, " ".join(words[1:]))
        row = await self.k.store.photo_consents(pid)
        ask = _to_ask(row, again=True)
        if ask is not None:
            return await self._question(ref, pid, ask, campaign)
        chosen = await self._pick(ref, pid, campaign, quiet=False)
        assert chosen is not None
        await self.k.store.set_capture_campaign(pid, chosen.id, self.k.now())
        return await self._prompt(pid, chosen)

    async def _pick(
        self, ref: PlayerRef, pid: int, name: str | None, *, quiet: bool
    ) -> CampaignRow | None:
        """The named visible capture campaign, else the first with photos left; raises
        (unless `quiet`) when there is none."""
        visible = [c for c in await self.k.visible_campaigns(ref, pid) if c.game == GAME]
        if name and name.strip():
            found = next((c for c in visible if c.name.lower() == name.strip().lower()), None)
            if found is None and not quiet:
                raise NotFound(texts.NO_CAPTURE_NAMED, name=name.strip())
            return found
        for c in visible:
            if await self._left(pid, c) > 0:
                return c
        if quiet:
            return None
        raise NoTaskAvailable(texts.NO_CAPTURE)

    async def _question(self, ref: PlayerRef, pid: int, ask: str, name: str | None) -> Reply:
        """Consent question `ask`, naming the licence of the campaign the player would send
        to (the default open licence when there is none yet)."""
        chosen = await self._pick(ref, pid, name, quiet=True)
        return consents.question(ask, licence_of(chosen) if chosen else DEFAULT_LICENCE)

    async def _left(self, pid: int, campaign: CampaignRow) -> int:
        mine = await self.k.store.player_contributions(pid, KIND)
        return max(0, per_player_of(campaign) - sum(c.campaign_id == campaign.id for c in mine))

    async def _prompt(self, pid: int, c: CampaignRow) -> Reply:
        return Reply(
            texts.PROMPT.format(
                campaign=c.name,
                prompt=prompt_of(c),
                subject=subject_of(c),
                left=await self._left(pid, c),
                licence=licence_of(c),
            ),
            ephemeral=True,
        )

    # consents ---------------------------------------------------------------------------

    async def _press_consent(self, ref: PlayerRef, p: Payload) -> Reply:
        n, yes = p.args
        if not 1 <= n <= len(CONSENTS) or yes not in (0, 1):
            raise UnknownPayload(UNKNOWN_BUTTON)
        return await self.consent(ref, CONSENTS[n - 1], bool(yes))

    async def consent(
        self, ref: PlayerRef, which: str, yes: bool, value: str | None = None
    ) -> Reply:
        """Answer (or change) a photo consent: `stores`/`owner_use`/`publish` (or 1, 2, 3);
        `country` shares `value` (an ISO code) or withdraws it (`none`, or `yes` False).
        After a consent, the next unanswered question, else the summary and the prompt."""
        pid = await self.k.require_player(ref)
        now = self.k.now()
        if which.strip().lower() == "country":
            return await self._country(pid, value if yes else None, now)
        name = consents.consent_name(which)
        if name is None:
            raise InvalidInput(texts.UNKNOWN_CONSENT, which=which)
        row = await self.k.store.set_photo_consent(pid, name, yes, now)
        if not yes and name != CONSENTS[0]:
            await self.photos.withdraw(pid, name)
        log.info("photo consent %s answered", name)
        ask = _to_ask(row)
        if ask is not None:
            nxt = await self._question(ref, pid, ask, None)
            return Reply(nxt.text, choices=nxt.choices, replace=True, ephemeral=True)
        done = consents.summary(row)
        chosen = await self._current(ref, pid, row)
        if chosen is None or not row.stores:
            return Reply(done.text, replace=True, ephemeral=True)
        await self.k.store.set_capture_campaign(pid, chosen.id, now)
        prompt = await self._prompt(pid, chosen)
        return Reply(done.text, replace=True, ephemeral=True).followed_by(prompt)

    async def _country(self, pid: int, value: str | None, now: float) -> Reply:
        raw = (value or "").strip()
        if not raw or raw.lower() in ("none", "no", "-"):
            await self.k.store.set_photo_country(pid, None, now)
            return Reply(texts.COUNTRY_WITHDRAWN, ephemeral=True)
        code = consents.country_code(raw)
        if code is None:
            raise InvalidInput(texts.BAD_COUNTRY, country=raw[:20])
        await self.k.store.set_photo_country(pid, code, now)
        return Reply(texts.COUNTRY_SHARED.format(country=code), ephemeral=True)

    async def _current(
        self, ref: PlayerRef, pid: int, row: PhotoConsentRow | None
    ) -> CampaignRow | None:
        """The player's current capture campaign if still active and visible, else the next
        one with photos left (None: none)."""
        if row is not None and row.campaign_id is not None:
            visible = await self.k.visible_campaigns(ref, pid)
            found = next((c for c in visible if c.id == row.campaign_id), None)
            if found is not None:
                return found
        return await self._pick(ref, pid, None, quiet=True)

    # a photo ------------------------------------------------------------------------------

    async def contribute(
        self, ref: PlayerRef, data: bytes, filename: str, mime: str | None
    ) -> Reply:
        """A photo (or image file) sent in a private chat for the player's current prompt:
        consents checked, photo cleaned off the event loop, then stored (module rule)."""
        if _in_group(ref):
            return Reply(texts.SEND_IN_PRIVATE, ephemeral=True)
        pid = await self.k.require_player(ref)
        row = await self.k.store.photo_consents(pid)
        ask = _to_ask(row)
        if row is not None and row.stores is False:
            return Reply(texts.NOT_STORED_NO_CONSENT, ephemeral=True)
        if ask is not None:
            first = await self._question(ref, pid, ask, None)
            return Reply(texts.ANSWER_CONSENTS_FIRST, ephemeral=True).followed_by(first)
        assert row is not None
        campaign = await self._current(ref, pid, row)
        if campaign is None:
            raise NoTaskAvailable(texts.NO_CAPTURE)
        if campaign.status != "active":
            raise InvalidInput(
                texts.CAMPAIGN_NOT_OPEN, campaign=campaign.name, status=campaign.status
            )
        cleaned = await self._clean(data, filename)
        stored = await self.k.store.add_photo(
            _contribution(ref, pid, campaign, row, cleaned.data, len(cleaned.faces)),
            per_player_of(campaign),
            self.k.now(),
        )
        if stored is None:
            raise InvalidInput(
                texts.PHOTO_LIMIT, limit=per_player_of(campaign), campaign=campaign.name
            )
        if row.campaign_id != campaign.id:
            await self.k.store.set_capture_campaign(pid, campaign.id, self.k.now())
        log.info("photo %d stored (%d faces blurred)", stored.id, len(cleaned.faces))
        return Reply(
            texts.PHOTO_STORED.format(
                photo=stored.id,
                campaign=campaign.name,
                faces=len(cleaned.faces),
                left=await self._left(pid, campaign),
            ),
            ephemeral=True,
        )

    async def _clean(self, data: bytes, filename: str) -> Any:
        """The cleaned photo; a refusal becomes a clear message naming what is wrong."""
        limits = self.limits
        if len(data) > limits.max_bytes:  # before any decoding
            raise _refusal(PhotoRefused("too_big", size=len(data)), filename, limits)
        try:
            return await asyncio.to_thread(clean_photo, data, limits)
        except PhotoRefused as refused:
            raise _refusal(refused, filename, limits) from None

    # photos: /mydata lines, delete one ------------------------------------------------------

    async def my_photos(self, ref: PlayerRef) -> Reply:
        """The player's photos, one line each with a delete button."""
        return await self.photos.my_photos(await self.k.require_player(ref))

    async def delete_photo(self, ref: PlayerRef, photo_id: int, confirm: bool = True) -> Reply:
        """`/forget photo ID`: delete one of the player's own photos (anyone else's is
        reported exactly like a missing one)."""
        pid = await self.k.require_player(ref)
        return await self.photos.delete(pid, photo_id, confirm)

    async def _press_delete(self, ref: PlayerRef, p: Payload) -> Reply:
        photo_id, confirm = p.args
        if confirm not in (0, 1, 2):
            raise UnknownPayload(UNKNOWN_BUTTON)
        pid = await self.k.require_player(ref)
        if confirm == 2:
            return Reply(texts.DELETE_CANCELLED, replace=True, ephemeral=True)
        return await self.photos.delete(pid, photo_id, bool(confirm))

    async def export_photos(
        self, ref: PlayerRef, name: str, published: bool = False, max_bytes: int = 0
    ) -> Reply:
        """`/export NAME photos [published]`: the accepted photos as a zip (moderators of
        the campaign's community and admins; see `bot.core.capture.export`)."""
        return await self.photos.export_reply(ref, name, published, max_bytes)


def _in_group(ref: PlayerRef) -> bool:
    return ref.channel is not None and ref.channel.kind == Kind.GROUP


def _to_ask(row: PhotoConsentRow | None, *, again: bool = False) -> str | None:
    """The consent to ask now: the first never answered; with `again` (/contribute), (1)
    again when it was refused, so the player can change it."""
    if row is None:
        return CONSENTS[0]
    if again and row.stores is False:
        return CONSENTS[0]
    return row.first_unanswered()


def _refusal(refused: PhotoRefused, filename: str, limits: PhotoLimits) -> InvalidInput:
    name = (filename or "the file")[:80]
    if refused.reason == "too_big":
        size = int(refused.fields.get("size", 0))
        return InvalidInput(
            texts.PHOTO_TOO_BIG,
            size_mb=f"{size / MB:.1f}",
            limit_mb=f"{round(limits.max_bytes / MB, 2):g}",
        )
    if refused.reason == "too_many_pixels":
        return InvalidInput(texts.PHOTO_TOO_MANY_PIXELS, limit_mp=f"{limits.max_pixels / 1e6:g}")
    if refused.reason == "corrupt":
        return InvalidInput(texts.PHOTO_CORRUPT, filename=name)
    return InvalidInput(texts.PHOTO_NOT_IMAGE, filename=name)


def _contribution(
    ref: PlayerRef, pid: int, c: CampaignRow, row: PhotoConsentRow, jpeg: bytes, faces: int
) -> NewContribution:
    """The photo's contribution: the item others verify, and the meta that decides where it
    may go (the consents at the time), its licence, prompt and the country when shared."""
    meta: dict[str, Any] = {
        "consents": consents.given(row),
        "licence": licence_of(c),
        "prompt": prompt_of(c),
        "subject": subject_of(c),
        "faces_blurred": faces,
    }
    if row.country:
        meta["country"] = row.country
    item = NewItem(
        "image",
        f"photo:{uuid.uuid4().hex}",
        candidate=subject_of(c),
        meta={"contributed": KIND},
        media=jpeg,
        mime="image/jpeg",
    )
    return NewContribution(c.id, pid, KIND, ref.platform, item, None, meta)
