"""`bot.web.auth` behind a real aiohttp server built here: a bearer token is read from the
`Authorization` header; everything else gets one 401 problem answer, a read-only token on a
write route a 403 problem answer."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import ClientSession, web
from aiohttp.test_utils import TestServer

from bot.core.access import texts
from bot.core.engine import Engine
from bot.web.auth import PROBLEM_JSON, api_principal, bearer_token, require_write


def _app(engine: Engine) -> web.Application:
    async def whoami(request: web.Request) -> web.Response:
        who = await api_principal(engine, request)
        return web.json_response({"id": who.token_id, "name": who.name})

    async def change(request: web.Request) -> web.Response:
        require_write(await api_principal(engine, request))
        return web.json_response({"changed": True})

    app = web.Application()
    app.router.add_get("/whoami", whoami)
    app.router.add_post("/change", change)
    return app


@pytest.fixture
async def server(engine: Engine) -> AsyncIterator[TestServer]:
    srv = TestServer(_app(engine), host="127.0.0.1", port=0)
    await srv.start_server()
    try:
        yield srv
    finally:
        await srv.close()


async def _get(
    srv: TestServer, auth: str | None, path: str = "/whoami"
) -> tuple[int, dict[str, Any], dict[str, Any]]:
    headers = {} if auth is None else {"Authorization": auth}
    method = "POST" if path == "/change" else "GET"
    async with (
        ClientSession() as http,
        http.request(method, srv.make_url(path), headers=headers) as resp,
    ):
        body = await resp.json(content_type=None)
        return resp.status, dict(resp.headers), body


async def test_a_bearer_token_names_the_caller(engine: Engine, server: TestServer) -> None:
    issued = await engine.access.create("dash")
    for header in [
        f"Bearer {issued.token}",
        f"bearer {issued.token}",
        f"BEARER   {issued.token}  ",
    ]:
        status, _, body = await _get(server, header)
        assert (status, body) == (200, {"id": issued.info.id, "name": "dash"}), header


async def test_every_bad_header_gets_the_same_problem_answer(
    engine: Engine, server: TestServer
) -> None:
    issued = await engine.access.create("dash")
    revoked = await engine.access.create("old")
    await engine.access.revoke(revoked.info.id)
    bad = [
        None,
        "",
        "Bearer",
        "Bearer ",
        f"Basic {issued.token}",
        f"Token {issued.token}",
        f"Bearer {issued.token} extra",
        f"Bearer{issued.token}",
        "Bearer ghp_16C7e42F292c6912E7710c838347Ae178B4a",  # another service's token
        f"Bearer {issued.token[:-2]}",
        f"Bearer {revoked.token}",
    ]
    for header in bad:
        status, headers, body = await _get(server, header)
        assert status == 401, header
        assert headers["WWW-Authenticate"].startswith("Bearer"), header
        assert headers["Content-Type"].startswith(PROBLEM_JSON), header
        assert body == {
            "type": "about:blank",
            "title": "Unauthorized",
            "status": 401,
            "detail": texts.INVALID_TOKEN,
        }, header


async def test_a_read_only_token_may_not_write(engine: Engine, server: TestServer) -> None:
    reader = await engine.access.create("reader")
    writer = await engine.access.create("writer", write=True)
    status, headers, body = await _get(server, f"Bearer {reader.token}", "/change")
    assert status == 403 and headers["Content-Type"].startswith(PROBLEM_JSON)
    assert body["status"] == 403 and body["detail"] == texts.WRITE_NEEDED
    status, _, body = await _get(server, f"Bearer {writer.token}", "/change")
    assert (status, body) == (200, {"changed": True})


def test_bearer_token_parsing() -> None:
    assert bearer_token("Bearer abc") == "abc"
    assert bearer_token(" bEaReR \t abc ") == "abc"
    assert bearer_token(None) is None
    assert bearer_token("Bearer a b") is None
    assert bearer_token("Basic abc") is None
