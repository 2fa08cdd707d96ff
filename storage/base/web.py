"""The store's dashboard sign-in protocol (part of `storage.base.Store`)."""

from __future__ import annotations

from typing import Protocol

from storage.rows.web import DrawLinkPerson, NewLoginLink, NewWebSession, WebSessionRow


class WebStore(Protocol):
    """One-time sign-in links and sessions, both kept as digests of their secrets."""

    async def add_login_link(self, link: NewLoginLink) -> int:
        """Store a new sign-in link; returns its id."""
        ...

    async def redeem_login_link(
        self, secret_hash: str, now: float, session: NewWebSession
    ) -> WebSessionRow | None:
        """Mark the link used and open `session` with its scope, in one transaction; None
        when there is no such link, or it was used or has expired (the database decides:
        of two concurrent calls, one gets the session and the other None)."""
        ...

    async def get_web_session(self, secret_hash: str, now: float) -> WebSessionRow | None:
        """The unexpired session with this digest, or None."""
        ...

    async def touch_web_session(self, session_id: int, at: float, unless_after: float) -> bool:
        """Set `last_seen = at` unless it is already later than `unless_after`."""
        ...

    async def delete_web_session(self, secret_hash: str) -> bool:
        """End a session (sign out); True when there was one."""
        ...

    async def purge_web_signins(self, before: float) -> int:
        """Delete links and sessions that expired before `before`; how many rows went."""
        ...

    async def add_draw_link(
        self, secret_hash: str, person: DrawLinkPerson, created_at: float, expires_at: float
    ) -> int:
        """Store a new drawing-page link bound to `person` (migration `draw_links`); returns
        its id."""
        ...

    async def draw_link_holder(self, secret_hash: str, now: float) -> DrawLinkPerson | None:
        """The person of an unused, unexpired drawing-page link, or None."""
        ...

    async def use_draw_link(self, secret_hash: str, now: float, prompt_id: int) -> bool:
        """Use the link for `prompt_id`; False when already used or expired (the database
        decides: of two concurrent calls, one gets True)."""
        ...

    async def draw_link_for_prompt(
        self, secret_hash: str, prompt_id: int
    ) -> DrawLinkPerson | None:
        """The person whose link was used for `prompt_id`, or None."""
        ...
