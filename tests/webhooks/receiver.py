"""A loopback webhook receiver (aiohttp server on 127.0.0.1) for the webhook tests: it
records every request and answers with the statuses it is given, in turn (then 200), and can
hold requests until released (a slow receiver). Its signature check is the snippet of
docs/api.md, run as written."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

DOCS = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def docs_verify() -> Callable[..., bool]:
    """`verify` from the Webhooks section of docs/api.md (its Python block, executed)."""
    text = DOCS.read_text(encoding="utf-8")
    section = text[text.index("## Webhooks") :]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None, "docs/api.md: no Python block in ## Webhooks"
    scope: dict[str, Any] = {}
    exec(compile(code.group(1), str(DOCS), "exec"), scope)
    verify: Callable[..., bool] = scope["verify"]
    return verify


@dataclass
class Got:
    headers: dict[str, str]
    body: bytes
    verified: bool

    @property
    def doc(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    secret: str = ""
    statuses: list[int] = field(default_factory=list)
    got: list[Got] = field(default_factory=list)
    hold: asyncio.Event | None = None
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    now: Callable[[], float] | None = None
    url: str = ""
    _runner: web.AppRunner | None = None

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        verify = docs_verify()
        now = None if self.now is None else self.now()
        self.got.append(
            Got(dict(request.headers), body, verify(self.secret, request.headers, body, now))
        )
        self.arrived.set()
        if self.hold is not None:
            await self.hold.wait()
        return web.Response(status=self.statuses.pop(0) if self.statuses else 200)

    async def start(self) -> Receiver:
        app = web.Application()
        app.router.add_post("/hook", self.handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}/hook"
        return self

    async def stop(self) -> None:
        if self.hold is not None:
            self.hold.set()
        if self._runner is not None:
            await self._runner.cleanup()
