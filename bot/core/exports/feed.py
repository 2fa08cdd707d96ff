"""The label feed of the JSON API: campaigns a token may see, their stats, and their
finalized labels page by page behind an opaque cursor.

Rules:
- scope: a token limited to communities sees the campaigns of those communities plus the
  shared campaigns (no community: they are played everywhere); a token with no communities
  sees every campaign. A campaign outside the scope is `NotFound`, exactly like a missing
  one, so a token cannot probe which ids exist;
- a label is in the feed once its item is finalized (status `finalized` or `reviewed`, i.e.
  it has a `finalized_at`); rows are the export's label rows (`labels.label_rows`, live
  method) plus `finalized_at` (ISO 8601, UTC);
- the order is (`finalized_at`, item id), and the cursor (`next`) encodes the last row
  returned, so a caller passing it back as `since` gets only rows after it: each label once,
  and labels finalized later appear after the cursor. An expert's review keeps the item's
  first `finalized_at`, so a label changed in review is not sent again;
- `next` is the cursor after the page's last row, null when the page is empty (nothing
  after `since` yet: keep polling with the same `since`).
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from dataclasses import dataclass
from typing import Any

from bot.core.access import Principal
from bot.core.exports import texts
from bot.core.exports.answer_feed import AnswerPage, answer_page
from bot.core.exports.labels import iso, label_rows
from bot.core.kernel.context import Kernel
from bot.core.kernel.errors import InvalidInput, NotFound
from storage import CampaignCounts, CampaignRow

LIMIT_DEFAULT = 100
LIMIT_MAX = 1000
CURSOR_MAX = 200
FINAL = ("finalized", "reviewed")


@dataclass(frozen=True, slots=True)
class Cursor:
    """The position after one label: its `finalized_at` (seconds) and item id."""

    finalized_at: float
    item_id: int

    def encode(self) -> str:
        raw = json.dumps([self.finalized_at, self.item_id], separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        """The cursor of `encode`'s text; `InvalidInput(BAD_CURSOR)` for anything else."""
        try:
            if len(text) > CURSOR_MAX:
                raise ValueError(len(text))
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            at, item = json.loads(raw)
            if isinstance(at, bool) or not isinstance(at, int | float) or not math.isfinite(at):
                raise ValueError(at)
            if isinstance(item, bool) or not isinstance(item, int):
                raise ValueError(item)
            return cls(float(at), item)
        except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
            raise InvalidInput(texts.BAD_CURSOR) from None

    def key(self) -> tuple[float, int]:
        return (self.finalized_at, self.item_id)


@dataclass(frozen=True, slots=True)
class LabelPage:
    """One page of the feed: the rows and the cursor after the last one (None: no more now)."""

    labels: list[dict[str, Any]]
    next: str | None


class LabelFeed:
    """The API's read use cases (`engine.feed`)."""

    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel

    async def campaigns(self, principal: Principal) -> list[CampaignRow]:
        """Every campaign the token may see, oldest first."""
        return [c for c in await self.k.store.list_campaigns() if _sees(principal, c)]

    async def campaign(self, principal: Principal, campaign_id: int) -> CampaignRow:
        """One campaign in the token's scope; `NotFound` when missing or out of scope."""
        row = await self.k.store.get_campaign(campaign_id)
        if row is None or not _sees(principal, row):
            raise NotFound(texts.NO_SUCH_CAMPAIGN_ID, campaign_id=campaign_id)
        return row

    async def stats(
        self, principal: Principal, campaign_id: int
    ) -> tuple[CampaignRow, CampaignCounts]:
        """A campaign in scope and its counts (items, finalized, in review, answers...)."""
        row = await self.campaign(principal, campaign_id)
        return row, await self.k.store.campaign_counts(row.id)

    async def labels(
        self,
        principal: Principal,
        campaign_id: int,
        since: str | None = None,
        limit: int = LIMIT_DEFAULT,
    ) -> LabelPage:
        """The finalized labels after `since` (a cursor from `next`), at most `limit` of them
        (1 to `LIMIT_MAX`), in (`finalized_at`, item id) order."""
        if not 1 <= limit <= LIMIT_MAX:
            raise InvalidInput(texts.BAD_LIMIT, limit=LIMIT_MAX)
        after = None if since is None else Cursor.decode(since)
        row = await self.campaign(principal, campaign_id)
        final = {
            t.item_id: t.finalized_at
            for t in await self.k.store.campaign_tallies(row.id)
            if t.finalized_at is not None and t.status in FINAL
        }
        keyed = [
            (Cursor(final[r["item_id"]], r["item_id"]), r)
            for r in await label_rows(self.k.store, row)
            if r["item_id"] in final
        ]
        keyed.sort(key=lambda kr: kr[0].key())
        if after is not None:
            keyed = [kr for kr in keyed if kr[0].key() > after.key()]
        page = keyed[:limit]
        rows = [{**r, "finalized_at": iso(c.finalized_at)} for c, r in page]
        return LabelPage(rows, page[-1][0].encode() if page else None)

    async def answers(
        self,
        principal: Principal,
        campaign_id: int,
        since: str | None = None,
        limit: int = LIMIT_DEFAULT,
    ) -> AnswerPage:
        """The campaign's answers after `since` (a cursor from `next`), at most `limit`, in
        answer id order, pseudonymous (`bot.core.exports.answer_feed`)."""
        if not 1 <= limit <= LIMIT_MAX:
            raise InvalidInput(texts.BAD_LIMIT, limit=LIMIT_MAX)
        row = await self.campaign(principal, campaign_id)
        return await answer_page(self.k.store, row, since, limit)


def _sees(principal: Principal, campaign: CampaignRow) -> bool:
    return campaign.community_id is None or principal.sees(campaign.community_id)
