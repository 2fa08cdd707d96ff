"""The label feed of the JSON API: campaigns a token may see, their stats, and their
finalized labels page by page behind an opaque cursor.

Rules:
- scope: a token limited to communities sees the campaigns of those communities plus the
  shared campaigns (no community: they are played everywhere); a token with no communities
  sees every campaign. A campaign outside the scope is `NotFound`, exactly like a missing
  one, so a token cannot probe which ids exist;
- a label is in the feed once its item is finalized: the feed reads the campaign's
  `label.finalized` events (`label_events`, appended in the transaction that finalized the
  item: a crowd tally or an expert label), each joined to the item's CURRENT tally; rows are
  the export's label rows (`labels.label_rows`, live method, over just the page's items)
  plus `finalized_at` (ISO 8601, UTC);
- the order is the event's `seq`, which is commit order across processes (every writer of
  label_events takes one lock, `storage.store_events`), and the cursor (`next`) encodes the
  last seq of the page: a caller passing it back as `since` gets exactly the events after
  it, none missed and none twice, whatever the clocks of the processes. An item finalized
  again (an expert label after the crowd's) appears again, with its new label; an event
  whose item is no longer finalized (a forgotten player's answers reopened it) is skipped;
- a page is one index range (`label_events (campaign_id, seq)`): O(page), not O(campaign);
- `next` is the cursor after the page's last event, null when there is no event after
  `since` yet (keep polling with the same `since`). A cursor of the older format (before
  label events) is refused like any other bad cursor.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any, cast

from bot.core.access import Principal
from bot.core.exports import texts
from bot.core.exports.answer_feed import AnswerPage, answer_page
from bot.core.exports.labels import iso, label_rows
from bot.core.kernel.context import Kernel
from bot.core.kernel.errors import InvalidInput, NotFound
from storage import (
    AnswerRow,
    CampaignCounts,
    CampaignRow,
    ItemRow,
    LabelPageData,
    Standing,
    Store,
    TallyRow,
)

LIMIT_DEFAULT = 100
LIMIT_MAX = 1000
CURSOR_MAX = 200
FINAL = ("finalized", "reviewed")


@dataclass(frozen=True, slots=True)
class Cursor:
    """The position after one label event: its `seq`."""

    seq: int

    def encode(self) -> str:
        raw = json.dumps({"seq": self.seq}, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        """The cursor of `encode`'s text; `InvalidInput(BAD_CURSOR)` for anything else."""
        try:
            if len(text) > CURSOR_MAX:
                raise ValueError(len(text))
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            value = json.loads(raw)
            if not isinstance(value, dict) or set(value) != {"seq"}:
                raise ValueError(value)
            seq = value["seq"]
            if isinstance(seq, bool) or not isinstance(seq, int) or not 0 <= seq < 2**63:
                raise ValueError(seq)
            return cls(seq)
        except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
            raise InvalidInput(texts.BAD_CURSOR) from None


class _PageReads:
    """What `label_rows` reads, limited to one page's items (`LabelPageData`)."""

    def __init__(self, data: LabelPageData) -> None:
        self.d = data

    async def campaign_items(self, campaign_id: int) -> list[ItemRow]:
        return sorted(self.d.items, key=lambda i: i.id)

    async def campaign_answers(self, campaign_id: int) -> list[AnswerRow]:
        return self.d.answers

    async def campaign_standings(self, campaign_id: int) -> list[Standing]:
        return self.d.standings

    async def campaign_tallies(self, campaign_id: int) -> list[TallyRow]:
        return sorted(self.d.tallies, key=lambda t: t.item_id)


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
        (1 to `LIMIT_MAX`), in the order they were finalized (label event `seq`)."""
        if not 1 <= limit <= LIMIT_MAX:
            raise InvalidInput(texts.BAD_LIMIT, limit=LIMIT_MAX)
        after = 0 if since is None else Cursor.decode(since).seq
        row = await self.campaign(principal, campaign_id)
        data = await self.k.store.label_page(row.id, after, limit)
        if not data.events:
            return LabelPage([], None)
        final = {
            t.item_id: t.finalized_at
            for t in data.tallies
            if t.finalized_at is not None and t.status in FINAL
        }
        rows = {
            r["item_id"]: r
            for r in await label_rows(cast(Store, _PageReads(data)), row)
            if r["item_id"] in final
        }
        labels = [
            {**rows[i], "finalized_at": iso(final[i])}
            for i in (e.item_id for e in data.events)
            if i is not None and i in rows
        ]
        return LabelPage(labels, Cursor(data.events[-1].seq).encode())

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
