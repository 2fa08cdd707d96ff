"""Webhook use cases (`engine.webhooks`): register, list, remove, and a webhook's recent
deliveries; admins only.

Rules:
- only a bot admin (`Actor.is_admin`) manages webhooks; anyone else gets `NotFound`, exactly
  like a missing webhook or campaign, so a page or command reveals nothing;
- a new webhook gets a fresh secret (`whsec_` + 32 random bytes, URL-safe base64), returned
  ONCE by `add`; afterwards only its first characters (`prefix`) are shown. The secret is
  stored as given (it signs every delivery) and never logged;
- the URL is checked by `rules.check_url`; plain http to a host that is not loopback is
  accepted with a warning;
- `created_by` is the actor as "<platform>:<id>" (or "cli"), never a name.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from bot.core.kernel.context import Kernel
from bot.core.kernel.errors import NotFound
from bot.core.kernel.scope import Actor
from bot.core.webhooks import texts
from bot.core.webhooks.dispatch import Dispatcher, DispatchRules
from bot.core.webhooks.rules import SECRET_PREFIX, check_url
from storage import CampaignRow, DeliveryRow, NewWebhook, WebhookRow

log = logging.getLogger(__name__)

SECRET_BYTES = 32


@dataclass(frozen=True, slots=True)
class AddedWebhook:
    """A new webhook, its secret (shown this once) and a warning about its URL, if any."""

    webhook: WebhookRow
    secret: str
    warning: str | None


class WebhookCases:
    """Register, list and remove webhooks; read their deliveries (see the module docstring)."""

    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel
        self.observers: list[Callable[[str], None]] = []
        """Told each delivery attempt's outcome (`DELIVERED`, `RETRY`, `FAILED`)."""

    def dispatcher(self, rules: DispatchRules) -> Dispatcher:
        """A dispatcher over this engine with `rules`, reporting to `observers`."""
        return Dispatcher(self.k, rules, self.observers)

    async def add(self, actor: Actor, campaign_name: str, url: str) -> AddedWebhook:
        campaign = await self._campaign(actor, campaign_name)
        warning = check_url(url)
        secret = "whsec_" + secrets.token_urlsafe(SECRET_BYTES)
        row = await self.k.store.add_webhook(
            NewWebhook(
                campaign.id,
                url,
                secret,
                secret[: len("whsec_") + SECRET_PREFIX],
                _who(actor),
                self.k.now(),
            )
        )
        log.info("webhook %s added for campaign %s by %s", row.id, campaign.id, _who(actor))
        return AddedWebhook(row, secret, warning)

    async def all(self, actor: Actor) -> list[tuple[WebhookRow, CampaignRow | None]]:
        """Every webhook (removed ones too) with its campaign, oldest first."""
        if not actor.is_admin:
            return []
        out = []
        for hook in await self.k.store.list_webhooks():
            out.append((hook, await self.k.store.get_campaign(hook.campaign_id)))
        return out

    async def campaigns(self, actor: Actor) -> list[CampaignRow]:
        """The campaigns a webhook may be added to by this actor (admins: all)."""
        return await self.k.store.list_campaigns() if actor.is_admin else []

    async def get(self, actor: Actor, webhook_id: int) -> WebhookRow:
        row = await self.k.store.get_webhook(webhook_id)
        if row is None or not actor.is_admin:
            raise NotFound(texts.NO_SUCH_WEBHOOK, webhook_id=webhook_id)
        return row

    async def remove(self, actor: Actor, webhook_id: int) -> WebhookRow:
        """Stop the webhook for good; its deliveries stay listed."""
        row = await self.get(actor, webhook_id)
        await self.k.store.deactivate_webhook(row.id)
        log.info("webhook %s removed by %s", row.id, _who(actor))
        return row

    async def deliveries(
        self, actor: Actor, webhook_id: int, limit: int = 50
    ) -> tuple[WebhookRow, list[DeliveryRow]]:
        row = await self.get(actor, webhook_id)
        return row, await self.k.store.webhook_deliveries(row.id, limit)

    async def _campaign(self, actor: Actor, name: str) -> CampaignRow:
        found = await self.k.store.get_campaign_by_name(name)
        if found is None or not actor.is_admin:
            raise NotFound(texts.NO_SUCH_CAMPAIGN, name=name)
        return found


def _who(actor: Actor) -> str:
    ref = actor.ref
    return "cli" if ref.platform == "cli" else f"{ref.platform}:{ref.external_id}"
