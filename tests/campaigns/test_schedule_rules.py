"""Schedule rules: active hours in a community's time zone (across DST), the daily
maximum, quiet days, and coalescing of runs missed while the bot was down."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.core.campaigns.schedule_rules import (
    Rule,
    describe,
    next_active,
    parse_days,
    parse_hours,
    plan,
    window_at,
)
from bot.core.kernel.errors import InvalidInput

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def at(tz: ZoneInfo, *parts: int) -> float:
    return datetime(*parts, tzinfo=tz).timestamp()  # type: ignore[misc]


def local(t: float, tz: ZoneInfo) -> str:
    return datetime.fromtimestamp(t, tz).strftime("%a %Y-%m-%d %H:%M")


def test_parse_hours_and_days() -> None:
    assert parse_hours("9-21") == (540, 1260)
    assert parse_hours("09:30-21:15") == (570, 1275)
    assert parse_hours("22:00-02:00") == (1320, 120)
    assert parse_hours("00:00-24:00") == (0, 1440)
    assert parse_hours("all") == (0, 0)
    assert parse_days("Sat, sunday") == frozenset({5, 6})
    assert parse_days("") == frozenset()
    for bad in ("9", "25-3", "9:75-10", "nine-ten"):
        with pytest.raises(InvalidInput, match="hours"):
            parse_hours(bad)
    with pytest.raises(InvalidInput, match="'funday' is not a day"):
        parse_days("sat,funday")


def test_a_rule_refuses_nonsense() -> None:
    with pytest.raises(InvalidInput, match="every"):
        Rule(0)
    with pytest.raises(InvalidInput, match="at least one day"):
        Rule(60, quiet_days=frozenset(range(7)))
    assert describe(Rule(30, 540, 1260, 8, frozenset({5, 6}))) == (
        "every 30 min, 09:00-21:00, at most 8 a day, quiet on sat,sun"
    )


def test_active_hours_keep_their_wall_clock_across_the_spring_dst_change() -> None:
    rule = Rule(60, 9 * 60, 21 * 60)
    # Berlin moves to summer time on Sunday 2026-03-29 at 02:00.
    saturday_evening = at(BERLIN, 2026, 3, 28, 21, 30)
    nxt = next_active(rule, saturday_evening, BERLIN)
    assert local(nxt, BERLIN) == "Sun 2026-03-29 09:00"
    assert nxt - saturday_evening == 11.5 * 3600 - 3600  # one hour shorter night
    assert window_at(rule, at(BERLIN, 2026, 3, 29, 20, 59), BERLIN) is not None
    assert window_at(rule, at(BERLIN, 2026, 3, 29, 21, 0), BERLIN) is None


def test_active_hours_across_the_autumn_dst_change_in_new_york() -> None:
    rule = Rule(60, 8 * 60, 20 * 60)
    # New York goes back to standard time on Sunday 2026-11-01 at 02:00.
    nxt = next_active(rule, at(NEW_YORK, 2026, 10, 31, 22, 0), NEW_YORK)
    assert local(nxt, NEW_YORK) == "Sun 2026-11-01 08:00"
    assert nxt - at(NEW_YORK, 2026, 10, 31, 22, 0) == 11 * 3600  # one hour longer night


def test_a_window_starting_in_the_spring_gap_opens_at_the_first_real_time() -> None:
    rule = Rule(60, 2 * 60 + 30, 5 * 60)
    nxt = next_active(rule, at(BERLIN, 2026, 3, 29, 0, 0), BERLIN)
    assert local(nxt, BERLIN) == "Sun 2026-03-29 03:30"


def test_a_window_crossing_midnight_belongs_to_the_day_it_opens() -> None:
    rule = Rule(60, 22 * 60, 2 * 60, quiet_days=frozenset({5}))  # quiet on Saturday
    friday_late = at(BERLIN, 2026, 1, 10, 1, 0)  # Saturday 01:00: Friday's window
    found = window_at(rule, friday_late, BERLIN)
    assert found is not None and found[2].isoformat() == "2026-01-09"
    saturday_night = at(BERLIN, 2026, 1, 10, 23, 0)
    assert window_at(rule, saturday_night, BERLIN) is None
    assert local(next_active(rule, saturday_night, BERLIN), BERLIN) == "Sun 2026-01-11 22:00"


def test_quiet_days_are_skipped() -> None:
    rule = Rule(60, 9 * 60, 17 * 60, quiet_days=parse_days("sat,sun"))
    friday_evening = at(BERLIN, 2026, 1, 9, 18, 0)
    d = plan(rule, friday_evening, BERLIN, "", 0)
    assert not d.post
    assert local(d.next_run_at, BERLIN) == "Mon 2026-01-12 09:00"


def test_max_rounds_per_day_then_the_next_window() -> None:
    rule = Rule(60, 9 * 60, 21 * 60, max_per_day=2)
    t = at(BERLIN, 2026, 1, 7, 9, 0)
    first = plan(rule, t, BERLIN, "", 0)
    assert first.post and first.day_count == 1 and first.next_run_at == t + 3600
    second = plan(rule, first.next_run_at, BERLIN, first.day_key, first.day_count)
    assert second.post and second.day_count == 2
    assert local(second.next_run_at, BERLIN) == "Thu 2026-01-08 09:00"
    # a run that is due anyway on the same day (e.g. a restored backup) does not post
    third = plan(rule, at(BERLIN, 2026, 1, 7, 15, 0), BERLIN, second.day_key, 2)
    assert not third.post and local(third.next_run_at, BERLIN) == "Thu 2026-01-08 09:00"
    # the count starts again on the next day
    nxt = plan(rule, second.next_run_at, BERLIN, second.day_key, second.day_count)
    assert nxt.post and nxt.day_count == 1 and nxt.day_key == "2026-01-08"


def test_runs_missed_while_down_are_coalesced_into_one() -> None:
    rule = Rule(10, 0, 0)
    due = at(BERLIN, 2026, 1, 7, 9, 0)
    back = due + 5 * 3600  # thirty runs were missed
    d = plan(rule, back, BERLIN, "2026-01-07", 3)
    assert d.post and d.day_count == 4
    assert d.next_run_at == back + 600  # from now on, not a burst of the missed ones


def test_a_run_due_outside_the_window_waits_for_the_next_opening() -> None:
    rule = Rule(30, 9 * 60, 12 * 60)
    d = plan(rule, at(BERLIN, 2026, 1, 7, 13, 0), BERLIN, "", 0)
    assert not d.post and local(d.next_run_at, BERLIN) == "Thu 2026-01-08 09:00"
    last = plan(rule, at(BERLIN, 2026, 1, 7, 11, 45), BERLIN, "", 0)
    assert last.post and local(last.next_run_at, BERLIN) == "Thu 2026-01-08 09:00"
