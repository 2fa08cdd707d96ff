"""Who is looking at the dashboard: the `Viewer` a signed-in session gives each request.

This is the contract between the sign-in slice (`bot.web.session`, which sets it) and the
pages (`bot.web.dashboard` and the other `/dashboard/...` pages, which read it):
- a request under `/dashboard` reaches a page handler only with a valid session; the session
  middleware has put its `Viewer` in `request[VIEWER]` (a request without one is answered by
  the middleware: 401 with a page that says how to sign in);
- `viewer.actor` is the scope `bot.core.kernel.scope` checks, with exactly the rules of chat:
  `can_see(actor, owner)` to show an object, `can_manage(actor, owner)` to change it; an
  object the viewer may not see answers 404 exactly like a missing one;
- every POST form carries a hidden field `csrf` whose value is `viewer.csrf`
  (`csrf_field(viewer)`); a handler calls `await checked_form(request)`, which answers 403
  when it is missing or wrong (compared in constant time) and returns the form otherwise.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from html import escape

from aiohttp import web
from multidict import MultiDictProxy

from bot.core.kernel.scope import Actor

CSRF_FIELD = "csrf"
FORM_EXPIRED = (
    "This form has expired or did not come from this site: reload the page and try again."
)


@dataclass(frozen=True, slots=True)
class Viewer:
    """A signed-in person: their scope (`actor`: admin flag, community, moderator flag), the
    name the pages greet them by, their session's CSRF token and the session's id."""

    actor: Actor
    display_name: str
    csrf: str
    session_id: int

    @property
    def is_admin(self) -> bool:
        return self.actor.is_admin


VIEWER = web.RequestKey("viewer", Viewer)


def viewer_of(request: web.Request) -> Viewer:
    """The request's viewer (the session middleware guarantees one under `/dashboard`)."""
    try:
        return request[VIEWER]
    except KeyError:
        raise web.HTTPUnauthorized(text="sign in first: send /dashboard to the bot") from None


def admin_of(request: web.Request) -> Viewer:
    """The request's viewer when a bot admin; 404 for anyone else, as for a page that does
    not exist (exports, the audit log, API tokens and webhooks are for admins only, as in
    chat)."""
    viewer = viewer_of(request)
    if not viewer.is_admin:
        raise web.HTTPNotFound()
    return viewer


def csrf_field(viewer: Viewer) -> str:
    """The hidden input every POST form carries."""
    return f'<input type="hidden" name="{CSRF_FIELD}" value="{escape(viewer.csrf)}">'


async def checked_form(
    request: web.Request,
) -> MultiDictProxy[str | bytes | bytearray | web.FileField]:
    """The POSTed form, once its `csrf` field matches the viewer's session; 403 otherwise."""
    viewer = viewer_of(request)
    form = await request.post()
    sent = form.get(CSRF_FIELD)
    if not isinstance(sent, str) or not hmac.compare_digest(sent.encode(), viewer.csrf.encode()):
        raise web.HTTPForbidden(text=FORM_EXPIRED)
    return form
