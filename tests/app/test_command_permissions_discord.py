"""Who sees which slash command (issue 12, hole 19).

Moderator and admin commands carry `default_member_permissions` = Manage Server (bit 5,
"32") in the sync payload, so Discord shows them only to members who have it (server admins
can change that in Server Settings > Integrations); player commands carry none. The
server-side check stays: a member let in by such an override is still refused.
"""

from __future__ import annotations

from bot.app import App
from tests.support.discord_world import MANAGE_GUILD, World, shown

MODERATOR_COMMANDS = {
    "campaign",
    "round",
    "review",
    "standing",
    "report",
    "announce",
    "export",
    "audit",
    "dashboard",
    "hide",
}


async def test_moderator_commands_need_manage_server_by_default(world: World, app: App) -> None:
    synced = {c["name"]: c for c in world.fake.global_commands}
    assert set(synced) >= MODERATOR_COMMANDS, sorted(synced)
    for name, command in synced.items():
        wanted = str(MANAGE_GUILD) if name in MODERATOR_COMMANDS else None
        assert command.get("default_member_permissions") == wanted, (name, command)
    assert str(MANAGE_GUILD) == "32"


async def test_player_commands_stay_visible_to_everyone(world: World, app: App) -> None:
    synced = {c["name"]: c for c in world.fake.global_commands}
    for name in ("start", "help", "play", "profile", "top", "guess", "badges", "forget"):
        assert synced[name].get("default_member_permissions") is None, name


async def test_the_server_side_check_still_refuses_a_member(world: World, app: App) -> None:
    """Even when a server admin lets everyone use /campaign in Integrations."""
    await world.consent(world.bob)
    ix = await world.fake.slash(world.bob, world.channel, "campaign", subcommand="list")
    refused = await ix.wait_done()
    assert refused.ephemeral
    assert "Only moderators" in shown(refused.original), shown(refused.original)
