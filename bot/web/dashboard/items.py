"""Dashboard pages: a campaign's items (`/dashboard/campaigns/{id}/items?state=&page=`),
one item with every answer (`.../items/{item_id}`) and its image (`.../image`).

Rules:
- `state` is `finalized`, `review` or `open` (absent: every item); anything else is a 400
  naming `state`; pages hold `ITEMS_PER_PAGE` items in item id order;
- the image route serves only what the engine renders for an item the viewer may see, and
  only PNG, JPEG, GIF or WebP bytes (checked by their signature, never trusted from the
  upload's name), with that content type; other bytes answer 404 like a missing image.
"""

from __future__ import annotations

from aiohttp import web

from bot.core.insights import STATES, ItemDetail
from bot.core.insights import texts as insight_texts
from bot.core.kernel.errors import NotFound
from bot.web.dashboard.common import (
    BadParameter,
    engine_of,
    guarded,
    num,
    page_number,
    pager,
    path_id,
    table,
    viewer,
    when,
)
from bot.web.dashboard.marks import marked_figure
from bot.web.draw_hide import hide_form
from bot.web.layout import esc, page

STATE_NAMES = {"finalized": "Finalized", "review": "In review", "open": "Open"}
SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def image_type(data: bytes) -> str | None:
    """The content type of image bytes by their signature; None when not an image."""
    for magic, ctype in SIGNATURES:
        if data.startswith(magic):
            return ctype
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def _state(request: web.Request) -> str | None:
    text = request.query.get("state")
    if text is None or text == "":
        return None
    if text not in STATES:
        raise BadParameter("state", "state must be one of " + ", ".join(STATES))
    return text


def _filters(base: str, state: str | None) -> str:
    all_current = ' aria-current="page"' if state is None else ""
    links = [f'<a href="{base}"{all_current}>All</a>']
    for key, name in STATE_NAMES.items():
        current = ' aria-current="page"' if state == key else ""
        links.append(f'<a href="{base}?state={key}"{current}>{esc(name)}</a>')
    return '<nav class="filters" aria-label="filter">' + " · ".join(links) + "</nav>"


@guarded
async def items_page(request: web.Request) -> web.Response:
    """One page of the campaign's items, filtered by state."""
    who = viewer(request)
    campaign_id = path_id(request, "id")
    state, number = _state(request), page_number(request)
    got = await engine_of(request).insights.items(who.actor, campaign_id, state, number)
    base = f"/dashboard/campaigns/{campaign_id}/items"
    head = (
        f'<p><a href="/dashboard/campaigns/{campaign_id}">{esc(got.campaign.name)}</a></p>'
        + _filters(base, state)
    )
    title = f"Items · {got.campaign.name}"
    if not got.rows:
        return page(title, head + '<p class="muted">No items here.</p>', who)
    cells = [
        [
            f'<a href="{base}/{r.item_id}">{r.item_id}</a>',
            esc(r.kind) + (" (gold)" if r.gold is not None else ""),
            esc(r.text or r.candidate or r.source),
            esc(r.status),
            esc(r.label or "–"),
            esc(num(r.confidence)),
            str(r.n_answers),
        ]
        for r in got.rows
    ]
    headers = ["Item", "Kind", "Text / candidate", "State", "Label", "Confidence", "Answers"]
    caption = f"{got.page.total} items" + (f" ({STATE_NAMES[state]})" if state else "")
    query = f"state={state}" if state else ""
    body = head + table(headers, cells, caption) + pager(base, got.page, query)
    return page(title, body, who)


def _item_facts(d: ItemDetail) -> str:
    r = d.row
    facts = [
        ("Kind", esc(r.kind)),
        ("Source", esc(r.source)),
        ("Text", esc(r.text or "–")),
        ("Candidate", esc(r.candidate or "–")),
        ("State", esc(r.status)),
        ("Label", esc(r.label or "–")),
        ("Confidence", esc(num(r.confidence))),
        ("Answers", str(r.n_answers)),
    ]
    if r.gold is not None:
        facts.append(("Gold answer", esc(r.gold)))
    return '<dl class="facts">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>"


@guarded
async def item_page(request: web.Request) -> web.Response:
    """One item: its facts, its image and every answer to it."""
    who = viewer(request)
    campaign_id, item_id = path_id(request, "id"), path_id(request, "item_id")
    d = await engine_of(request).insights.item(who.actor, campaign_id, item_id)
    base = f"/dashboard/campaigns/{campaign_id}"
    body = f'<p><a href="{base}">{esc(d.campaign.name)}</a> · <a href="{base}/items">Items</a></p>'
    src, marks = f"{base}/items/{item_id}/image", None
    if d.has_media and d.campaign.game == "locate":  # issue 17: the boxes over the image
        label = d.row.label or d.row.gold
        marks = marked_figure(
            src, f"Item {item_id}", d.item.meta, label, (a.stored for a in d.answers)
        )
        body += marks or ""
    if d.has_media and marks is None:
        alt = f"Item {item_id}" + (f": {d.row.text}" if d.row.text else "")
        body += (
            f'<figure><img class="item" src="{base}/items/{item_id}/image" alt="{esc(alt)}">'
            "</figure>"
        )
    body += _item_facts(d)
    if d.item.meta.get("player_drawing"):  # issue 15: moderators hide a player's drawing
        body += hide_form(who, campaign_id, item_id, request.query)
    gold = d.row.gold is not None
    headers = ["Player", "Answer", "Time", "Weight"] + (["Correct"] if gold else [])
    cells = [
        [esc(a.who), esc(a.label), esc(when(a.at)), esc(num(a.weight, 2))]
        + ([esc("yes" if a.correct else "no" if a.correct is not None else "–")] if gold else [])
        for a in d.answers
    ]
    body += (
        table(headers, cells, "Answers")
        if cells
        else '<p class="muted">No answers to this item yet.</p>'
    )
    return page(f"Item {item_id} · {d.campaign.name}", body, who)


@guarded
async def item_image(request: web.Request) -> web.Response:
    """The item's image bytes, in scope, with the content type their signature proves."""
    who = viewer(request)
    campaign_id, item_id = path_id(request, "id"), path_id(request, "item_id")
    media = await engine_of(request).insights.item_media(who.actor, campaign_id, item_id)
    ctype = image_type(media.data)
    if ctype is None:
        raise NotFound(insight_texts.NO_MEDIA, item_id=item_id)
    return web.Response(
        body=media.data, content_type=ctype, headers={"Cache-Control": "private, max-age=300"}
    )
