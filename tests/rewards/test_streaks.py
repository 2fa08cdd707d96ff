"""Daily streaks: calendar days in the player's zone, freezes, readable breaks, reminders."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.rewards import (
    StreakEvent,
    StreakEventKind,
    StreakHealth,
    StreakRules,
    StreakState,
    apply_activity,
    grant_freeze,
    mark_reminded,
    needs_reminder,
    status_at,
)

K = StreakEventKind
BERLIN = "Europe/Berlin"


def at(day: str, clock: str = "12:00", tz: str = "UTC") -> datetime:
    """The UTC instant of a local date and wall-clock time in `tz`, as the engine passes it."""
    local = datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=ZoneInfo(tz))
    return local.astimezone(UTC)


def play(
    moments: list[datetime],
    tz: str = "UTC",
    rules: StreakRules | None = None,
    state: StreakState | None = None,
) -> tuple[StreakState, list[StreakEvent]]:
    state = state or StreakState()
    events: list[StreakEvent] = []
    for moment in moments:
        if rules is None:
            state, new = apply_activity(state, moment, tz)
        else:
            state, new = apply_activity(state, moment, tz, rules)
        events.extend(new)
    return state, events


def days(first: str, count: int, clock: str = "12:00", tz: str = "UTC") -> list[datetime]:
    start = date.fromisoformat(first)
    return [at((start + timedelta(days=i)).isoformat(), clock, tz) for i in range(count)]


def test_consecutive_days_extend_the_streak() -> None:
    state, events = play(days("2026-11-01", 3))
    assert (state.current, state.best) == (3, 3)
    assert [e.kind for e in events] == [K.STARTED, K.EXTENDED, K.EXTENDED]
    assert events[-1].text == "streak day 3"


def test_a_second_answer_on_the_same_day_changes_nothing() -> None:
    state, _ = play([at("2026-11-01", "08:00")])
    again, events = apply_activity(state, at("2026-11-01", "23:59"))
    assert events == []
    assert again.current == 1


def test_a_gap_without_freeze_breaks_the_streak_and_says_why() -> None:
    state, events = play([*days("2026-11-01", 2), at("2026-11-04")])
    assert [e.kind for e in events][-2:] == [K.BROKEN, K.STARTED]
    assert events[-2].text == "your 2-day streak ended: missed 2026-11-03 with no freeze left"
    assert events[-2].day == date(2026, 11, 3)
    assert (state.current, state.best) == (1, 2)


def test_a_freeze_is_earned_after_7_days_and_forgives_one_missed_day() -> None:
    state, events = play(days("2026-11-01", 7))
    assert events[-1].kind is K.FREEZE_EARNED
    assert state.freezes == 1
    state, events = apply_activity(state, at("2026-11-09"))  # 2026-11-08 missed
    assert [e.kind for e in events] == [K.FREEZE_USED, K.EXTENDED]
    assert events[0].text == "used a streak freeze for 2026-11-08 (0 left)"
    assert (state.current, state.freezes) == (8, 0)


def test_two_missed_days_with_one_freeze_break_it_and_keep_the_freeze() -> None:
    state, _ = play(days("2026-11-01", 7))
    state, events = apply_activity(state, at("2026-11-10"))  # 11-08 and 11-09 missed
    assert [e.kind for e in events] == [K.BROKEN, K.STARTED]
    assert events[0].text == (
        "your 7-day streak ended: missed 2026-11-08 to 2026-11-09 (2 days) with only 1 freeze"
    )
    assert (state.current, state.best, state.freezes) == (1, 7, 1)


def test_the_missed_day_is_named_once_freezes_run_out() -> None:
    moments = [*days("2026-11-08", 7), *days("2026-11-16", 4), at("2026-11-21")]
    _, events = play(moments)  # 11-15 is frozen, 11-20 is not
    assert [e.kind for e in events].count(K.FREEZE_USED) == 1
    broken = [e for e in events if e.kind is K.BROKEN]
    assert [e.text for e in broken] == [
        "your 11-day streak ended: missed 2026-11-20 with no freeze left"
    ]


def test_freezes_stock_is_capped_and_configurable() -> None:
    state, events = play(days("2026-11-01", 28))
    assert state.freezes == 2
    assert [e.kind for e in events].count(K.FREEZE_EARNED) == 2
    rules = StreakRules(freeze_every_days=3, max_freezes=1)
    state, events = play(days("2026-11-01", 3), rules=rules)
    assert state.freezes == 1
    with pytest.raises(ValueError, match=r"streaks\.freeze_every_days"):
        StreakRules(freeze_every_days=0)


def test_grant_freeze_from_another_source_respects_the_cap() -> None:
    state, _ = play(days("2026-11-01", 1))
    state, events = grant_freeze(state, at("2026-11-01"), reason="a perfect calibration round")
    assert state.freezes == 1
    assert "perfect calibration round" in events[0].text
    full = StreakState(current=1, best=1, last_at=at("2026-11-01"), freezes=2)
    assert grant_freeze(full, at("2026-11-01")) == (full, [])


def test_the_day_boundary_follows_the_players_zone() -> None:
    late = [at("2026-11-20", "12:00"), at("2026-11-20", "23:30")]  # 23:30 UTC = 00:30 Berlin
    assert play(late, "UTC")[0].current == 1
    assert play(late, BERLIN)[0].current == 2

    straddle = [at("2026-11-19", "23:30"), at("2026-11-21", "12:00")]
    utc_events = play(straddle, "UTC")[1]
    assert K.BROKEN in [e.kind for e in utc_events]
    berlin_state, berlin_events = play(straddle, BERLIN)
    assert K.BROKEN not in [e.kind for e in berlin_events]
    assert berlin_state.current == 2


def test_dst_days_of_23_and_25_hours_count_as_one_day_each() -> None:
    spring = [at("2026-03-28", "23:30", BERLIN), at("2026-03-29", "23:30", BERLIN)]
    spring.append(at("2026-03-30", "00:15", BERLIN))
    assert spring[1] - spring[0] == timedelta(hours=23)
    assert play(spring, BERLIN)[0].current == 3

    autumn = [at("2026-10-24", "00:05", BERLIN), at("2026-10-25", "23:55", BERLIN)]
    assert autumn[1] - autumn[0] > timedelta(hours=48)  # still consecutive calendar days
    state, events = play(autumn, BERLIN)
    assert state.current == 2
    assert K.BROKEN not in [e.kind for e in events]


def test_moving_east_does_not_break_and_moving_west_does_not_double_count() -> None:
    state, _ = play([at("2026-11-20", "22:00", "America/Los_Angeles")], "America/Los_Angeles")
    east, events = apply_activity(state, at("2026-11-22", "09:00", "Asia/Tokyo"), "Asia/Tokyo")
    assert [e.kind for e in events] == [K.EXTENDED]
    assert east.current == 2

    state, _ = play([at("2026-11-21", "08:00", "Asia/Tokyo")], "Asia/Tokyo")
    la = "America/Los_Angeles"
    west, events = apply_activity(state, at("2026-11-20", "16:00", la), la)
    assert events == []
    assert west.current == 1


def test_activity_older_than_the_last_one_is_ignored() -> None:
    state, _ = play(days("2026-11-01", 2))
    assert apply_activity(state, at("2026-10-30")) == (state, [])


def test_bad_time_input_is_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        apply_activity(StreakState(), datetime(2026, 11, 1, 12, 0))
    with pytest.raises(ValueError, match="unknown time zone 'Europe/Berln'"):
        apply_activity(StreakState(), at("2026-11-01"), "Europe/Berln")


def test_status_alive_at_risk_broken() -> None:
    assert status_at(StreakState(), at("2026-11-01")).health is StreakHealth.NONE
    state, _ = play(days("2026-11-01", 3))
    alive = status_at(state, at("2026-11-03", "20:00"))
    assert (alive.health, alive.current) == (StreakHealth.ALIVE, 3)
    assert alive.breaks_at == datetime(2026, 11, 5, tzinfo=UTC)
    risk = status_at(state, at("2026-11-04", "20:00"))
    assert (risk.health, risk.freezes_needed) == (StreakHealth.AT_RISK, 0)
    broken = status_at(state, at("2026-11-05", "00:01"))
    assert (broken.health, broken.current) == (StreakHealth.BROKEN, 0)
    assert "missed 2026-11-04 with no freeze left" in broken.text


def test_status_counts_the_freezes_a_comeback_would_use() -> None:
    state, _ = play(days("2026-11-01", 14))  # two freezes
    status = status_at(state, at("2026-11-17"))  # 11-15 and 11-16 missed
    assert (status.health, status.freezes_needed) == (StreakHealth.AT_RISK, 2)
    assert "2 freezes will be used" in status.text
    assert status.breaks_at == datetime(2026, 11, 18, tzinfo=UTC)


def test_status_reads_the_day_in_the_players_zone() -> None:
    state, _ = play([at("2026-11-20", "12:00", BERLIN)], BERLIN)
    now = at("2026-11-21", "23:30")  # already 11-22 in Berlin
    assert status_at(state, now, "UTC").health is StreakHealth.AT_RISK
    assert status_at(state, now, BERLIN).health is StreakHealth.BROKEN


def test_reminder_fires_once_in_the_last_hours_of_an_unplayed_day() -> None:
    state, _ = play(days("2026-11-01", 3))
    assert not needs_reminder(state, at("2026-11-03", "21:00"), "UTC", 4)  # played today
    assert not needs_reminder(state, at("2026-11-04", "19:00"), "UTC", 4)  # too early
    assert needs_reminder(state, at("2026-11-04", "20:00"), "UTC", 4)
    reminded = mark_reminded(state, at("2026-11-04", "20:00"))
    assert not needs_reminder(reminded, at("2026-11-04", "22:00"), "UTC", 4)
    assert not needs_reminder(state, at("2026-11-05", "20:00"), "UTC", 4)  # already broken
    assert not needs_reminder(StreakState(), at("2026-11-04", "20:00"), "UTC", 4)
    assert not needs_reminder(state, at("2026-11-04", "20:00"), "UTC", 4, min_streak=5)


def test_reminder_uses_the_players_local_midnight() -> None:
    state, _ = play(days("2026-11-01", 3, tz=BERLIN), BERLIN)
    now = at("2026-11-04", "21:30")  # 22:30 in Berlin: 1.5 h left there, 2.5 h in UTC
    assert needs_reminder(state, now, BERLIN, 2)
    assert not needs_reminder(state, now, "UTC", 2)


def test_reminder_counts_real_hours_on_a_25_hour_day() -> None:
    state, _ = play([at("2026-10-24", "12:00", BERLIN)], BERLIN)
    # 2026-10-25 in Berlin lasts 25 hours: at 00:30 the day still has 24.5 hours to go.
    assert not needs_reminder(state, at("2026-10-25", "00:30", BERLIN), BERLIN, 24)
    assert needs_reminder(state, at("2026-10-25", "01:30", BERLIN), BERLIN, 24)


def test_reminder_window_is_validated() -> None:
    with pytest.raises(ValueError, match="remind_before_hours"):
        needs_reminder(StreakState(), at("2026-11-01"), "UTC", 0)


ZONES = st.sampled_from(["UTC", BERLIN, "America/New_York", "Asia/Kolkata", "Pacific/Chatham"])
BASE = datetime(2026, 3, 1, tzinfo=UTC)


@settings(max_examples=150)
@given(st.lists(st.integers(0, 90 * 24 * 60), min_size=1, max_size=60), ZONES)
def test_streak_never_exceeds_the_active_days(minutes: list[int], tz: str) -> None:
    moments = [BASE + timedelta(minutes=m) for m in sorted(minutes)]
    state, _ = play(moments, tz)
    active_days = {m.astimezone(ZoneInfo(tz)).date() for m in moments}
    assert 1 <= state.current <= state.best <= len(active_days)
    assert state.freezes <= 2


@settings(max_examples=150)
@given(st.lists(st.tuples(st.integers(1, 22 * 60), ZONES), min_size=1, max_size=40))
def test_answering_at_least_every_22_hours_never_breaks_whatever_the_zone(
    steps: list[tuple[int, str]],
) -> None:
    state, moment = StreakState(), BASE
    for gap, tz in steps:
        moment += timedelta(minutes=gap)
        state, events = apply_activity(state, moment, tz)
        assert K.BROKEN not in [e.kind for e in events]
