"""The dashboard's review queue: `/dashboard/review` (and `?campaign=<id>`), with bulk actions.

Rules:
- The page lists the review queue of the campaigns the viewer may manage (the scope rule of
  chat, `can_manage`: a moderator their community's campaigns, a bot admin every campaign,
  shared ones included), one table per campaign: a checkbox per item, its picture (a
  thumbnail from `/dashboard/review/media/<campaign>/<item>`, same scope) or text, the
  crowd's vote split, and a bulk form: action (set label, send back, make gold), label (the
  campaign's labels offered), explanation (for gold items).
- `?campaign=<id>` shows one campaign; a campaign the viewer may not manage answers 404
  exactly like a missing one; a `campaign` that is not a number answers 400 naming it.
- POST `/dashboard/review` is CSRF-checked (`checked_form`, 403 otherwise) and calls
  `engine.review.bulk` (all or nothing, `bot/core/review/bulk.py`); on success it answers 303
  back to the campaign's queue with a summary in the query (`done`, `n`, `label`) that the
  page shows; refused input re-renders the page with 400 and the message naming what is
  wrong, nothing changed.
- Handlers reach the engine only (never `storage`); every value reaches HTML through `esc`.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from aiohttp import web

from bot.core.engine import Engine
from bot.core.kernel.errors import InvalidInput, LabelQuestError, NotFound, PermissionDenied
from bot.core.review.bulk import (
    GOLD,
    LABEL,
    QUEUE_LIMIT,
    SEND_BACK,
    QueueEntry,
    ReviewQueue,
)
from bot.web.app import ENGINE
from bot.web.layout import esc, page
from bot.web.viewer import Viewer, checked_form, csrf_field, viewer_of

PATH = "/dashboard/review"
ACTION_NAMES = {LABEL: "Set label", SEND_BACK: "Send back to the crowd", GOLD: "Make gold"}
MIME = {"png": "image/png", "gif": "image/gif", "jpg": "image/jpeg", "jpeg": "image/jpeg"}


def add_routes(app: web.Application) -> None:
    app.router.add_get(PATH, review_page)
    app.router.add_post(PATH, review_post)
    app.router.add_get(PATH + "/media/{campaign}/{item}", review_media)


def status_of(e: LabelQuestError) -> int:
    if isinstance(e, NotFound):
        return 404
    if isinstance(e, PermissionDenied):
        return 403
    return 400


def error_page(viewer: Viewer, e: LabelQuestError, title: str = "Review") -> web.Response:
    body = f'<p class="error" role="alert">{esc(e.message)}</p>'
    return page(title, body, viewer, status=status_of(e))


def number(raw: object, name: str) -> int:
    """`raw` as a whole number, or InvalidInput naming the field."""
    text = raw.strip() if isinstance(raw, str) else ""
    if not text.isdigit() or len(text) > 18:
        raise InvalidInput("{name} must be a whole number, got {raw!r}", name=name, raw=text)
    return int(text)


async def review_page(request: web.Request) -> web.Response:
    viewer = viewer_of(request)
    try:
        raw = request.query.get("campaign")
        cid = None if raw is None else number(raw, "campaign")
        queue = await request.app[ENGINE].review.queue_of(viewer.actor, cid)
    except LabelQuestError as e:
        return error_page(viewer, e)
    return page("Review", render(queue, viewer, flash(request.query)), viewer)


async def review_post(request: web.Request) -> web.Response:
    viewer = viewer_of(request)
    form = await checked_form(request)
    engine: Engine = request.app[ENGINE]
    cid: int | None = None
    try:
        cid = number(form.get("campaign"), "campaign")
        items = [number(v, "item") for v in form.getall("item", [])]
        action = str(form.get("action") or "")
        done = await engine.review.bulk(
            viewer.actor,
            cid,
            items,
            action,
            label=str(form.get("label") or ""),
            explanation=str(form.get("explanation") or ""),
        )
    except LabelQuestError as e:
        if isinstance(e, InvalidInput) and cid is not None:
            try:
                queue = await engine.review.queue_of(viewer.actor, cid)
            except LabelQuestError:
                return error_page(viewer, e)
            alert = f'<p class="error" role="alert">{esc(e.message)}</p>'
            return page("Review", alert + render(queue, viewer, ""), viewer, status=400)
        return error_page(viewer, e)
    query = {"campaign": done.campaign.id, "done": done.action, "n": len(done.item_ids)}
    if done.label is not None:
        query["label"] = done.label
    raise web.HTTPSeeOther(f"{PATH}?{urlencode(query)}")


async def review_media(request: web.Request) -> web.Response:
    viewer = viewer_of(request)
    try:
        cid = number(request.match_info["campaign"], "campaign")
        iid = number(request.match_info["item"], "item")
        media = await request.app[ENGINE].review.item_media(viewer.actor, cid, iid)
    except LabelQuestError as e:
        return error_page(viewer, e)
    ext = (media.filename.rpartition(".")[2].lower() if media else "") or ""
    if media is None or ext not in MIME:
        return page("Review", '<p class="error">This item has no picture.</p>', viewer, status=404)
    return web.Response(
        body=media.data,
        content_type=MIME[ext],
        headers={"Cache-Control": "private, max-age=300"},
    )


def flash(query: Mapping[str, str]) -> str:
    """The summary of the last bulk action, from the 303's query (shown escaped)."""
    action, n = query.get("done"), query.get("n", "")
    if action not in ACTION_NAMES or not n.isdigit():
        return ""
    items = "1 item" if n == "1" else f"{n} items"
    label = query.get("label", "")
    text = {
        LABEL: f"{items} labelled {label!r}",
        GOLD: f"{items} made gold with the answer {label!r}",
        SEND_BACK: f"{items} sent back to the crowd",
    }[action]
    return f'<p class="flash" role="status">{esc(text)}</p>'


def render(queue: ReviewQueue, viewer: Viewer, flash_html: str) -> str:
    """The page body: campaign links, then one table and bulk form per campaign."""
    links = [f'<li><a href="{PATH}">All campaigns</a></li>']
    for c in queue.campaigns:
        n = queue.counts.get(c.id, 0)
        links.append(f'<li><a href="{PATH}?campaign={c.id}">{esc(c.name)}</a> ({n})</li>')
    head = f'{flash_html}<ul class="campaign-links">{"".join(links)}</ul>'
    if not queue.campaigns:
        return head + '<p class="muted">You moderate no campaign.</p>'
    groups: dict[int, list[QueueEntry]] = {}
    for entry in queue.entries:
        groups.setdefault(entry.campaign.id, []).append(entry)
    if not groups:
        where = f" in {queue.chosen.name}" if queue.chosen else ""
        return head + f'<p class="muted">Nothing to review{esc(where)}.</p>'
    more = ""
    if len(queue.entries) >= QUEUE_LIMIT:
        more = f'<p class="muted">The first {QUEUE_LIMIT} items in review are shown.</p>'
    forms = "".join(_campaign_form(entries, viewer) for entries in groups.values())
    return head + more + forms


def _campaign_form(entries: list[QueueEntry], viewer: Viewer) -> str:
    c = entries[0].campaign
    labels = list(dict.fromkeys(label for e in entries for label in e.labels))
    listed = "".join(f'<option value="{esc(label)}">' for label in labels)
    actions = "".join(f'<option value="{k}">{esc(v)}</option>' for k, v in ACTION_NAMES.items())
    rows = "".join(_row(e) for e in entries)
    return (
        f'<section class="review"><h2>{esc(c.name)}</h2>'
        f'<form method="post" action="{PATH}">{csrf_field(viewer)}'
        f'<input type="hidden" name="campaign" value="{c.id}">'
        '<div class="table-wrap"><table><thead><tr><th>Pick</th><th>Item</th><th>Shown</th>'
        f"<th>Votes</th><th>Crowd leans</th></tr></thead><tbody>{rows}</tbody></table></div>"
        '<fieldset class="bulk"><legend>Bulk action on the picked items</legend>'
        f'<label>Action <select name="action">{actions}</select></label> '
        f'<label>Label <input name="label" list="labels-{c.id}" autocomplete="off"></label>'
        f'<datalist id="labels-{c.id}">{listed}</datalist> '
        '<label>Explanation (gold) <input name="explanation" maxlength="500"></label> '
        '<button type="submit">Apply</button>'
        f'<p class="muted">Labels: {esc(", ".join(labels))}</p></fieldset></form></section>'
    )


def _row(e: QueueEntry) -> str:
    item, t = e.item, e.tally
    box = (
        f'<input type="checkbox" name="item" value="{item.id}" '
        f'aria-label="item {item.id}" id="item-{e.campaign.id}-{item.id}">'
    )
    if item.kind in ("image", "doodle"):
        src = f"{PATH}/media/{e.campaign.id}/{item.id}"
        shown = f'<img class="thumb" src="{src}" alt="item {item.id}: {esc(item.source)}">'
    else:
        shown = esc(item.text or item.source)
    if item.candidate:
        shown += f'<br><span class="muted">candidate: {esc(item.candidate)}</span>'
    lean = "" if t.label is None else esc(t.label)
    if t.label is not None and t.confidence is not None:
        lean += f" ({t.confidence:.0%})"
    return (
        f'<tr><td>{box}</td><td><label for="item-{e.campaign.id}-{item.id}">{item.id}</label>'
        f'<br><span class="muted">{esc(e.kind)}</span></td><td>{shown}</td>'
        f"<td>{esc(e.votes)}</td><td>{lean}</td></tr>"
    )
