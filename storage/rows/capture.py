"""Rows of image capture (issue 16, migration 018): a player's photo consents."""

from __future__ import annotations

from dataclasses import dataclass

CONSENTS = ("stores", "owner_use", "publish")
"""The three photo consents, in the order they are asked: (1) LabelQuest stores the photo,
(2) the campaign's owner may use it, (3) it may be published under the open licence."""


@dataclass(frozen=True, slots=True)
class PhotoConsentRow:
    """A player's answers: True / False, None while never answered; `*_at` when answered.
    `campaign_id`: the capture campaign whose prompt the player is answering now."""

    player_id: int
    stores: bool | None
    stores_at: float | None
    owner_use: bool | None
    owner_use_at: float | None
    publish: bool | None
    publish_at: float | None
    country: str | None
    country_at: float | None
    campaign_id: int | None
    campaign_at: float | None

    def answer(self, which: str) -> bool | None:
        """The answer to consent `which` (one of `CONSENTS`)."""
        value: bool | None = getattr(self, which)
        return value

    def first_unanswered(self) -> str | None:
        """The first of `CONSENTS` never answered, None when all three were."""
        return next((c for c in CONSENTS if self.answer(c) is None), None)
