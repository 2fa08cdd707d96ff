"""Where discord.py connects: `[discord] api_base`, `gateway_url`, `cdn_base`.

discord.py has no constructor option for its endpoints; three class attributes decide them
(docs/platforms.md, Endpoints): `discord.http.Route.BASE` (REST, also interaction callbacks and
followups), `discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY` (the websocket; after READY
the client resumes at the gateway's own `resume_gateway_url`) and `discord.asset.Asset.BASE`
(CDN). They are process-global: set before `bot.start()`, restored on stop. An empty setting
leaves Discord's own. Never call `discord.http._set_api_version`: it resets `Route.BASE`.
"""

from __future__ import annotations

from dataclasses import dataclass

import discord
import yarl

from bot.config import DiscordSettings


@dataclass(frozen=True)
class Endpoints:
    api_base: str
    gateway: yarl.URL
    cdn_base: str


def current() -> Endpoints:
    return Endpoints(
        discord.http.Route.BASE,
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY,
        discord.asset.Asset.BASE,
    )


def apply(settings: DiscordSettings) -> Endpoints:
    """Point discord.py at the configured endpoints; returns what to restore."""
    saved = current()
    if settings.api_base:
        discord.http.Route.BASE = settings.api_base.rstrip("/")
    if settings.gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.gateway_url)
    if settings.cdn_base:
        discord.asset.Asset.BASE = settings.cdn_base.rstrip("/")
    return saved


def restore(saved: Endpoints) -> None:
    discord.http.Route.BASE = saved.api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = saved.gateway
    discord.asset.Asset.BASE = saved.cdn_base
