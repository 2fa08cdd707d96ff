"""Dashboard pages: the campaigns list (`/dashboard`), one campaign with its three charts
(`/dashboard/campaigns/{id}`) and its contributors (`.../contributors`).

Rules: the engine (`engine.insights`) decides what the viewer may see and how players are
named (names for admins, pseudonyms for everyone else); these handlers only lay it out.
Charts are SVG drawn on the server (`bot.render.svg_charts`) with their data in words.
"""

from __future__ import annotations

from aiohttp import web

from bot.core.insights import CampaignOverview, CampaignSummary
from bot.render.svg_charts import bar_chart, hbar_chart, line_chart
from bot.web.dashboard.common import (
    engine_of,
    guarded,
    num,
    path_id,
    pct,
    table,
    viewer,
    when,
)
from bot.web.dashboard.compare import ranking_html
from bot.web.layout import esc, page

DAY_FORMAT = "%d %b"


def _link(c: CampaignSummary) -> str:
    return f'<a href="/dashboard/campaigns/{c.campaign.id}">{esc(c.campaign.name)}</a>'


@guarded
async def campaigns_page(request: web.Request) -> web.Response:
    """Every campaign the viewer may see, newest first, with its progress."""
    who = viewer(request)
    rows = await engine_of(request).insights.campaigns(who.actor)
    if not rows:
        return page("Campaigns", '<p class="muted">No campaigns yet.</p>', who)
    cells = [
        [
            _link(c),
            esc(c.community or "shared"),
            esc(c.campaign.game),
            esc(c.campaign.status),
            f'<progress max="{c.items or 1}" value="{c.finalized}"></progress> '
            f"{c.finalized} / {c.items} ({esc(pct(c.progress))})",
            str(c.answers),
            esc(when(c.campaign.created_at)),
        ]
        for c in rows
    ]
    headers = ["Campaign", "Community", "Game", "Status", "Finalized", "Answers", "Created"]
    return page("Campaigns", table(headers, cells, "Campaigns you may see"), who)


def _figures(o: CampaignOverview) -> str:
    s = o.summary
    c = s.campaign
    facts = [
        ("Community", esc(s.community or "shared")),
        ("Game", esc(c.game)),
        ("Status", esc(c.status)),
        ("Question", esc(c.question)),
        ("Items", str(s.items)),
        ("Finalized", f"{s.finalized} ({esc(pct(s.progress))})"),
        ("In review", str(s.in_review)),
        ("Open", str(s.open)),
        ("Answers", f"{s.answers} from {s.players} players"),
        ("Agreement (Krippendorff's α)", esc(num(o.alpha))),
        ("Mean confidence", esc(num(o.mean_confidence))),
        ("Created", esc(when(c.created_at))),
    ]
    rows = "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in facts)
    return f'<dl class="facts">{rows}</dl>'


def _charts(o: CampaignOverview) -> str:
    done = [(d.strftime(DAY_FORMAT), v) for d, v in o.finalized_cumulative]
    answers = [(d.strftime(DAY_FORMAT), v) for d, v in o.answers_per_day]
    labels = list(o.labels.items())
    progress, per_day = "Items finalized, running total", "Answers per day"
    shares = "Label distribution (finalized items)"
    charts = [
        (
            f"{progress} (UTC days)",
            line_chart("progress", progress, done, "no items finalized yet"),
        ),
        (f"{per_day} (UTC days)", bar_chart("answers", per_day, answers, "no answers yet")),
        (shares, hbar_chart("labels", shares, labels, "no labels yet")),
    ]
    # the visible caption repeats the SVG's own title, so screen readers skip it
    return "".join(
        f'<figure class="chart">{svg}<figcaption aria-hidden="true">{esc(caption)}'
        "</figcaption></figure>"
        for caption, svg in charts
    )


@guarded
async def campaign_page(request: web.Request) -> web.Response:
    """One campaign: its figures, three charts and links to its contributors and items."""
    who = viewer(request)
    campaign_id = path_id(request, "id")
    o = await engine_of(request).insights.overview(who.actor, campaign_id)
    base = f"/dashboard/campaigns/{campaign_id}"
    links = (
        '<ul class="links">'
        f'<li><a href="{base}/contributors">Contributors</a></li>'
        f'<li><a href="{base}/items">All items</a></li>'
        f'<li><a href="{base}/items?state=finalized">Finalized</a></li>'
        f'<li><a href="{base}/items?state=review">In review</a></li>'
        f'<li><a href="{base}/items?state=open">Open</a></li></ul>'
    )
    body = _figures(o) + links + _charts(o)
    if o.summary.campaign.game == "compare":  # the ranking of its items (issue 17)
        body += await ranking_html(engine_of(request), o.summary)
    return page(o.summary.campaign.name, body, who)


@guarded
async def contributors_page(request: web.Request) -> web.Response:
    """Who answered in the campaign, most answers first, with their gold accuracy."""
    who = viewer(request)
    campaign_id = path_id(request, "id")
    insights = engine_of(request).insights
    campaign = await insights.campaign(who.actor, campaign_id)
    rows = await insights.contributors(who.actor, campaign_id)
    back = f'<p><a href="/dashboard/campaigns/{campaign_id}">{esc(campaign.name)}</a></p>'
    note = (
        "Names are shown to bot admins (players who chose /privacy stay pseudonymous)."
        if who.is_admin
        else "Players are shown by the pseudonym the exports use."
    )
    if not rows:
        body = back + '<p class="muted">No answers yet.</p>'
        return page(f"Contributors · {campaign.name}", body, who)
    cells = [
        [
            esc(c.who),
            str(c.answers),
            str(c.gold_answered),
            esc(pct(c.gold_accuracy)),
            str(c.points),
            esc(when(c.last_at)),
        ]
        for c in rows
    ]
    headers = ["Player", "Answers", "Gold answered", "Gold accuracy", "Points", "Last answer"]
    body = back + f'<p class="muted">{esc(note)}</p>' + table(headers, cells, "Contributors")
    return page(f"Contributors · {campaign.name}", body, who)
