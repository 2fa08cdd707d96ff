"""`/export NAME coco` and `/export NAME labelstudio` in chat (issue 17): a locate campaign's
boxes or points as one JSON file (`bot.core.exports.detection`), the same bytes as
`run.py export --format coco NAME`. Discord passes the format; Telegram's words may end the
name (`/export Bikes coco`) unless the whole phrase is itself a campaign's name. The file is
zipped when it is larger than the platform's upload limit, and refused (naming the command
line) when even that is too large. Admins only; every export is audited."""

from __future__ import annotations

import asyncio

from bot.core.campaigns import admin as campaign_admin
from bot.core.campaigns import texts
from bot.core.exports.detection import DETECTION_FORMATS
from bot.core.exports.download import ExportOptions, export_file
from bot.core.exports.files import zipped
from bot.core.kernel.context import Kernel
from bot.core.kernel.errors import InvalidInput
from bot.core.kernel.models import Media, PlayerRef, Reply
from storage import Store


async def detection_asked(store: Store, name: str, fmt: str) -> tuple[str, str] | None:
    """(campaign name, format) when `/export` asks for COCO or Label Studio JSON."""
    if (fmt or "").lower() in DETECTION_FORMATS:
        return name.strip(), fmt.lower()
    words = (name or "").split()
    asked = len(words) > 1 and words[-1].lower() in DETECTION_FORMATS
    if asked and await store.get_campaign_by_name(name.strip()) is None:
        return " ".join(words[:-1]), words[-1].lower()
    return None


async def detection_reply(k: Kernel, ref: PlayerRef, name: str, fmt: str, max_bytes: int) -> Reply:
    """The export file as a document reply (module rules); the caller checked the admin."""
    campaign = await campaign_admin.find(k.store, name)
    out = await export_file(k.store, campaign, ExportOptions(fmt=fmt))
    filename, data, note = out.filename, out.data, ""
    if len(data) > max_bytes:
        filename, data = filename + ".zip", await asyncio.to_thread(zipped, filename, data)
        note = texts.ZIPPED
        if len(data) > max_bytes:
            raise InvalidInput(
                texts.DETECTION_TOO_BIG, filename=filename, limit_kb=max_bytes // 1024, fmt=fmt
            )
    await k.audit(ref, "export", campaign.name, f"{fmt}: {out.count} images", campaign=campaign)
    text = texts.EXPORTED.format(
        campaign=campaign.name, count=out.count, what=out.what, fmt=fmt, split="", zipped=note
    )
    return Reply(text, files=(Media(data, filename, f"Export {filename}", "document"),),
                 ephemeral=True)  # fmt: skip
