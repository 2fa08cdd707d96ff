"""Signing in to the dashboard: the one-time link's pages, the session cookie, signing out.

Rules:
- GET `/login?token=...` never uses the link (Telegram and Discord fetch links to preview
  them): it shows a "Continue" button, a POST form carrying the link's token and a per-visit
  form token that is also set as the `lq_login` cookie (HttpOnly, SameSite=Strict, path
  `/login`). POST `/login` checks that the two match (403 otherwise: a form posted from
  another site has no such cookie), then redeems the link once (`engine.signin`) and sets
  the session cookie `lq_session` (HttpOnly, SameSite=Lax, Path=/, Max-Age = the session's
  lifetime, Secure when `[web] public_url` is https:// or the request came over HTTPS), then
  303 to `/dashboard`. A used, expired or unknown link gets a 400 page saying so.
- The middleware: every path under `/dashboard`, and `/logout`, needs a live session; it
  puts the session's `Viewer` in `request[VIEWER]`. Without one: a 401 page that says to send
  /dashboard to the bot.
- Sign-in pages and every signed-in page answer `Cache-Control: no-store`.
- POST `/logout` (CSRF-checked, `checked_form`) ends the session and clears the cookie.
- If no other slice serves GET `/dashboard`, a small landing page is registered here (so keep
  this slice's `add_routes` after the dashboard's in `bot.web.app.routes()`).
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.core.access import texts
from bot.core.kernel.errors import NotFound
from bot.web.app import ENGINE, SETTINGS
from bot.web.layout import esc, page
from bot.web.viewer import CSRF_FIELD, FORM_EXPIRED, VIEWER, Viewer, checked_form, viewer_of

COOKIE = "lq_session"
LOGIN_COOKIE = "lq_login"
NO_STORE = "no-store"
TOKEN_MAX = 200
"""Longer `token` values or cookies are refused unread (ours are 43 characters)."""
SIGN_IN_FIRST = (
    "Send /dashboard to the bot (in a group you moderate, or privately if you are a bot "
    "admin) to get a sign-in link."
)
NO_TOKEN = "This page needs the sign-in link the bot sent you: open that link."

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _guarded(path: str) -> bool:
    return path in ("/dashboard", "/logout") or path.startswith("/dashboard/")


def _secure(request: web.Request) -> bool:
    return request.app[SETTINGS].public_url.startswith("https://") or request.secure


def _message(title: str, text: str, status: int) -> web.Response:
    response = page(title, f"<p>{esc(text)}</p>", None, status=status)
    response.headers["Cache-Control"] = NO_STORE
    return response


@web.middleware
async def sessions(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Pages under `/dashboard` (and `/logout`) only with a live session (see the module)."""
    if not _guarded(request.path):
        return await handler(request)
    token = request.cookies.get(COOKIE, "")
    live = None
    if 0 < len(token) <= TOKEN_MAX:
        live = await request.app[ENGINE].signin.session(token)
    if live is None:
        return _message("Sign in", SIGN_IN_FIRST, 401)
    request[VIEWER] = Viewer(live.actor, live.display_name, live.csrf, live.id)
    response = await handler(request)
    if not response.prepared:  # a signed-in page is nobody else's: never cached
        response.headers.setdefault("Cache-Control", NO_STORE)
    return response


async def login_page(request: web.Request) -> web.Response:
    """The link's landing: a Continue button (nothing is used until it is pressed)."""
    token = request.query.get("token", "")
    if not 0 < len(token) <= TOKEN_MAX:
        return _message("Sign in", NO_TOKEN, 400)
    nonce = secrets.token_urlsafe(24)
    body = (
        "<p>Sign in to the LabelQuest dashboard with the link the bot sent you.</p>"
        '<form method="post" action="/login">'
        f'<input type="hidden" name="token" value="{esc(token)}">'
        f'<input type="hidden" name="{CSRF_FIELD}" value="{esc(nonce)}">'
        '<button type="submit">Continue</button></form>'
    )
    response = page("Sign in", body, None)
    response.headers["Cache-Control"] = NO_STORE
    minutes = request.app[SETTINGS].login_link_minutes
    response.set_cookie(
        LOGIN_COOKIE,
        nonce,
        max_age=minutes * 60,
        path="/login",
        httponly=True,
        samesite="Strict",
        secure=_secure(request),
    )
    return response


def _same(a: object, b: str) -> bool:
    return isinstance(a, str) and bool(b) and hmac.compare_digest(a.encode(), b.encode())


async def login(request: web.Request) -> web.Response:
    """Redeem the link once and set the session cookie; 303 to the dashboard."""
    form = await request.post()
    if not _same(form.get(CSRF_FIELD), request.cookies.get(LOGIN_COOKIE, "")):
        return _message("Sign in", FORM_EXPIRED, 403)
    token = form.get("token")
    if not isinstance(token, str) or not 0 < len(token) <= TOKEN_MAX:
        return _message("Sign in", texts.LINK_USED, 400)
    settings = request.app[SETTINGS]
    try:
        opened = await request.app[ENGINE].signin.open_session(token, hours=settings.session_hours)
    except NotFound as exc:
        return _message("Sign in", exc.message, 400)
    response = web.Response(
        status=303, headers={"Location": "/dashboard", "Cache-Control": NO_STORE}
    )
    response.set_cookie(
        COOKIE,
        opened.token,
        max_age=opened.max_age,
        path="/",
        httponly=True,
        samesite="Lax",
        secure=_secure(request),
    )
    response.del_cookie(LOGIN_COOKIE, path="/login")
    return response


async def logout(request: web.Request) -> web.Response:
    """End the session (the form's CSRF field checked) and clear the cookie."""
    await checked_form(request)
    await request.app[ENGINE].signin.sign_out(request.cookies.get(COOKIE, ""))
    response = _message("Signed out", "You are signed out. " + SIGN_IN_FIRST, 200)
    response.del_cookie(COOKIE, path="/")
    return response


async def landing(request: web.Request) -> web.Response:
    """A minimal `/dashboard` (only when no other slice serves it): who is signed in."""
    viewer = viewer_of(request)
    scope = texts.SCOPE_ADMIN if viewer.is_admin else f"community {viewer.actor.community_id}"
    body = f"<p>Signed in as {esc(viewer.display_name)} ({esc(scope)}).</p>"
    return page("Dashboard", body, viewer)


def _serves(app: web.Application, path: str) -> bool:
    return any(r.canonical == path for r in app.router.resources())


def add_routes(app: web.Application) -> None:
    """The session middleware, `/login` (GET, POST), `/logout` (POST), and `/dashboard` when
    no slice added before this one serves it."""
    app.middlewares.append(sessions)
    app.router.add_get("/login", login_page)
    app.router.add_post("/login", login)
    app.router.add_post("/logout", logout)
    if not _serves(app, "/dashboard"):
        app.router.add_get("/dashboard", landing)
