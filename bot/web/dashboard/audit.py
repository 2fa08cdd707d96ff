"""Dashboard page: the audit log (`/dashboard/audit?page=`), newest first.

Rules: one list of both logs (`audit_log`: campaign changes, schedules, time zones, API
tokens; `review_log`: expert labels, gold promotions, standing resets); bot admins see every
entry, everyone else the entries about campaigns they may see (the engine decides). A player
a review action was about appears by their pseudonym only.
"""

from __future__ import annotations

from aiohttp import web

from bot.core.insights import AuditView
from bot.web.dashboard.common import engine_of, guarded, page_number, pager, table, when
from bot.web.layout import esc, page
from bot.web.viewer import admin_of


def _about(v: AuditView) -> str:
    e = v.entry
    parts = []
    if v.campaign is not None and e.campaign_id is not None:
        parts.append(f'<a href="/dashboard/campaigns/{e.campaign_id}">{esc(v.campaign)}</a>')
    if e.item_id is not None and e.campaign_id is not None:
        parts.append(
            f'<a href="/dashboard/campaigns/{e.campaign_id}/items/{e.item_id}">'
            f"item {e.item_id}</a>"
        )
    if e.target:
        parts.append(esc(e.target))
    if v.about:
        parts.append(f"player {esc(v.about)}")
    return " · ".join(parts) or "–"


@guarded
async def audit_page(request: web.Request) -> web.Response:
    """One page of the moderator and admin actions (bot admins only, as `/audit` in chat;
    anyone else gets 404)."""
    who = admin_of(request)
    got = await engine_of(request).insights.audit(who.actor, page_number(request))
    scope = "every community" if who.is_admin else "the campaigns you may see"
    intro = f'<p class="muted">Moderator and admin actions in {esc(scope)}, newest first.</p>'
    if not got.rows:
        return page("Audit log", intro + '<p class="muted">Nothing recorded yet.</p>', who)
    cells = [
        [
            esc(when(v.entry.at)),
            esc(v.entry.actor),
            esc(v.entry.action),
            _about(v),
            esc(v.entry.detail or "–"),
        ]
        for v in got.rows
    ]
    headers = ["Time (UTC)", "Who", "Action", "About", "Detail"]
    caption = f"{got.page.total} entries"
    body = intro + table(headers, cells, caption) + pager("/dashboard/audit", got.page)
    return page("Audit log", body, who)
