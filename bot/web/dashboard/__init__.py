"""The dashboard's read pages: campaigns, one campaign with its charts, contributors, items
and their answers and images, the audit log (docs/web.md, "Pages").

Rules:
- every page is under `/dashboard`, where the session middleware guarantees a `Viewer`
  (`bot.web.viewer`); the handlers read it with `viewer_of` and pass its `Actor` to
  `engine.insights`, which enforces the scope rules of chat (`can_see`): an object the
  viewer may not see is a 404 exactly like a missing one;
- pages are server-rendered HTML through `bot.web.layout.page`, values through `esc`,
  charts as SVG from `bot.render.svg_charts` (no script, CSP `default-src 'self'`);
- like every adapter this package never imports storage.
"""

from __future__ import annotations

from aiohttp import web

from bot.web.dashboard.audit import audit_page
from bot.web.dashboard.campaigns import campaign_page, campaigns_page, contributors_page
from bot.web.dashboard.items import item_image, item_page, items_page

CAMPAIGN = "/dashboard/campaigns/{id}"


def add_routes(app: web.Application) -> None:
    """Serve the read pages on `app` (GET only)."""
    get = app.router.add_get
    get("/dashboard", campaigns_page)
    get(CAMPAIGN, campaign_page)
    get(f"{CAMPAIGN}/contributors", contributors_page)
    get(f"{CAMPAIGN}/items", items_page)
    get(CAMPAIGN + "/items/{item_id}", item_page)
    get(CAMPAIGN + "/items/{item_id}/image", item_image)
    get("/dashboard/audit", audit_page)
