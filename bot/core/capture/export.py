"""The dataset of a capture campaign (issue 16): accepted photos as a zip.

Rules:
- only photos settled `accepted` whose author gave consent (2) (the owner may use it) at the
  time; `published` restricts further to consent (3) (published under the open licence);
  a deleted or forgotten photo is no longer a contribution, so it is in no export;
- the zip holds `photos/<n>.jpg` (the stored, cleaned photo), `manifest.csv` and
  `manifest.jsonl` with one line per photo: file, prompt, subject, author (a pseudonym:
  `w_` + 12 hex of SHA-256(salt:player), the same as every other export's), licence,
  verification score (`yes_share`: the share of the verifiers' evidence answers that said
  yes; `confidence`: the tally's), country (only when the author shared it), created_at.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import zipfile
from typing import Any

from bot.core.exports import labels
from bot.games.capture import YES, licence_of
from storage import ACCEPTED, CampaignRow, ContributionRow, Store, TallyRow

KIND = "photo"
COLUMNS = (
    "file",
    "photo_id",
    "prompt",
    "subject",
    "author",
    "licence",
    "yes_share",
    "confidence",
    "verifications",
    "country",
    "created_at",
)


def allowed(row: ContributionRow, published: bool) -> bool:
    """In the export: accepted, consent (2), and consent (3) when `published`."""
    given = row.meta.get("consents") or {}
    if row.outcome != ACCEPTED or given.get("owner_use") is not True:
        return False
    return not published or given.get("publish") is True


def yes_share(tally: TallyRow | None) -> tuple[float | None, int]:
    """(share of evidence answers that said yes, how many evidence answers)."""
    if tally is None:
        return None, 0
    n = sum(int(v[0]) for k, v in tally.counts.items() if k != "not_sure")
    yes = int(tally.counts.get(YES, [0])[0])
    return (round(yes / n, 4) if n else None), n


async def photo_rows(
    store: Store, campaign: CampaignRow, published: bool
) -> list[tuple[dict[str, Any], bytes]]:
    """(manifest line, JPEG bytes) for every photo the export holds (module rule)."""
    salt = await labels.pseudonym_salt(store)
    out: list[tuple[dict[str, Any], bytes]] = []
    for row in await store.campaign_contributions(campaign.id, KIND):
        if not allowed(row, published):
            continue
        media = await store.get_media(row.item_id)
        if media is None:
            continue
        tally = await store.get_tally(campaign.id, row.item_id)
        share, n = yes_share(tally)
        line = {
            "file": f"photos/{row.id}.jpg",
            "photo_id": row.id,
            "prompt": row.meta.get("prompt", ""),
            "subject": row.meta.get("subject", ""),
            "author": labels.pseudonym(salt, row.player_id),
            "licence": row.meta.get("licence") or licence_of(campaign),
            "yes_share": share,
            "confidence": None if tally is None else tally.confidence,
            "verifications": n,
            "country": row.meta.get("country"),
            "created_at": labels.iso(row.created_at),
        }
        out.append((line, media[1]))
    return out


def photo_zip(rows: list[tuple[dict[str, Any], bytes]]) -> bytes:
    """The zip: the photos (stored as is: JPEG does not compress) and both manifests."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for line, data in rows:
            z.writestr(zipfile.ZipInfo(line["file"]), data, compress_type=zipfile.ZIP_STORED)
        text = io.StringIO()
        writer = csv.DictWriter(text, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for line, _ in rows:
            writer.writerow({k: "" if line[k] is None else line[k] for k in COLUMNS})
        z.writestr("manifest.csv", text.getvalue())
        jsonl = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line, _ in rows)
        z.writestr("manifest.jsonl", jsonl)
    return buf.getvalue()


async def export_photos(store: Store, campaign: CampaignRow, published: bool) -> tuple[bytes, int]:
    """The zip of `campaign`'s photos and how many it holds (the CLI and chat call this)."""
    rows = await photo_rows(store, campaign, published)
    return await asyncio.to_thread(photo_zip, rows), len(rows)
