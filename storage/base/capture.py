"""The store's protocol for image capture (issue 16, migration 018; part of
`storage.base.Store`).

Rules: a player's photo consents are one row (upserted per answer, with its time); a photo
enters through `add_photo`, which counts the player's photos in the campaign and adds the
contribution in ONE transaction with the player row locked, so two photos sent at once never
pass the per-player limit together."""

from __future__ import annotations

from typing import Protocol

from storage.rows import ContributionRow, NewContribution, PhotoConsentRow


class CaptureStore(Protocol):
    """Photo consents, the current capture campaign, photos within a per-player limit."""

    async def photo_consents(self, player_id: int) -> PhotoConsentRow | None:
        """The player's photo consents; None when they never answered one."""
        ...

    async def set_photo_consent(
        self, player_id: int, which: str, yes: bool, now: float
    ) -> PhotoConsentRow:
        """Record the answer to consent `which` (`stores`, `owner_use`, `publish`)."""
        ...

    async def set_photo_country(
        self, player_id: int, country: str | None, now: float
    ) -> PhotoConsentRow:
        """Share (an ISO 3166-1 alpha-2 code) or withdraw (None) the player's country."""
        ...

    async def set_capture_campaign(
        self, player_id: int, campaign_id: int | None, now: float
    ) -> PhotoConsentRow:
        """Remember the capture campaign the player contributes to now."""
        ...

    async def add_photo(
        self, c: NewContribution, per_player: int, now: float
    ) -> ContributionRow | None:
        """Add the photo contribution unless the player already has `per_player`
        contributions of kind `photo` in the campaign (then None); decided in one
        transaction with the player row locked."""
        ...
