"""Player features end to end: consent, profile and boards, privacy, my data, forget."""

from __future__ import annotations

from bot.app import App
from bot.core.kernel import texts
from tests.support.discord_world import World, attachment_json, shown
from tests.support.fakes.discord import FakeUser
from tests.support.seeds import seed_campaign


async def test_accepting_consent_creates_the_player(world: World, app: App) -> None:
    ix = await world.slash(world.ann, "start")
    prompt = ix.original
    assert prompt is not None and ix.ephemeral
    assert texts.CONSENT_TITLE in shown(prompt) and "Nothing is stored until you agree" in shown(
        prompt
    )
    assert [b.label for b in prompt.buttons()] == ["✅ I agree", "No thanks"]

    await world.click(world.ann, prompt, "✅ I agree")
    await world.wait_shown(prompt, "Thanks, ann! You're in.")
    assert [b.label for b in prompt.buttons()] == ["▶ Play"]
    assert app.store is not None
    ident = await app.store.get_identity("discord", str(world.ann.id))
    assert ident is not None and ident.display_name == "ann"

    again = await world.slash(world.ann, "start")
    assert "Welcome back, ann" in shown(again.original) and again.ephemeral


async def test_declining_consent_stores_nothing(world: World, app: App) -> None:
    prompt = (await world.slash(world.bob, "start")).original
    assert prompt is not None
    await world.click(world.bob, prompt, "No thanks")
    await world.wait_shown(prompt, texts.DECLINED)
    assert prompt.buttons() == []
    assert app.store is not None
    assert await app.store.get_identity("discord", str(world.bob.id)) is None
    assert await app.store.list_communities() == []  # not even the server was recorded
    assert world.fake.channel_messages(world.channel) == []  # nothing public either


async def _answer_solo(world: World, user: FakeUser, count: int) -> None:
    card = (await world.slash(user, "play")).original
    for _ in range(count):
        assert card is not None
        world.clock.advance(5)
        press = await world.click(user, card, "Yes")
        card = await world.private_reply(press)


async def test_profile_and_leaderboards(world: World, app: App) -> None:
    assert app.store is not None
    await seed_campaign(app.store, game="verify", items=6, max_overlap=3)
    await world.consent(world.ann)
    await world.consent(world.bob)
    await _answer_solo(world, world.ann, 2)
    await _answer_solo(world, world.bob, 1)

    profile = await world.slash(world.ann, "profile")
    assert profile.ephemeral
    text = shown(profile.original)
    assert text.startswith("👤 ann") and "2 answers" in text and "Global rank #1 of 2" in text

    board = await world.slash(world.bob, "top", {"scope": "global", "window": "week"})
    assert not board.ephemeral  # boards are public
    lines = shown(board.original).splitlines()
    assert lines[0] == "🏆 Everyone · this week"
    assert lines[1].startswith("🥇 ann — ") and lines[2].startswith("🥈 bob — ")
    assert lines[2].endswith("← you")

    here = await world.slash(world.ann, "top")
    assert shown(here.original).splitlines()[0] == "🏆 Doodlers · all time"


async def test_privacy_hides_a_player_from_boards(world: World, app: App) -> None:
    assert app.store is not None
    await seed_campaign(app.store, game="verify", items=6)
    await world.consent(world.ann)
    await world.consent(world.bob)
    await _answer_solo(world, world.ann, 1)
    await _answer_solo(world, world.bob, 1)

    shown_first = await world.slash(world.ann, "privacy")
    panel = shown_first.original
    assert panel is not None and shown_first.ephemeral and "shown on" in shown(panel)
    await world.click(world.ann, panel, "Hide me from boards")
    await world.wait_shown(panel, "You are hidden from public leaderboards")
    board = await world.slash(world.bob, "top", {"scope": "global"})
    assert "ann" not in shown(board.original) and "bob" in shown(board.original)

    back = await world.slash(world.ann, "privacy", {"hide": False})
    assert "shown on" in shown(back.original)


async def test_mydata_sends_everything_as_a_private_file(world: World, app: App) -> None:
    assert app.store is not None
    await seed_campaign(app.store, game="verify", items=3)
    await world.consent(world.ann)
    await _answer_solo(world, world.ann, 1)
    ix = await world.slash(world.ann, "mydata")
    assert ix.ephemeral and ix.original is not None
    assert "Your data" in shown(ix.original)
    data = attachment_json(ix.original, "labelquest-my-data.json")
    assert data["identities"] == [
        {"platform": "discord", "user_id": str(world.ann.id), "name": "ann"}
    ]
    assert [a["answer"] for a in data["answers"]] == ["yes"]


async def test_forget_me_deletes_everything(world: World, app: App) -> None:
    assert app.store is not None
    await seed_campaign(app.store, game="verify", items=3)
    await world.consent(world.ann)
    await _answer_solo(world, world.ann, 1)
    ident = await app.store.get_identity("discord", str(world.ann.id))
    assert ident is not None and await app.store.player_answers(ident.player_id)

    ask = await world.slash(world.ann, "forget")
    prompt = ask.original
    assert prompt is not None and ask.ephemeral and texts.FORGET_ASK in shown(prompt)
    await world.click(world.ann, prompt, "🗑 Delete everything")
    await world.wait_shown(prompt, texts.FORGOTTEN)
    assert await app.store.get_identity("discord", str(world.ann.id)) is None
    assert await app.store.player_answers(ident.player_id) == []
    assert await app.store.get_player(ident.player_id) is None

    profile = await world.slash(world.ann, "profile")  # a stranger again: consent first
    assert texts.CONSENT_TITLE in shown(profile.original)


async def test_help_lists_the_commands(world: World, app: App) -> None:
    ix = await world.slash(world.ann, "help")
    assert ix.ephemeral and "/play" in shown(ix.original) and "/round" not in shown(ix.original)
    mod = await world.slash(world.mo, "help")
    assert "/round" in shown(mod.original)  # Manage Server makes a moderator
