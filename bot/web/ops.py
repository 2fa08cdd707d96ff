"""The operators' endpoints: `GET /healthz` and `GET /metrics`.

Rules:
- `/healthz` answers 200 `{"status": "ok", "store": "ok", "leader": bool}` when the store
  answers a trivial read through the engine (`Engine.ping`), else 503
  `{"status": "degraded", "store": "<error class>", "leader": bool}`: the class name of the
  error only, never its message (it may hold a connection string or a host). `leader` tells
  whether this process runs the scheduler (false in `run.py web`).
- `/metrics` answers the process's metrics in Prometheus text format (`bot.web.metrics`);
  when the store cannot be read on scrape it answers 503 with the error class only.
"""

from __future__ import annotations

import logging

from aiohttp import web

from bot.web.app import ENGINE, LEADER, METRICS

log = logging.getLogger(__name__)


def add_routes(app: web.Application) -> None:
    """Serve `/healthz` and `/metrics` on `app` (built by `bot.web.app.build_app`)."""
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)


def _leader(request: web.Request) -> bool:
    is_leader = request.app[LEADER]
    return bool(is_leader is not None and is_leader())


async def healthz(request: web.Request) -> web.Response:
    """200 while the store answers, 503 naming only the error class when it does not."""
    leader = _leader(request)
    try:
        await request.app[ENGINE].ping()
    except Exception as exc:
        log.warning("health check: the store did not answer (%s)", type(exc).__name__)
        body = {"status": "degraded", "store": type(exc).__name__, "leader": leader}
        return web.json_response(body, status=503)
    return web.json_response({"status": "ok", "store": "ok", "leader": leader})


async def metrics(request: web.Request) -> web.Response:
    """The Prometheus exposition; 503 (error class only) when the store cannot be read."""
    from bot.web.metrics import CONTENT_TYPE

    try:
        body = await request.app[METRICS].exposition()
    except Exception as exc:
        log.warning("metrics: the store did not answer (%s)", type(exc).__name__)
        return web.Response(status=503, text=f"store unavailable: {type(exc).__name__}\n")
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE})
