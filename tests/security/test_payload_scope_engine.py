"""Hole 11 (issue 12): a channel round's answer payload counts only from that round's
channel. Pressed (or guessed by round id) from a private chat or another group, it is
refused with a clear message and nothing is stored. SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.codec import decode
from bot.core.kernel.errors import UnknownPayload, WrongPlace
from bot.core.kernel.models import ChannelRef, CommunityRef, Kind, PlayerRef
from storage import SqlStore
from tests.support.doodles import GROUP, doodle_campaign, person, private, rows
from tests.support.engine import GENERAL, answer_payload, consented, player
from tests.support.seeds import seed_campaign

MOD = player(90, GENERAL, moderator=True)
ELSEWHERE = ChannelRef(
    "discord", "c9", "theirs", Kind.GROUP, CommunityRef("discord", "g9", "Their Guild")
)


async def test_a_round_button_pressed_outside_its_channel_is_refused(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    await seed_campaign(store, items=3)
    card = await engine.play.post_round(MOD)
    payload = answer_payload(card, "Yes")
    stranger_dm = player(5)  # the same user id space, in a DM
    stranger_group = PlayerRef("discord", "u6", "Eve", ELSEWHERE)
    await consented(engine, stranger_dm, stranger_group)
    clock.advance(5)
    for ref in (stranger_dm, stranger_group):
        with pytest.raises(WrongPlace, match="only in the channel") as refused:
            await engine.handle_button(ref, payload)
        assert "Shape Club" not in refused.value.message and "general" not in refused.value.message
    assert card.round_id is not None
    assert await store.round_answers(card.round_id) == []
    member = player(7, GENERAL)
    await consented(engine, member)
    reply = await engine.handle_button(member, payload)
    assert reply.notice and "Vote recorded" in reply.notice
    assert len(await store.round_answers(card.round_id)) == 1


async def test_a_doodle_guess_by_round_id_counts_only_in_its_channel(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    await doodle_campaign(store, ("cat",))
    mod = person(1, "Mo", GROUP, mod=True)
    card = await engine.play.post_round(mod)
    assert card.round_id is not None
    eve = person(50, "Eve")
    await consented(engine, eve)
    clock.advance(5)
    with pytest.raises(WrongPlace, match="only in the channel"):
        await engine.quickdraw.guess(private(eve), "cat", round_id=card.round_id)
    assert await rows(store, "SELECT id FROM guesses") == []
    reply = await engine.quickdraw.guess(eve, "cat", round_id=card.round_id)
    assert reply.notice
    assert len(await rows(store, "SELECT id FROM guesses")) == 1


@pytest.mark.parametrize(
    "text",
    [
        "v1:a:zzzzzzzzzzzzz:0",  # 13 base-36 digits: past a BIGINT (OverflowError in the store)
        "v1:r:1:zzzzzzzzzzzzz",
        "v1:c:7",  # yes/no payloads carry 1 or 0, nothing else
        "v1:f:9",
        "v1:p:h:5",
    ],
)
def test_payloads_out_of_range_are_not_mine(text: str) -> None:
    with pytest.raises(UnknownPayload):
        decode(text)
    assert decode("v1:c:1").args == (1,) and decode("v1:a:1y2p0ij32e8e7:0").args[0] == 2**63 - 1
