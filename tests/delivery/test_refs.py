"""Message references: one format for both chats, and garbage is never an exception."""

from __future__ import annotations

import pytest

from bot.delivery import MessageRef, clip, parse_id


def test_a_reference_round_trips_through_its_text() -> None:
    ref = MessageRef(12, 34)
    assert str(ref) == "12:34"
    assert MessageRef.parse(str(ref)) == ref


def test_a_telegram_group_reference_has_a_negative_channel() -> None:
    assert MessageRef.parse("-1001234567890:45") == MessageRef(-1001234567890, 45)
    assert str(MessageRef(-100123, 45)) == "-100123:45"


def test_a_discord_snowflake_reference_keeps_its_precision() -> None:
    ref = MessageRef.parse("1234567890123456789:987654321098765432")
    assert ref == MessageRef(1234567890123456789, 987654321098765432)


@pytest.mark.parametrize(
    "garbage",
    [
        None,
        "",
        "garbage",
        ":",
        "12:",
        ":34",
        "12:34:56",
        "12-34",
        " 12:34",
        "12:34\n",
        "12:-34",  # message ids are never negative
        "+12:34",
        "--12:34",
        "1_2:34",
        "0x1f:34",
        "١٢:٣٤",  # digits, but not ASCII ones
        "12.0:34",
        "channel:message",
    ],
)
def test_garbage_is_not_a_reference(garbage: str | None) -> None:
    assert MessageRef.parse(garbage) is None


def test_platform_ids_as_text() -> None:
    assert parse_id("42") == 42
    assert parse_id("-100123") == -100123
    for garbage in ("", "-", "4 2", "x", "42\n", "+42", "4.2"):
        assert parse_id(garbage) is None


def test_clip_keeps_what_fits_and_marks_a_cut() -> None:
    assert clip("short", 200) == "short"
    assert clip("x" * 200, 200) == "x" * 200
    cut = clip("x" * 201, 200)
    assert len(cut) == 200 and cut.endswith("…")
