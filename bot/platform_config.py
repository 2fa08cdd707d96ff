"""The platform sections of the settings, `[telegram]` and `[discord]`, and their checks that
involve several keys (webhook mode, shards, the REST-only gateway switch, the API base).

`bot.config` builds and validates every section; it re-exports what is here.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from bot.core.kernel.settings import _rng


class ConfigError(Exception):
    """A bad configuration file; the message is one line naming file, key and problem."""


@dataclass(frozen=True)
class TelegramSettings:
    token_env: str = "TELEGRAM_TOKEN"
    base_url: str = ""
    base_file_url: str = ""
    poll_timeout: float = field(default=10.0, metadata=_rng(0.0, 60.0))
    edit_interval: float = field(default=1.0, metadata=_rng(0.0, 60.0))
    mode: str = field(default="polling", metadata={"choices": ("polling", "webhook")})
    webhook_url: str = ""
    webhook_secret_env: str = "TELEGRAM_WEBHOOK_SECRET"
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = field(default=8443, metadata=_rng(0, 65535))
    webhook_path: str = ""
    webhook_max_connections: int = field(default=40, metadata=_rng(1, 100))


#: Far above any real bot (Discord asks for one shard per 2,500 servers at most).
MAX_SHARDS = 65536


@dataclass(frozen=True)
class DiscordSettings:
    token_env: str = "DISCORD_TOKEN"
    api_base: str = ""
    gateway_url: str = ""
    cdn_base: str = ""
    dev_guild_ids: list[int] = field(default_factory=list)
    moderator_role: str = ""
    message_content: bool = False
    guild_ready_timeout: float = field(default=2.0, metadata=_rng(0.0, 60.0))
    edit_interval: float = field(default=1.0, metadata=_rng(0.0, 60.0))
    shard_count: int = field(default=0, metadata=_rng(0, MAX_SHARDS))
    shard_ids: list[int] = field(default_factory=list)
    #: False: log in over REST only (send, edit, DM), no gateway session, no events, no
    #: command sync: for a process that runs no shard but may lead the scheduler.
    gateway: bool = True

    @property
    def syncs_commands(self) -> bool:
        """Whether this process syncs the application commands: only the one that runs
        shard 0 (or all shards) over the gateway does, so N processes sync once."""
        return self.gateway and (not self.shard_ids or 0 in self.shard_ids)

    def with_shards(self, shard_count: int | None, shard_ids: list[int] | None) -> DiscordSettings:
        """A copy with the `--shard-count` / `--shards` overrides (None keeps the value)."""
        return dataclasses.replace(
            self,
            shard_count=self.shard_count if shard_count is None else shard_count,
            shard_ids=self.shard_ids if shard_ids is None else list(shard_ids),
        )


def shard_problem(
    shard_count: int, shard_ids: list[int], *, count_key: str, ids_key: str
) -> str | None:
    """What is wrong with a shard selection, naming the keys (config keys or CLI flags), or
    None. Rules: `shard_count` 0 lets Discord choose and runs every shard in this process, so
    it takes no `shard_ids`; otherwise each id is distinct and in 0..shard_count-1; an empty
    list runs every shard."""
    if shard_count < 0:
        return f"{count_key}: must be at least 0, got {shard_count}"
    if shard_ids and shard_count == 0:
        return (
            f"{ids_key}: needs {count_key} (the total number of shards over all processes);"
            f" got {ids_key} {shard_ids} with {count_key} 0"
        )
    for shard_id in shard_ids:
        if not 0 <= shard_id < shard_count:
            return (
                f"{ids_key}: shard {shard_id} is out of range: shards are numbered 0 to"
                f" {count_key} - 1 = {shard_count - 1}"
            )
    repeated = sorted({i for i in shard_ids if shard_ids.count(i) > 1})
    if repeated:
        return f"{ids_key}: shard {repeated[0]} is listed twice"
    return None


def gateway_problem(
    gateway: bool, shard_ids: list[int], *, gateway_key: str, ids_key: str
) -> str | None:
    """Rule: a REST-only process (`gateway` false) runs no shard, so it takes no `shard_ids`.
    The message names the keys (config keys or CLI flags)."""
    if gateway or not shard_ids:
        return None
    return (
        f"{gateway_key}: this process runs no shard (REST only), but {ids_key} is"
        f" {shard_ids}: drop {ids_key} or run this process over the gateway"
    )


def check_platform(obj: Any, fname: str) -> None:
    """The cross-key rules of `[discord]` and `[telegram]` (other sections pass)."""
    if isinstance(obj, DiscordSettings):
        _check_api_base(obj.api_base, fname)
        problem = shard_problem(
            obj.shard_count,
            obj.shard_ids,
            count_key="[discord] shard_count",
            ids_key="[discord] shard_ids",
        )
        problem = problem or gateway_problem(
            obj.gateway,
            obj.shard_ids,
            gateway_key="[discord] gateway = false",
            ids_key="[discord] shard_ids",
        )
        if problem is not None:
            raise ConfigError(f"{fname}: {problem}")
    if isinstance(obj, TelegramSettings):
        _check_webhook(obj, fname)


#: `[discord] api_base` replaces discord.py's whole REST base (`discord.http.Route.BASE`), the
#: API version included: `https://discord.com/api/v10`, never a bare host.
API_VERSIONED = re.compile(r"/api/v\d+/?\Z")


def _check_api_base(url: str, fname: str) -> None:
    if url and not API_VERSIONED.search(url):
        raise ConfigError(
            f"{fname}: [discord] api_base: must end with the API version, e.g."
            f" https://discord.com/api/v10 (it replaces discord.py's whole REST base),"
            f" got {url!r}: add /api/v10"
        )


def _check_webhook(cfg: TelegramSettings, fname: str) -> None:
    """Webhook mode needs the public HTTPS URL Telegram calls (Telegram refuses plain http)
    and the name of the secret's environment variable; a served path starts with `/`."""
    where = f"{fname}: [telegram]"
    url = urlsplit(cfg.webhook_url)
    if cfg.webhook_url and (url.scheme != "https" or not url.hostname):
        raise ConfigError(
            f"{where} webhook_url: must be the public https:// URL Telegram calls, e.g."
            f" https://bot.example.org/telegram, got {cfg.webhook_url!r}"
        )
    if cfg.webhook_path and not cfg.webhook_path.startswith("/"):
        raise ConfigError(
            f"{where} webhook_path: must start with '/', e.g. /telegram, got {cfg.webhook_path!r}"
        )
    if cfg.mode != "webhook":
        return
    if not cfg.webhook_url:
        raise ConfigError(
            f'{where} webhook_url: mode = "webhook" needs the public https:// URL Telegram'
            " calls (your reverse proxy), e.g. https://bot.example.org/telegram"
        )
    if not cfg.webhook_secret_env.strip():
        raise ConfigError(
            f'{where} webhook_secret_env: mode = "webhook" needs the name of the environment'
            " variable holding the webhook's secret token"
        )
