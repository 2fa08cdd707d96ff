"""A contributor's photos (issue 16): the /mydata section, one line per photo with a delete
button, deleting one photo, and the dataset export from chat.

Rules: a player sees and deletes only their own photos (another player's id is reported
exactly like a missing one); a deleted photo loses its media and leaves every export
(`Store.delete_contribution`); the export is for the campaign's managers (moderators of its
community, bot admins: `scope.can_manage`), and a campaign out of scope is reported like a
missing one.
"""

from __future__ import annotations

import re
from typing import Any

from bot.core.capture import consents, texts
from bot.core.capture.export import export_photos
from bot.core.exports import labels
from bot.core.kernel import scope
from bot.core.kernel.codec import encode
from bot.core.kernel.context import Kernel
from bot.core.kernel.errors import InvalidInput, NotFound
from bot.core.kernel.models import Choice, Media, PlayerRef, Reply, Style, rows
from bot.core.kernel.texts import NO_CAMPAIGN_NAMED
from bot.games.capture import licence_of
from storage import CONSENTS, ContributionRow

KIND = "photo"
MB = 1024 * 1024
LINES = 10  # photos listed with a delete button; the JSON file of /mydata lists all


class PhotoDesk:
    def __init__(self, k: Kernel) -> None:
        self.k = k

    async def _status(self, row: ContributionRow) -> str:
        return row.outcome or texts.STATUS_PENDING

    async def my_data(self, pid: int) -> tuple[dict[str, Any], Reply | None]:
        """The /mydata section: the photo consents (with the time of each answer) and every
        photo (id, campaign, status, consents given with it, country), plus a reply listing
        the photos with delete buttons."""
        row = await self.k.store.photo_consents(pid)
        photos = await self.k.store.player_contributions(pid, KIND)
        consent_data = None
        if row is not None:
            consent_data = {
                "stores": row.stores,
                "stores_at": _iso(row.stores_at),
                "owner_use": row.owner_use,
                "owner_use_at": _iso(row.owner_use_at),
                "publish": row.publish,
                "publish_at": _iso(row.publish_at),
                "country": row.country,
                "country_at": _iso(row.country_at),
            }
        listed = []
        for p in photos:
            campaign = await self.k.campaign(p.campaign_id)
            listed.append(
                {
                    "photo": p.id,
                    "campaign": campaign.name,
                    "status": await self._status(p),
                    "created_at": _iso(p.created_at),
                    **{k: p.meta.get(k) for k in ("consents", "licence", "country", "prompt")},
                }
            )
        section = {"photo_consents": consent_data, "photos": listed}
        extra = await self.my_photos(pid) if photos else None
        return section, extra

    async def withdraw(self, pid: int, which: str) -> None:
        """A consent (2) or (3) withdrawn: the player's photos sent with it lose it too, so
        they leave that export from now on."""
        for p in await self.k.store.player_contributions(pid, KIND):
            given = dict(p.meta.get("consents") or {})
            if given.get(which) is True:
                given[which] = False
                await self.k.store.update_contribution_meta(p.id, {**p.meta, "consents": given})

    async def my_photos(self, pid: int) -> Reply:
        photos = await self.k.store.player_contributions(pid, KIND)
        if not photos:
            return Reply(texts.NO_PHOTOS, ephemeral=True)
        lines = [texts.MY_PHOTOS.format(count=len(photos))]
        buttons = []
        for p in photos[-LINES:]:
            campaign = await self.k.campaign(p.campaign_id)
            given = p.meta.get("consents") or {}
            lines.append(
                texts.MY_PHOTO_LINE.format(
                    photo=p.id,
                    campaign=campaign.name,
                    status=await self._status(p),
                    consents=" / ".join(consents.word(given.get(c)) for c in CONSENTS),
                )
            )
            buttons.append(Choice(texts.DELETE_PHOTO.format(photo=p.id), encode("x", p.id, 0)))
        return Reply("\n".join(lines), choices=rows(*buttons), ephemeral=True)

    async def delete(self, pid: int, photo_id: int, confirm: bool) -> Reply:
        """Ask (confirm False), then delete one of the player's own photos."""
        found = await self.k.store.get_contribution(photo_id)
        if found is None or found.player_id != pid or found.kind != KIND:
            raise NotFound(texts.NO_SUCH_PHOTO, photo=photo_id)
        if not confirm:
            return Reply(
                texts.DELETE_ASK.format(photo=photo_id),
                choices=(
                    (
                        Choice(texts.DELETE_CONFIRM, encode("x", photo_id, 1), Style.DANGER),
                        Choice(texts.CANCEL, encode("x", photo_id, 2)),
                    ),
                ),
                ephemeral=True,
            )
        await self.k.store.delete_contribution(photo_id)
        self.k.forget_item(found.item_id)
        return Reply(texts.PHOTO_DELETED.format(photo=photo_id), replace=True, ephemeral=True)

    async def export_reply(
        self, ref: PlayerRef, name: str, published: bool, max_bytes: int
    ) -> Reply:
        actor = await scope.find_actor(self.k, ref)
        campaign = await self.k.store.get_campaign_by_name((name or "").strip())
        if campaign is None or not scope.can_manage(actor, campaign.community_id):
            raise NotFound(NO_CAMPAIGN_NAMED, name=(name or "").strip())
        if campaign.game != "capture":
            raise InvalidInput(texts.EXPORT_NOT_CAPTURE, campaign=campaign.name)
        data, count = await export_photos(self.k.store, campaign, published)
        if max_bytes and len(data) > max_bytes:
            raise InvalidInput(
                texts.EXPORT_TOO_BIG,
                campaign=campaign.name,
                size_mb=f"{len(data) / MB:.1f}",
                limit_mb=f"{max_bytes / MB:g}",
            )
        which = texts.WHICH_PUBLISHED if published else texts.WHICH_OWNER
        await self.k.audit(
            ref, "export", campaign.name, f"photos ({which}): {count}", campaign=campaign
        )
        suffix = "-published" if published else ""
        filename = f"{_slug(campaign.name)}-photos{suffix}.zip"
        return Reply(
            texts.PHOTOS_EXPORTED.format(
                campaign=campaign.name, count=count, which=which, licence=licence_of(campaign)
            ),
            files=(Media(data, filename, kind="document"),),
            ephemeral=True,
        )


def _iso(t: float | None) -> str | None:
    return None if t is None else labels.iso(t)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9_-]+", "-", name.strip().lower()).strip("-") or "campaign"
