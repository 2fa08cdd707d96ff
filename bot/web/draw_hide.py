"""Hiding a player drawing from the dashboard (issue 15): a **Hide drawing** button on the
item page of a player drawing, for moderators of its campaign's community and bot admins.

Rules:
- the button is a POST form carrying the session's CSRF token (`checked_form`: 403
  without it); POST `/dashboard/campaigns/{id}/items/{item_id}/hide-drawing` hides the
  drawing for good through `engine.drawings.hide` (which checks the scope: anyone else, or an
  item that is no player drawing, gets 404 exactly like a missing page), then 303 back to
  the item page, which says what happened (`?hidden=1`);
- a hidden drawing is never shown again in rounds or solo series and leaves the exports
  (the drawings feature's rules); hiding twice says it was already hidden.
"""

from __future__ import annotations

from collections.abc import Mapping

from aiohttp import web

from bot.core.kernel.errors import NotFound
from bot.web.dashboard.common import engine_of, guarded, path_id, viewer
from bot.web.layout import esc
from bot.web.viewer import Viewer, checked_form, csrf_field

ITEM = "/dashboard/campaigns/{id}/items/{item_id}"
HIDDEN_NOTE = "This drawing is hidden: it is never shown again and stays out of the exports."
NOT_A_DRAWING = "No player drawing here."


def add_routes(app: web.Application) -> None:
    app.router.add_post(f"{ITEM}/hide-drawing", hide_drawing)


def hide_form(who: Viewer, campaign_id: int, item_id: int, query: Mapping[str, str]) -> str:
    """The button (and, after hiding, the note) for a player drawing's item page."""
    note = f'<p class="flash" role="status">{esc(HIDDEN_NOTE)}</p>' if query.get("hidden") else ""
    action = f"/dashboard/campaigns/{campaign_id}/items/{item_id}/hide-drawing"
    return (
        f'{note}<form method="post" action="{action}">{csrf_field(who)}'
        '<button type="submit">Hide drawing</button> '
        '<span class="muted">inappropriate content: never shown again, out of exports</span>'
        "</form>"
    )


@guarded
async def hide_drawing(request: web.Request) -> web.Response:
    """Hide the item's player drawing (see the module rules)."""
    await checked_form(request)
    who = viewer(request)
    campaign_id, item_id = path_id(request, "id"), path_id(request, "item_id")
    engine = engine_of(request)
    d = await engine.insights.item(who.actor, campaign_id, item_id)  # 404 outside the scope
    drawing_id = await engine.drawing_of_item(d.item.id)
    if drawing_id is None:
        raise NotFound(NOT_A_DRAWING)
    await engine.drawings.hide(who.actor, drawing_id)
    raise web.HTTPSeeOther(f"/dashboard/campaigns/{campaign_id}/items/{item_id}?hidden=1")
