"""The button table: every payload action the codec knows has exactly one handler."""

from __future__ import annotations

import pytest

from bot.core.engine import Engine
from bot.core.kernel import codec
from bot.core.kernel.errors import UnknownPayload
from bot.core.kernel.models import PlayerRef


def test_every_codec_action_has_a_named_handler(engine: Engine) -> None:
    buttons = engine.kernel.ext.buttons
    assert set(buttons) == set(codec._ARITY)
    assert all(b.name and b.name[0].islower() for b in buttons.values())


def test_an_action_registered_twice_is_refused(engine: Engine) -> None:
    with pytest.raises(ValueError, match="registered twice"):
        engine.kernel.ext.button("a", "another answer", engine.play.press_answer)


async def test_a_well_formed_payload_of_an_unknown_action_gets_a_clear_answer(
    engine: Engine,
) -> None:
    ref = PlayerRef("telegram", "1", "Ann")
    with pytest.raises(UnknownPayload, match="not one of mine"):
        await engine.handle_button(ref, "v1:z:1")
