"""Test-side world and actions for the Discord adapter's end-to-end tests.

The REAL entry point runs: `bot.app.App` with `DISCORD_TOKEN` set and `[discord] api_base`,
`gateway_url`, `cdn_base` pointing at a `FakeDiscord` (the endpoints are NOT patched by the
test: the adapter must apply them from the settings). Users act through the fake (`slash`,
`click`); tests wait for what a user would see, never sleep.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.app import App
from bot.config import Settings
from bot.core.kernel import codec
from bot.core.kernel.clock import ManualClock
from tests.support.fakes.discord import (
    FakeChannel,
    FakeDiscord,
    FakeGuild,
    FakeInteraction,
    FakeUser,
    StoredMessage,
)
from tests.support.settings import db_path, settings_for

MANAGE_GUILD = 1 << 5
PRIVILEGED = (1 << 1) | (1 << 8) | (1 << 15)  # members, presences, message content


def shown(message: StoredMessage | None) -> str:
    """Everything a user reads on a message: its content and its embeds' text."""
    if message is None:
        return ""
    parts = [message.content]
    for embed in message.embeds:
        parts += [embed.get("title") or "", embed.get("description") or ""]
    return "\n".join(p for p in parts if p)


def labels(message: StoredMessage) -> list[str | None]:
    return [b.label for b in message.buttons()]


def round_of(message: StoredMessage) -> int:
    """The round id carried by the answer buttons of a card."""
    for button in message.buttons():
        if button.custom_id and button.custom_id.startswith("v1:a:"):
            return codec.decode(button.custom_id).args[0]
    raise LookupError(f"message {message.id} has no answer button: {labels(message)}")


@dataclass
class World:
    """A guild "Doodlers" with channel #play, players ann, bob and cat, moderator mo."""

    fake: FakeDiscord
    tmp_path: Path
    clock: ManualClock = field(default_factory=ManualClock)
    apps: list[App] = field(default_factory=list)

    def __post_init__(self) -> None:
        fake = self.fake
        self.guild: FakeGuild = fake.add_guild("Doodlers")
        self.channel: FakeChannel = fake.add_channel(self.guild, "play")
        self.ann, self.bob, self.cat = fake.user("ann"), fake.user("bob"), fake.user("cat")
        self.mo = fake.user("mo")
        for user in (self.ann, self.bob, self.cat):
            fake.add_member(self.guild, user)
        fake.add_member(self.guild, self.mo, permissions=MANAGE_GUILD)

    def settings(self, **discord: Any) -> Settings:
        values = {
            "api_base": self.fake.api_base,
            "gateway_url": self.fake.gateway_url,
            "cdn_base": self.fake.cdn_base,
            "guild_ready_timeout": 0.05,
            "edit_interval": 0.05,
            **discord,
        }
        return settings_for(db_path(self.tmp_path), discord=values)

    async def start_app(
        self, *, token: str | None = None, settings: Settings | None = None, **discord: Any
    ) -> App:
        env = {"DISCORD_TOKEN": self.fake.token if token is None else token}
        app = App(
            settings or self.settings(**discord), clock=self.clock, environ=env, scheduler=False
        )
        await app.start()
        self.apps.append(app)
        return app

    async def stop_app(self, app: App) -> None:
        await app.stop()
        self.apps.remove(app)

    async def slash(
        self,
        user: FakeUser,
        name: str,
        options: dict[str, Any] | None = None,
        channel: FakeChannel | None = None,
    ) -> FakeInteraction:
        """`/name options` in #play (or `channel`), once the user sees the answer."""
        ix = await self.fake.slash(user, channel or self.channel, name, options)
        return await ix.wait_done()

    async def click(self, user: FakeUser, message: StoredMessage, label: str) -> FakeInteraction:
        custom_id = message.button(label).custom_id
        assert custom_id is not None
        return await self.fake.click(user, message, custom_id)

    async def wait_shown(self, message: StoredMessage, text: str) -> StoredMessage:
        """Wait until `message` (as it is NOW, edits included) shows `text`."""
        await self.fake.wait_until(
            lambda: text in shown(message), what=f"message {message.id} to show {text!r}"
        )
        return message

    async def private_reply(self, ix: FakeInteraction, index: int = 0) -> StoredMessage:
        """The `index`-th followup of a button press; it must be private to the presser."""
        followups = await ix.wait_followups(index + 1)
        message = followups[index]
        assert message.ephemeral, f"followup {message.id} is public: {shown(message)!r}"
        return message

    async def consent(self, user: FakeUser, channel: FakeChannel | None = None) -> None:
        ix = await self.slash(user, "start", channel=channel)
        prompt = ix.original
        assert prompt is not None and ix.ephemeral
        await self.click(user, prompt, "✅ I agree")
        await self.wait_shown(prompt, "You're in")

    async def post_round(self, moderator: FakeUser | None = None) -> StoredMessage:
        """A moderator's /round in #play; returns the public round message."""
        before = {m.id for m in self.fake.channel_messages(self.channel)}
        ix = await self.slash(moderator or self.mo, "round")
        assert ix.ephemeral and "Round posted" in shown(ix.original), shown(ix.original)
        (card,) = [m for m in self.fake.channel_messages(self.channel) if m.id not in before]
        return card


def attachment_json(message: StoredMessage, filename: str) -> Any:
    (found,) = [a for a in message.attachments if a.filename == filename]
    return json.loads(found.data)


def sharded_app(
    fake: FakeDiscord,
    db_url: str,
    clock: ManualClock,
    *,
    shard_ids: list[int] | None = None,
    gateway: bool = True,
) -> App:
    """An App (not started, no scheduler) running `shard_ids` of the fake's two shards, or
    none over REST with `gateway=False`."""
    discord_values: dict[str, Any] = {
        "api_base": fake.api_base,
        "gateway_url": fake.gateway_url,
        "cdn_base": fake.cdn_base,
        "guild_ready_timeout": 0.05,
        "edit_interval": 0.05,
        "shard_count": 2,
        "shard_ids": shard_ids or [],
        "gateway": gateway,
    }
    settings = settings_for(
        db_url, discord=discord_values, game={"round_seconds": 60}, campaigns={"hours": "all"}
    )
    return App(settings, clock=clock, environ={"DISCORD_TOKEN": fake.token}, scheduler=False)
