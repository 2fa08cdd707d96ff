"""Quality rules, pure: gold mixing, onboarding, reliability and spam flags.

- **Gold mixing** (Zooniverse's decaying schedule, [Z5] in docs/quality.md): the chance that a
  player's next solo task is a gold item is `max(campaign gold_rate, schedule(n))`, where n
  is how many answers the player gave in the campaign and the schedule is a list of
  `[answers, rate]` steps (default 50% for the first 10, 20% for the next 40, 10% for the
  next 50) followed by `gold_floor` (5%). The roll is a hash of (player, campaign, n), so it
  is reproducible.
- **Onboarding**: a player's first K gold answers in a campaign are the tutorial (K =
  `onboarding_items`, default 5, and solo play serves gold until they are done). Their other
  answers count toward labels only once `onboarding_pass` of the K were right (default 4);
  a campaign with fewer than K gold items scales both numbers down. A player who fails may
  retry after `onboarding_cooldown_minutes`.
- **Reliability**: the Beta-posterior mean accuracy from gold,
  `q = (a + right) / (a + b + answered)` with prior Beta(a, b) (default a=4, b=1: a new
  player is trusted at 0.8).
- **Spam flags** (the answer is stored but left out of aggregation and earns no points):
  `too_fast` (answered in under `min_answer_ms`, from the player's `fast_answers_to_flag`-th
  such answer in the campaign on, in a row or not; the ones before count as usual and are
  tallied under `too_fast_allowed` in the standing's flags), `same_answer_run` (the N-th and
  later of N identical answers in a row), `low_gold_accuracy` (gold accuracy under the floor
  after at
  least `gold_floor_min_answers` gold answers). Exclusions that are not spam: `onboarding`
  and `onboarding_failed` (base points are still paid).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, fields, replace
from operator import attrgetter
from typing import Any

from bot.core.kernel.settings import QualitySettings
from storage import Standing

SPAM_FLAGS = frozenset({"too_fast", "same_answer_run", "low_gold_accuracy"})
PENDING, PASSED, FAILED = "pending", "passed", "failed"
# A counter kept in a standing's flags JSON beside the flag counts (no schema change): the
# too-fast answers that were let through before `fast_answers_to_flag` was reached.
FAST_ALLOWED = "too_fast_allowed"
COUNTERS = frozenset({FAST_ALLOWED})


def shown_flags(flags: dict[str, int]) -> dict[str, int]:
    """The flag counts of a standing worth showing: counters and zero counts left out."""
    return {f: n for f, n in flags.items() if n > 0 and f not in COUNTERS}


@dataclass(frozen=True, slots=True)
class QualityRules:
    prior_correct: float = 4.0
    prior_wrong: float = 1.0
    onboarding_items: int = 5
    onboarding_pass: int = 4
    onboarding_cooldown_s: float = 3600.0
    gold_schedule: tuple[tuple[int, float], ...] = ((10, 0.5), (40, 0.2), (50, 0.1))
    gold_floor: float = 0.05
    min_answer_ms: int = 1200
    fast_answers_to_flag: int = 3
    same_answer_run: int = 12
    gold_accuracy_floor: float = 0.5
    gold_floor_min_answers: int = 6

    @classmethod
    def from_settings(cls, q: QualitySettings) -> QualityRules:
        return cls(
            prior_correct=q.prior_correct,
            prior_wrong=q.prior_wrong,
            onboarding_items=q.onboarding_items,
            onboarding_pass=q.onboarding_pass,
            onboarding_cooldown_s=q.onboarding_cooldown_minutes * 60.0,
            gold_schedule=tuple((int(a), float(r)) for a, r in q.gold_schedule),
            gold_floor=q.gold_floor,
            min_answer_ms=q.min_answer_ms,
            fast_answers_to_flag=q.fast_answers_to_flag,
            same_answer_run=q.same_answer_run,
            gold_accuracy_floor=q.gold_accuracy_floor,
            gold_floor_min_answers=q.gold_floor_min_answers,
        )


def reliability(st: Standing, rules: QualityRules) -> float:
    a, b = rules.prior_correct, rules.prior_wrong
    return (a + st.gold_right) / (a + b + st.gold_answered)


def gold_rate(answers_so_far: int, campaign_rate: float, rules: QualityRules) -> float:
    n = answers_so_far
    for count, rate in rules.gold_schedule:
        if n < count:
            return max(campaign_rate, rate, rules.gold_floor)
        n -= count
    return max(campaign_rate, rules.gold_floor)


def roll(*parts: object) -> float:
    """A reproducible uniform number in [0, 1) from the given parts."""
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def onboarding_target(rules: QualityRules, gold_items: int) -> tuple[int, int]:
    """(tutorial length, right answers needed), scaled down when gold is scarce."""
    k = min(rules.onboarding_items, gold_items)
    if k <= 0 or rules.onboarding_items <= 0:
        return 0, 0
    need = math.ceil(rules.onboarding_pass * k / rules.onboarding_items)
    return k, need


def effective_onboarding(st: Standing, rules: QualityRules, gold_items: int) -> str:
    """PASSED when the campaign has no tutorial, else the stored state."""
    k, _ = onboarding_target(rules, gold_items)
    return PASSED if k == 0 else st.onboarding


def retry_wait(st: Standing, rules: QualityRules, now: float) -> float:
    """Seconds until a player who failed onboarding may retry (0 when they may)."""
    if st.onboarding != FAILED or st.onboarding_failed_at is None:
        return 0.0
    return max(0.0, st.onboarding_failed_at + rules.onboarding_cooldown_s - now)


def restart_onboarding(st: Standing) -> Standing:
    return replace(st, onboarding=PENDING, onboarding_answered=0, onboarding_right=0)


@dataclass(frozen=True, slots=True)
class Assessment:
    standing: Standing
    flag: str | None
    counts: bool
    onboarding_event: str | None = None


def assess(
    st: Standing,
    *,
    label: str,
    is_gold: bool,
    correct: bool | None,
    latency_ms: int | None,
    now: float,
    rules: QualityRules,
    gold_items: int,
) -> Assessment:
    """Apply one answer to a standing: the new standing, the flag (if any) and whether the
    answer counts toward the item's label. See the module docstring for the rules."""
    same_run = st.same_run + 1 if label == st.last_label else 1
    st, flag = _spam_flag(st, same_run, is_gold=is_gold, latency_ms=latency_ms, rules=rules)
    st = _replace(st, answers=st.answers + 1, last_label=label, same_run=same_run)
    event = None
    if is_gold:
        right = bool(correct)
        st = replace(st, gold_answered=st.gold_answered + 1, gold_right=st.gold_right + right)
        st, event = _onboarding_step(st, right, now, rules, gold_items)
    elif flag is None:
        state = effective_onboarding(st, rules, gold_items)
        if state == PENDING:
            flag = "onboarding"
        elif state == FAILED:
            flag = "onboarding_failed"
    if flag is not None:
        flags = dict(st.flags)
        flags[flag] = flags.get(flag, 0) + 1
        spam = 1 if flag in SPAM_FLAGS else 0
        st = replace(st, flags=flags, flagged=st.flagged + spam)
    return Assessment(st, flag, counts=(not is_gold and flag is None), onboarding_event=event)


_STANDING_FIELDS = tuple(f.name for f in fields(Standing))
_STANDING_INDEX = {name: i for i, name in enumerate(_STANDING_FIELDS)}
_standing_values = attrgetter(*_STANDING_FIELDS)
assert all(f.init for f in fields(Standing)), "_replace builds a Standing from all its fields"


def _replace(st: Standing, **changes: Any) -> Standing:
    """`dataclasses.replace` for a `Standing` (every field is an init field), without its
    per-call walk over the fields: one answer of every batch goes through here."""
    values = list(_standing_values(st))
    for name, value in changes.items():
        values[_STANDING_INDEX[name]] = value
    return Standing(*values)


def _spam_flag(
    st: Standing, same_run: int, *, is_gold: bool, latency_ms: int | None, rules: QualityRules
) -> tuple[Standing, str | None]:
    """The spam flag of one answer, if any. A too-fast answer is flagged once the player's
    too-fast answers in the campaign (this one included, in a row or not) reach
    `fast_answers_to_flag`; the ones before are let through and counted in `FAST_ALLOWED`."""
    if latency_ms is not None and latency_ms < rules.min_answer_ms:
        if _fast_answers(st) + 1 >= rules.fast_answers_to_flag:
            return st, "too_fast"
        st = replace(st, flags={**st.flags, FAST_ALLOWED: st.flags.get(FAST_ALLOWED, 0) + 1})
    if same_run >= rules.same_answer_run:
        return st, "same_answer_run"
    if (
        not is_gold
        and st.gold_answered >= rules.gold_floor_min_answers
        and st.gold_right / st.gold_answered < rules.gold_accuracy_floor
    ):
        return st, "low_gold_accuracy"
    return st, None


def _fast_answers(st: Standing) -> int:
    """Too-fast answers so far in the campaign: those let through and those flagged."""
    return st.flags.get(FAST_ALLOWED, 0) + st.flags.get("too_fast", 0)


def _onboarding_step(
    st: Standing, right: bool, now: float, rules: QualityRules, gold_items: int
) -> tuple[Standing, str | None]:
    k, need = onboarding_target(rules, gold_items)
    if k == 0 or st.onboarding != PENDING:
        return st, None
    st = replace(
        st,
        onboarding_answered=st.onboarding_answered + 1,
        onboarding_right=st.onboarding_right + right,
    )
    if st.onboarding_answered < k:
        return st, None
    if st.onboarding_right >= need:
        return replace(st, onboarding=PASSED), "passed"
    return replace(st, onboarding=FAILED, onboarding_failed_at=now), "failed"


def flag_message(flag: str, rules: QualityRules, gold_items: int) -> str:
    """Why an answer does not count, in words a player understands."""
    k, need = onboarding_target(rules, gold_items)
    return {
        "too_fast": (
            f"That was quicker than {rules.min_answer_ms / 1000:g}s, so it doesn't count "
            "and earns no points. Take a moment to look!"
        ),
        "same_answer_run": (
            f"That's {rules.same_answer_run} identical answers in a row: this one is set "
            "aside and earns no points."
        ),
        "low_gold_accuracy": (
            f"Your accuracy on check questions is under {rules.gold_accuracy_floor:.0%}, so "
            "your answers are set aside for now. A moderator can reset your standing."
        ),
        "onboarding": (
            f"Your answers count toward labels once you pass the tutorial ({need} of {k} "
            "right). Use /play to take it."
        ),
        "onboarding_failed": (
            "You didn't pass the tutorial yet, so this answer doesn't count toward labels. "
            "Try again with /play after the cooldown."
        ),
    }.get(flag, "This answer doesn't count toward labels.")
