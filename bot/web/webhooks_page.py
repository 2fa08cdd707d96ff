"""The dashboard's webhooks page (`/dashboard/webhooks`, admins only; docs/web.md).

Rules:
- only an admin viewer sees it; anyone else gets 404, exactly like a missing page, and so
  does a webhook id that does not exist;
- `GET /dashboard/webhooks`: every webhook (campaign, URL, secret prefix, active, created)
  with a remove button, and a form to add one (campaign, URL);
- `POST /dashboard/webhooks`: adds one and shows its signing secret ONCE on the answer page
  (never again: the list shows only its prefix); a refused URL or an unknown campaign is a
  400 page naming the field; a plain-http URL to another machine is added with a warning;
- `GET /dashboard/webhooks/{id}`: its latest deliveries (event, status, attempts, last
  status code or error, when); `POST /dashboard/webhooks/{id}/remove` stops it and goes
  back to the list (303);
- every form carries the CSRF field and is read with `checked_form` (403 otherwise); every
  value reaches HTML through `esc`.
"""

from __future__ import annotations

import time

from aiohttp import web

from bot.core.kernel.errors import InvalidInput, NotFound
from bot.core.webhooks import AddedWebhook
from bot.web.app import ENGINE
from bot.web.layout import esc, page
from bot.web.viewer import Viewer, checked_form, csrf_field, viewer_of

BASE = "/dashboard/webhooks"
TITLE = "Webhooks"


def add_routes(app: web.Application) -> None:
    """Serve the webhooks page and its forms."""
    app.router.add_get(BASE, list_page, allow_head=False)
    app.router.add_post(BASE, add_hook)
    app.router.add_get(BASE + "/{id}", deliveries_page, allow_head=False)
    app.router.add_post(BASE + "/{id}/remove", remove_hook)


def _admin(request: web.Request) -> Viewer:
    viewer = viewer_of(request)
    if not viewer.is_admin:
        raise _not_found(viewer)
    return viewer


def _not_found(viewer: Viewer | None) -> web.HTTPNotFound:
    return web.HTTPNotFound(
        text=page("Not found", "<p>There is no such page.</p>", viewer, status=404).text,
        content_type="text/html",
    )


def _hook_id(request: web.Request, viewer: Viewer) -> int:
    text = request.match_info["id"]
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        raise _not_found(viewer)
    return int(text)


def _when(at: float | None) -> str:
    return "-" if at is None else time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(at))


async def list_page(request: web.Request) -> web.Response:
    viewer = _admin(request)
    return await _list(request, viewer)


async def _list(
    request: web.Request, viewer: Viewer, notice: str = "", status: int = 200
) -> web.Response:
    cases = request.app[ENGINE].webhooks
    rows = []
    for hook, campaign in await cases.all(viewer.actor):
        name = campaign.name if campaign is not None else str(hook.campaign_id)
        remove = (
            f'<form method="post" action="{BASE}/{hook.id}/remove">{csrf_field(viewer)}'
            '<button type="submit">Remove</button></form>'
            if hook.active
            else '<span class="muted">removed</span>'
        )
        rows.append(
            f'<tr><td><a href="{BASE}/{hook.id}">{hook.id}</a></td><td>{esc(name)}</td>'
            f"<td>{esc(hook.url)}</td><td><code>{esc(hook.prefix)}…</code></td>"
            f"<td>{_when(hook.created_at)}</td><td>{remove}</td></tr>"
        )
    table = (
        '<div class="table-wrap"><table><thead><tr><th>id</th><th>campaign</th><th>URL</th>'
        "<th>secret</th><th>created</th><th></th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></div>"
        if rows
        else '<p class="muted">No webhooks yet.</p>'
    )
    options = "".join(
        f'<option value="{esc(c.name)}">{esc(c.name)}</option>'
        for c in await cases.campaigns(viewer.actor)
    )
    form = (
        f'<h2>Add a webhook</h2><form method="post" action="{BASE}">{csrf_field(viewer)}'
        f'<p><label>Campaign <select name="campaign">{options}</select></label></p>'
        '<p><label>URL <input type="url" name="url" required size="50" '
        'placeholder="https://example.org/labelquest"></label></p>'
        '<p><button type="submit">Add</button></p></form>'
    )
    return page(TITLE, notice + table + form, viewer, status=status)


async def add_hook(request: web.Request) -> web.Response:
    viewer = _admin(request)
    form = await checked_form(request)
    campaign, url = form.get("campaign"), form.get("url")
    if not isinstance(campaign, str) or not campaign:
        return await _refused(request, viewer, "campaign: choose a campaign")
    if not isinstance(url, str) or not url.strip():
        return await _refused(request, viewer, "url: give the URL to POST events to")
    try:
        added = await request.app[ENGINE].webhooks.add(viewer.actor, campaign, url.strip())
    except (InvalidInput, NotFound) as exc:
        message = exc.message if isinstance(exc, InvalidInput) else f"campaign: {exc.message}"
        return await _refused(request, viewer, message)
    return page("Webhook added", _added(added), viewer)


async def _refused(request: web.Request, viewer: Viewer, message: str) -> web.Response:
    notice = f'<p class="error" role="alert">{esc(message)}</p>'
    return await _list(request, viewer, notice, status=400)


def _added(added: AddedWebhook) -> str:
    w = added.webhook
    warning = "" if added.warning is None else f'<p class="error">{esc(added.warning)}</p>'
    return (
        f"<p>Webhook {w.id} will POST the campaign's events to <code>{esc(w.url)}</code>.</p>"
        "<p>Its signing secret, shown only this once (copy it to the receiver now):</p>"
        f'<p><code class="secret">{esc(added.secret)}</code></p>{warning}'
        f'<p><a href="{BASE}">Back to webhooks</a></p>'
    )


async def deliveries_page(request: web.Request) -> web.Response:
    viewer = _admin(request)
    try:
        hook, deliveries = await request.app[ENGINE].webhooks.deliveries(
            viewer.actor, _hook_id(request, viewer)
        )
    except NotFound:
        raise _not_found(viewer) from None
    rows = "".join(
        f"<tr><td>dlv_{d.id}</td><td>evt_{d.seq}</td><td>{esc(d.status)}</td>"
        f"<td>{d.attempts}</td><td>{esc(d.last_status_code or '-')}</td>"
        f"<td>{esc(d.last_error or '')}</td>"
        f"<td>{_when(d.delivered_at if d.status == 'delivered' else d.next_attempt_at)}</td></tr>"
        for d in deliveries
    )
    table = (
        '<div class="table-wrap"><table><thead><tr><th>delivery</th><th>event</th>'
        "<th>status</th><th>attempts</th><th>last code</th><th>last error</th>"
        "<th>delivered / next attempt</th></tr></thead><tbody>" + rows + "</tbody></table></div>"
        if deliveries
        else '<p class="muted">No deliveries yet.</p>'
    )
    state = "" if hook.active else ' <span class="muted">(removed)</span>'
    head = f"<p>POST <code>{esc(hook.url)}</code>{state}</p>"
    return page(f"Webhook {hook.id}", head + table, viewer)


async def remove_hook(request: web.Request) -> web.Response:
    viewer = _admin(request)
    await checked_form(request)
    try:
        await request.app[ENGINE].webhooks.remove(viewer.actor, _hook_id(request, viewer))
    except NotFound:
        raise _not_found(viewer) from None
    raise web.HTTPSeeOther(BASE)
