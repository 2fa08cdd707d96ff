"""Component presses and modal submissions the bot does not recognise (issue 12, hole 18).

discord.py drops a component interaction whose custom_id matches no DynamicItem template and
no View item, and a modal submission no Modal waits for: the user would see "This
interaction failed". Each must get the engine's UNKNOWN_BUTTON text, privately, within
Discord's 3 s (the fake enforces the deadline and one response per interaction), while the
presses the bot does handle are answered exactly once.
"""

from __future__ import annotations

import pytest

from bot.app import App
from bot.core.kernel import texts
from tests.support.discord_world import World, labels, shown
from tests.support.doodles import doodle_campaign
from tests.support.fakes.discord import FakeInteraction, StoredMessage
from tests.support.seeds import seed_campaign

SELECT = 3  # a string select menu's component type


def _old_message(world: World) -> StoredMessage:
    """A message an older bot version (or anyone) left in #play, with a plain button."""
    row = [{"type": 2, "style": 2, "label": "Old", "custom_id": "old"}]
    body = {"content": "an old card", "components": [{"type": 1, "components": row}]}
    return world.fake.store.create(world.channel, world.fake.bot_user, body, [])


def _callbacks(world: World, ix: FakeInteraction) -> list[int]:
    """The status of every acknowledgement the bot attempted for `ix` (a second one is 400)."""
    return [
        c.status
        for c in world.fake.calls
        if c.method == "POST" and c.path.startswith(f"/interactions/{ix.id}/")
    ]


async def _told_unknown(world: World, ix: FakeInteraction) -> None:
    await ix.wait_done(timeout=world.fake.ack_deadline or 3.0)
    assert not ix.expired
    assert ix.ephemeral and shown(ix.original) == texts.UNKNOWN_BUTTON, shown(ix.original)
    assert _callbacks(world, ix) == [200]


@pytest.mark.parametrize(
    "custom_id",
    ["garbage", "v2:a:1:0", "v1:a:1:0:9:9", "", "v1:A:1", "x" * 100],
    ids=["garbage", "future-version", "too-many-args", "empty", "upper", "long"],
)
async def test_a_button_the_bot_does_not_know_gets_a_private_answer(
    world: World, app: App, custom_id: str
) -> None:
    old = _old_message(world)
    press = await world.fake.press(world.ann, old, custom_id)
    await _told_unknown(world, press)
    assert old.content == "an old card" and old.history == []  # never touched


@pytest.mark.parametrize("custom_id", ["pick-one", "v1:a:1:0"], ids=["foreign", "payload-like"])
async def test_a_select_menu_the_bot_does_not_know_gets_a_private_answer(
    world: World, app: App, custom_id: str
) -> None:
    """A select menu is never the bot's, even when its custom_id looks like a payload."""
    press = await world.fake.press(
        world.ann, _old_message(world), custom_id, component_type=SELECT, values=["x"]
    )
    await _told_unknown(world, press)


async def test_a_select_menu_with_a_payload_id_on_the_message_is_not_taken_for_a_button(
    world: World, app: App
) -> None:
    """discord.py offers it to `PayloadButton` (the template matches): it must neither run
    the engine nor log an error, and the user is still answered once."""
    row = [{"type": 3, "custom_id": "v1:a:1:0", "options": [{"label": "x", "value": "x"}]}]
    body = {"content": "a menu", "components": [{"type": 1, "components": row}]}
    menu = world.fake.store.create(world.channel, world.fake.bot_user, body, [])
    press = await world.fake.press(world.ann, menu, "v1:a:1:0", component_type=SELECT)
    await _told_unknown(world, press)
    assert menu.history == []


async def test_a_modal_the_bot_does_not_know_gets_a_private_answer(world: World, app: App) -> None:
    """E.g. the guess modal of a process that has since restarted, or a foreign one."""
    for custom_id in ("lq:guess:42", "someone-elses-modal"):
        sent = await world.fake.submit_modal(world.ann, world.channel, custom_id, {"w": "cat"})
        await _told_unknown(world, sent)


async def test_a_valid_payload_still_works_and_is_answered_once(world: World, app: App) -> None:
    assert app.store is not None
    await seed_campaign(app.store, game="classify", items=4, min_overlap=5, max_overlap=7)
    await world.consent(world.ann)
    solo = (await world.slash(world.ann, "play")).original
    assert solo is not None and labels(solo)
    world.clock.advance(5)
    press = await world.click(world.ann, solo, "blue")
    await press.wait_done()
    await world.wait_shown(solo, "blue")
    assert _callbacks(world, press) == [200]
    assert texts.UNKNOWN_BUTTON not in shown(solo)
    assert all(texts.UNKNOWN_BUTTON not in shown(m) for m in press.followups)


async def test_the_guess_modal_the_bot_opened_is_answered_once(world: World) -> None:
    app = await world.start_app()
    assert app.store is not None
    await doodle_campaign(app.store, ("cat",), now=world.clock.now())
    await world.consent(world.ann)
    card = await world.post_round()
    world.clock.advance(4)
    opened = await (await world.click(world.ann, card, "Guess ✏️")).wait_done()
    assert opened.modal is not None and _callbacks(world, opened) == [200]
    (field,) = opened.modal_fields()
    sent = await world.fake.submit_modal(
        world.ann, None, opened.modal["custom_id"], {field.custom_id: "Cat"}
    )
    await sent.wait_done()
    assert "Yes, it's cat" in shown(sent.original)
    assert _callbacks(world, sent) == [200]
