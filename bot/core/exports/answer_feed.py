"""The answer feed of the JSON API: a campaign's answers in crowd-kit's long form (`task`,
`worker`, `label`, plus the answer export's columns), page by page behind an opaque cursor.

Rules:
- rows are the answer export's rows (`labels.answer_rows`), always pseudonymous (`worker` is
  `w_` + 12 hex digits, the same pseudonym as in exports; a token never gets player ids);
- the order is the answer id, which the store hands out in commit order (see
  `storage.store_intake`), so the cursor (`next`, the last id returned) lets a caller get
  only the answers stored after it; `next` is null when the page is empty;
- a forgotten player's answers are deleted, so they leave the feed too.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from bot.core.exports import texts
from bot.core.exports.labels import answer_row, gold_accuracy, pseudonym_salt
from bot.core.kernel.errors import InvalidInput
from storage import CampaignRow, Store

CURSOR_MAX = 100


@dataclass(frozen=True, slots=True)
class AnswerPage:
    """One page of answers and the cursor after the last one (None: nothing more now)."""

    answers: list[dict[str, Any]]
    next: str | None


def encode(answer_id: int) -> str:
    raw = json.dumps(["a", answer_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(text: str) -> int:
    """The answer id of an `encode`d cursor; `InvalidInput(BAD_CURSOR)` for anything else."""
    try:
        if len(text) > CURSOR_MAX:
            raise ValueError(len(text))
        tag, answer_id = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        if tag != "a" or isinstance(answer_id, bool) or not isinstance(answer_id, int):
            raise ValueError(answer_id)
        if not 0 <= answer_id < 2**63:
            raise ValueError(answer_id)
        return answer_id
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        raise InvalidInput(texts.BAD_CURSOR) from None


async def answer_page(
    store: Store, campaign: CampaignRow, since: str | None, limit: int
) -> AnswerPage:
    """The campaign's answers after `since` (a cursor of `encode`), at most `limit`."""
    after = 0 if since is None else decode(since)
    rows = await store.campaign_answers_after(campaign.id, after, limit)
    if not rows:
        return AnswerPage([], None)
    salt = await pseudonym_salt(store)
    hidden = await store.hidden_players()
    accuracy = gold_accuracy(await store.campaign_standings(campaign.id))
    out = [answer_row(a, salt, hidden, accuracy, False) for a in rows]
    return AnswerPage(out, encode(rows[-1].id))
