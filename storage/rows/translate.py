"""Rows of the translate game (issue 16, migration 017): the decision about a source."""

from __future__ import annotations

from dataclasses import dataclass

SOURCE_COMPARING, SOURCE_ACCEPTED, SOURCE_REVIEW = "comparing", "accepted", "review"
"""States of `translate_sources.state`: the valid candidates are being compared pairwise; a
translation was accepted; no valid translation (a moderator decides)."""


@dataclass(frozen=True, slots=True)
class TranslateSourceRow:
    """The decision about one source sentence of a translate campaign."""

    campaign_id: int
    item_id: int
    state: str
    pair_item_id: int | None
    accepted_item_id: int | None
    score: float | None
    decided_at: float | None
