"""The CDN of the Discord fake at `/cdn`: uploaded attachments and option files by id, and a
1x1 PNG for any other asset (avatars, icons). Every attachment served is recorded by id in
`cdn_fetches`, so a test can tell that a file was never downloaded."""

from __future__ import annotations

import base64

from aiohttp import web

from tests.support.fakes.discord.state import DiscordState

PNG_1X1 = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


class Cdn(DiscordState):
    """Serves bytes the bot (or a user's attachment option) uploaded."""

    async def _cdn(self, request: web.Request) -> web.Response:
        parts = request.match_info["tail"].split("/")
        if parts[0] in ("attachments", "ephemeral-attachments") and len(parts) >= 3:
            att = self.store.attachment(parts[2]) or self.option_files.get(parts[2])
            if att is None:
                raise web.HTTPNotFound()
            self.cdn_fetches.append(att.id)
            return web.Response(body=att.data, content_type=att.content_type)
        return web.Response(body=PNG_1X1, content_type="image/png")
