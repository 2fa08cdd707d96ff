"""The dashboard's page shell: one HTML layout, one stylesheet, shared by every page.

Rules:
- `page(title, body, viewer)` wraps a page's body (HTML the page escaped itself) in the
  layout: `<title>`, the viewport meta for phones, the stylesheet `/static/dashboard.css`,
  the navigation (`NAV`; entries marked admin-only appear only to admins), who is signed
  in, and a sign-out form (POST `/logout` with the CSRF field);
- the Content-Security-Policy is `default-src 'self'`: no inline `<script>` or `style=`
  attributes; style goes in the stylesheet, scripts (if any) under `/static/`;
- `esc` is the only way a value reaches HTML (`html.escape`, quotes included).
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from aiohttp import web

from bot.web.viewer import Viewer, csrf_field

STATIC = Path(__file__).resolve().parent / "static"

NAV: tuple[tuple[str, str, bool], ...] = (
    ("/dashboard", "Campaigns", False),
    ("/dashboard/review", "Review", False),
    ("/dashboard/exports", "Exports", True),
    ("/dashboard/audit", "Audit log", True),
    ("/dashboard/webhooks", "Webhooks", True),
    ("/dashboard/tokens", "API tokens", True),
)
"""(path, label, admin only) of each navigation entry, in order."""


def esc(value: object) -> str:
    """`value` as text safe inside HTML elements and quoted attributes."""
    return escape(str(value), quote=True)


def add_routes(app: web.Application) -> None:
    """Serve the files under `bot/web/static/` at `/static/`."""
    app.router.add_static("/static/", STATIC, show_index=False, follow_symlinks=False)


def _nav(viewer: Viewer | None) -> str:
    if viewer is None:
        return ""
    links = "".join(
        f'<li><a href="{path}">{esc(label)}</a></li>'
        for path, label, admin_only in NAV
        if viewer.is_admin or not admin_only
    )
    who = esc(viewer.display_name) + (" (admin)" if viewer.is_admin else "")
    out = (
        f'<form method="post" action="/logout" class="signout">{csrf_field(viewer)}'
        '<button type="submit">Sign out</button></form>'
    )
    return f'<nav><ul>{links}</ul><span class="who">{who}</span>{out}</nav>'


def page(title: str, body: str, viewer: Viewer | None, *, status: int = 200) -> web.Response:
    """A full HTML page: the layout around `body` (already-escaped HTML)."""
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)} · LabelQuest</title>"
        '<link rel="stylesheet" href="/static/dashboard.css"></head><body>'
        f'<header><a class="brand" href="/dashboard">LabelQuest</a>{_nav(viewer)}</header>'
        f"<main><h1>{esc(title)}</h1>{body}</main></body></html>"
    )
    return web.Response(text=html, content_type="text/html", status=status)
