"""Dashboard sign-in without passwords: one-time links asked for in chat, and sessions.

Rules:
- who may get a link: bot admins anywhere (scope: every community) and moderators acting in
  a group of their community (scope: that community); anyone else gets `DASHBOARD_REFUSED`.
  No play consent is needed; only the scope is stored (who, their name, admin or not, the
  community and the moderator flag), never anything about their play;
- a link is `<public_url>/login?token=SECRET`, SECRET 256 random bits; the store keeps its
  SHA-256 only. It expires after `minutes` and is redeemed once: the store's conditional
  UPDATE decides, so two processes or a double click cannot both redeem it;
- redeeming opens a session: another random secret (the cookie; stored hashed), a CSRF token,
  and the link's scope, for `hours`. Whether a session is still an admin's is asked of the
  config again on every request (an admin removed from `[admins]` loses admin rights at once);
- expired links and sessions are deleted when a new link is issued;
- `run.py web --login-link PLATFORM:ID` gives a bot admin in `[admins]` an every-community
  link. While `[admins]` names nobody at all (a fresh install, the demo), it gives an
  **operator** link instead: the person at the command line already holds the store, so the
  session has admin rights, is shown as `operator ID`, and its platform is `OPERATOR`, which
  no chat platform uses (so only the command line can make one). Once `[admins]` names
  someone, only they get links.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from bot.core.access import texts
from bot.core.access.tokens import hash_secret, new_secret
from bot.core.kernel.context import Kernel
from bot.core.kernel.errors import InvalidInput, NotFound, PermissionDenied
from bot.core.kernel.models import PlayerRef, Reply
from bot.core.kernel.scope import Actor, find_actor
from storage import NewLoginLink, NewWebSession, WebScope, WebSessionRow

TOUCH_EVERY = 60.0
PURGE_AFTER = 86_400.0
"""Expired links and sessions are deleted this long after they expired."""
LOGIN_PATH = "/login"
OPERATOR = "operator"
"""The platform of sessions opened by an operator link (see the module rules)."""


@dataclass(frozen=True, slots=True)
class DashboardLink:
    """A sign-in link as chat shows it: the URL, and the reply that carries it."""

    url: str
    reply: Reply


@dataclass(frozen=True, slots=True)
class OpenedSession:
    """A session a link just opened: `token` goes in the cookie (the only copy)."""

    token: str
    csrf: str
    max_age: int
    session_id: int


@dataclass(frozen=True, slots=True)
class WebSession:
    """A live session: its id, the viewer's scope and name, and its CSRF token."""

    id: int
    actor: Actor
    display_name: str
    csrf: str


def login_url(base_url: str, secret: str) -> str:
    """`<base_url>/login?token=<secret>` (the secret is URL-safe)."""
    return f"{base_url.rstrip('/')}{LOGIN_PATH}?token={secret}"


def parse_person(text: str) -> tuple[str, str]:
    """`PLATFORM:ID` (e.g. `telegram:123`) as (platform, id); a bare `ID` as (`OPERATOR`,
    id); `InvalidInput` for anything else."""
    platform, sep, external_id = text.strip().partition(":")
    if not sep:
        platform, external_id = OPERATOR, platform
    if not platform or not external_id or any(c.isspace() for c in external_id):
        raise InvalidInput(texts.NOT_AN_ADMIN, who=repr(text))
    return platform.lower(), external_id


def no_admins(k: Kernel) -> bool:
    """True while `[admins]` names nobody on any platform (operator links are allowed)."""
    admins = k.settings.admins
    return not any(getattr(admins, name) for name in ("discord", "telegram"))


class Signin:
    """The sign-in use cases (`engine.signin`)."""

    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel

    async def dashboard_link(
        self, ref: PlayerRef, *, public_url: str, minutes: int
    ) -> DashboardLink:
        """`/dashboard` in chat: a one-time link for a moderator (in a group of their
        community) or a bot admin; refused plainly for anyone else, or when `public_url`
        (the dashboard's address) is not set."""
        if not public_url:
            raise InvalidInput(texts.DASHBOARD_NOT_SET_UP)
        actor = await find_actor(self.k, ref)
        if not actor.is_admin and not (actor.is_moderator and actor.community_id is not None):
            raise PermissionDenied(texts.DASHBOARD_REFUSED)
        url = login_url(public_url, await self._issue(actor, minutes))
        scope = texts.SCOPE_ADMIN if actor.is_admin else texts.SCOPE_MODERATOR
        text = texts.DASHBOARD_LINK.format(scope=scope, minutes=minutes, url=url)
        return DashboardLink(url, Reply(text, ephemeral=True))

    async def admin_link(self, person: str, *, base_url: str, minutes: int) -> str:
        """`run.py web --login-link PLATFORM:ID`: a link for that bot admin (scope: every
        community), greeted by the name the bot knows them by (else `admin PLATFORM:ID`);
        while `[admins]` names nobody, an operator link (module rules); otherwise
        `NotFound(NOT_AN_ADMIN)` for anyone not in `[admins]`."""
        platform, external_id = parse_person(person)
        if no_admins(self.k):
            name = f"operator {external_id}"
            ref = PlayerRef(OPERATOR, external_id, name)
            return login_url(base_url, await self._issue(Actor(ref, True, None, False), minutes))
        known = await self.k.store.get_identity(platform, external_id)
        name = known.display_name if known is not None else f"admin {platform}:{external_id}"
        ref = PlayerRef(platform, external_id, name)
        if not self.k.is_admin(ref):
            raise NotFound(texts.NOT_AN_ADMIN, who=f"{platform}:{external_id}")
        actor = Actor(ref, True, None, False)
        return login_url(base_url, await self._issue(actor, minutes))

    async def _issue(self, actor: Actor, minutes: int) -> str:
        now = self.k.now()
        await self.k.store.purge_web_signins(now - PURGE_AFTER)
        secret = new_secret()
        ref = actor.ref
        scope = WebScope(
            ref.platform,
            ref.external_id,
            ref.display_name,
            actor.is_admin,
            actor.community_id,
            actor.is_moderator,
        )
        await self.k.store.add_login_link(
            NewLoginLink(hash_secret(secret), scope, now, now + minutes * 60.0)
        )
        return secret

    async def open_session(self, token: str, *, hours: float) -> OpenedSession:
        """Redeem a link (once) and open its session; `NotFound(LINK_USED)` when the link is
        unknown, used or expired (the same words for all three)."""
        now = self.k.now()
        secret = new_secret()
        csrf = secrets.token_urlsafe(32)
        new = NewWebSession(hash_secret(secret), csrf, now, now + hours * 3600.0)
        row = await self.k.store.redeem_login_link(hash_secret(token), now, new)
        if row is None:
            raise NotFound(texts.LINK_USED)
        return OpenedSession(secret, csrf, round(hours * 3600), row.id)

    async def session(self, token: str) -> WebSession | None:
        """The live session whose cookie is `token`, or None (unknown, ended, expired)."""
        now = self.k.now()
        row = await self.k.store.get_web_session(hash_secret(token), now)
        if row is None:
            return None
        if now - row.last_seen >= TOUCH_EVERY:
            await self.k.store.touch_web_session(row.id, now, now - TOUCH_EVERY)
        return self._live(row)

    def _live(self, row: WebSessionRow) -> WebSession:
        s = row.scope
        ref = PlayerRef(s.platform, s.external_id, s.display_name, None, s.is_moderator)
        admin = s.is_admin and (s.platform == OPERATOR or self.k.is_admin(ref))
        actor = Actor(ref, admin, s.community_id, s.is_moderator and s.community_id is not None)
        return WebSession(row.id, actor, s.display_name, row.csrf)

    async def sign_out(self, token: str) -> bool:
        """End the session whose cookie is `token`; True when there was one."""
        return await self.k.store.delete_web_session(hash_secret(token))
