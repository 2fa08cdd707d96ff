"""`/dashboard/tokens`: the JSON API's tokens, for bot admins only (anyone else gets the
same 404 as a page that does not exist).

Rules:
- the list shows every token (name, its non-secret beginning, scopes, communities, who made
  it and when, last use, expiry, revoked), never a secret;
- POST `/dashboard/tokens` creates one (name, read or read+write, communities chosen from
  the list or none for all, expiry in days or none) through `engine.access`, named after the
  signed-in admin (`created_by` = `platform:id`, anonymised if that player is forgotten);
  the new token is shown once, on the answer to that POST, and never again;
- POST `/dashboard/tokens/{id}/revoke` revokes it; every form is CSRF-checked
  (`checked_form`); a bad value gets a 400 page naming the field.
"""

from __future__ import annotations

import time

from aiohttp import web
from multidict import MultiDictProxy

from bot.core.access import TokenInfo
from bot.core.kernel.errors import LabelQuestError, NotFound
from bot.web.app import ENGINE
from bot.web.layout import esc, page
from bot.web.viewer import Viewer, checked_form, csrf_field, viewer_of

PATH = "/dashboard/tokens"
SHOWN_ONCE = "Copy this token now: it is shown once and never again."


def _admin(request: web.Request) -> Viewer:
    viewer = viewer_of(request)
    if not viewer.is_admin:
        raise web.HTTPNotFound()
    return viewer


def _when(at: float | None, empty: str = "never") -> str:
    if at is None:
        return empty
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(at))


def _status(t: TokenInfo, now: float) -> str:
    if t.revoked_at is not None:
        return f"revoked {_when(t.revoked_at)}"
    if t.expires_at is not None and now >= t.expires_at:
        return "expired"
    return "active"


def _row(t: TokenInfo, viewer: Viewer, now: float, names: dict[int, str]) -> str:
    communities = ", ".join(names.get(c, f"community {c}") for c in t.communities) or "all"
    revoke = ""
    if t.revoked_at is None:
        revoke = (
            f'<form method="post" action="{PATH}/{t.id}/revoke">{csrf_field(viewer)}'
            f'<button type="submit">Revoke</button></form>'
        )
    cells = (
        t.name,
        t.shown,
        t.scopes,
        communities,
        f"{_when(t.created_at)} by {t.created_by}",
        _when(t.last_used_at),
        _when(t.expires_at),
        _status(t, now),
    )
    return "<tr>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + f"<td>{revoke}</td></tr>"


def _form(viewer: Viewer, names: dict[int, str]) -> str:
    options = "".join(f'<option value="{cid}">{esc(name)}</option>' for cid, name in names.items())
    return (
        f'<h2>New token</h2><form method="post" action="{PATH}">{csrf_field(viewer)}'
        '<p><label>Name <input name="name" required maxlength="100"></label></p>'
        '<p><label>Access <select name="access"><option value="read">read</option>'
        '<option value="write">read+write</option></select></label></p>'
        "<p><label>Communities (none chosen: every community) "
        f'<select name="communities" multiple>{options}</select></label></p>'
        "<p><label>Expires after (days; empty: never) "
        '<input name="expires_days" inputmode="numeric"></label></p>'
        '<button type="submit">Create token</button></form>'
    )


async def _listing(
    request: web.Request, viewer: Viewer, top: str = "", status: int = 200
) -> web.Response:
    access = request.app[ENGINE].access
    tokens, names = await access.tokens(), await access.communities()
    now = request.app[ENGINE].now()
    head = "".join(
        f"<th>{h}</th>"
        for h in (
            "Name",
            "Token",
            "Scopes",
            "Communities",
            "Created",
            "Last used",
            "Expires",
            "Status",
            "",
        )
    )
    rows = "".join(_row(t, viewer, now, names) for t in tokens)
    table = (
        f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table></div>"
        if tokens
        else '<p class="muted">No API tokens yet.</p>'
    )
    return page("API tokens", top + table + _form(viewer, names), viewer, status=status)


async def tokens_page(request: web.Request) -> web.Response:
    """The list and the create form."""
    return await _listing(request, _admin(request))


def _ids(text: str) -> list[int]:
    out = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        if not part.isdigit():
            raise ValueError(f"communities: {part!r} is not a community id (a whole number)")
        out.append(int(part))
    return out


def _days(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit():
        raise ValueError(f"expires_days: {text!r} is not a whole number of days")
    return int(text)


def _text(form: MultiDictProxy[str | bytes | bytearray | web.FileField], name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


async def create_token(request: web.Request) -> web.Response:
    """Create a token and show it once."""
    viewer = _admin(request)
    form = await checked_form(request)
    try:
        chosen = [v for v in form.getall("communities", []) if isinstance(v, str)]
        communities = _ids(",".join(chosen))
        days = _days(_text(form, "expires_days"))
        issued = await request.app[ENGINE].access.create(
            _text(form, "name"),
            write=_text(form, "access") == "write",
            communities=communities,
            expires_days=days,
            actor=viewer.actor.ref,
            admin=True,
        )
    except (ValueError, LabelQuestError) as exc:
        text = exc.message if isinstance(exc, LabelQuestError) else str(exc)
        return await _listing(request, viewer, f'<p class="error">{esc(text)}</p>', 400)
    top = (
        f'<section class="new-token"><p>{esc(SHOWN_ONCE)}</p>'
        f"<p><code>{esc(issued.token)}</code></p></section>"
    )
    return await _listing(request, viewer, top)


async def revoke_token(request: web.Request) -> web.StreamResponse:
    """Revoke a token, then back to the list."""
    viewer = _admin(request)
    await checked_form(request)
    raw = request.match_info["token_id"]
    if not raw.isdigit():
        raise web.HTTPNotFound()
    try:
        await request.app[ENGINE].access.revoke(int(raw), actor=viewer.actor.ref)
    except NotFound:
        raise web.HTTPNotFound() from None
    raise web.HTTPSeeOther(PATH)


def add_routes(app: web.Application) -> None:
    """`/dashboard/tokens` (GET list, POST create) and its revoke action."""
    app.router.add_get(PATH, tokens_page)
    app.router.add_post(PATH, create_token)
    app.router.add_post(PATH + "/{token_id}/revoke", revoke_token)
