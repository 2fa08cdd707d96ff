"""Rating on a scale: an image or a text and a 1..N scale with labelled ends ("how sad is this
face?", 1 = "not at all" ... 5 = "extremely"); the player presses one number.

Settings (`/campaign create NAME game=rate scale=5 low="not at all" high=extremely`):
`scale` 2..10 (default 5), `low` / `high` the words of the ends (shown on the first and last
button and in the question, at most 30 characters), `abstain` yes|no (default yes: a "Can't
say" button, counted toward the overlap but not evidence) and `tolerance` 0..scale-1 (default
0): a gold answer is right when it is within `tolerance` of the gold rating. Stored label: the
number as text ("3"), or `cant_say`.

Aggregation (`judge`, over an item's evidence answers x_i with reliability weights w_i > 0):

- label: the weighted median. Sort the distinct values; the median is the smallest value v
  with W(x <= v) >= W/2 (W = sum of weights). On an exact even split (W(x <= v) = W/2, so the
  next value v' holds the other half) the median is whichever of v, v' is nearer the weighted
  mean, and the lower one when both are equally near.
- confidence: the weighted share of the answers within the band of the median, |x - m| <= b,
  with b = 1 on scales of 4 or more points and b = 0 (exact) on 2- and 3-point scales (there
  ±1 would cover nearly the whole scale). With the default threshold 0.8, 3 3 4 finalises
  (1.0), 1 3 5 goes to review (1/3).
- agreement: 1 - MAD / ((N - 1) / 2), MAD the weighted mean absolute deviation from the
  median; (N - 1) / 2 is the largest MAD possible on a 1..N scale (half the weight at each
  end), so agreement is 1 when everyone gave the median and 0 at a two-way split between the
  ends.

The campaign report measures agreement with Krippendorff's alpha for interval data
(`bot.aggregation.krippendorff`, `alpha_level = "interval"`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from bot.errors import InvalidInput
from bot.games.base import Option, Verdict
from storage.rows import CampaignRow, ItemRow

CANT_SAY = "cant_say"
CANT_SAY_TEXT = "Can't say"
MIN_SCALE, MAX_SCALE, DEFAULT_SCALE = 2, 10, 5
MAX_END_LEN = 30
DEFAULT_QUESTION = "How would you rate it?"
ENDS = "{lo} = {low} … {hi} = {high}"
ROUND_MEDIAN = "Median: {median}"
_YES, _NO = ("yes", "true", "on", "1"), ("no", "false", "off", "0")
_EPS = 1e-9


@dataclass(frozen=True, slots=True)
class Scale:
    """A campaign's scale, from its settings (defaults for a campaign without them)."""

    points: int
    low: str
    high: str
    abstain: bool
    tolerance: int

    @classmethod
    def of(cls, settings: Mapping[str, Any]) -> Scale:
        return cls(
            int(settings.get("scale", DEFAULT_SCALE)),
            str(settings.get("low", "")),
            str(settings.get("high", "")),
            bool(settings.get("abstain", True)),
            int(settings.get("tolerance", 0)),
        )

    @property
    def band(self) -> int:
        return 1 if self.points >= 4 else 0


def _int_setting(raw: Mapping[str, str], key: str, default: int, lo: int, hi: int) -> int:
    text = raw.get(key, str(default)).strip()
    if not text.isdigit() or not lo <= int(text) <= hi:
        raise InvalidInput(f"{key} must be a whole number from {lo} to {hi}, not {text!r}")
    return int(text)


def _end_setting(raw: Mapping[str, str], key: str) -> str:
    text = " ".join(raw.get(key, "").split())
    if len(text) > MAX_END_LEN:
        raise InvalidInput(f"{key} is longer than {MAX_END_LEN} characters")
    if any(not ch.isprintable() for ch in text):
        raise InvalidInput(f"{key} contains a control character")
    return text


def weighted_median(values: Sequence[int], weights: Sequence[float]) -> int:
    """The weighted median of `values` (see the module docstring for the even-split rule)."""
    if not values or len(values) != len(weights):
        raise ValueError("weighted_median needs as many weights as values, at least one")
    per_value: dict[int, float] = {}
    for v, w in zip(values, weights, strict=True):
        per_value[v] = per_value.get(v, 0.0) + w
    total = sum(per_value.values())
    ordered = sorted(per_value)
    below = 0.0
    for i, v in enumerate(ordered):
        below += per_value[v]
        if below >= total / 2 - _EPS * total:
            if abs(below - total / 2) <= _EPS * total and i + 1 < len(ordered):
                upper = ordered[i + 1]
                mean = sum(x * w for x, w in per_value.items()) / total
                return upper if abs(upper - mean) < abs(v - mean) - _EPS else v
            return v
    return ordered[-1]  # unreachable: the loop reaches the total


class RateGame:
    name: ClassVar[str] = "rate"
    title: ClassVar[str] = "Rating scale"
    item_kinds: ClassVar[frozenset[str]] = frozenset({"image", "text"})
    free_text: ClassVar[bool] = False
    alpha_level: ClassVar[str] = "interval"
    settings_keys: ClassVar[Mapping[str, str]] = {
        "scale": f"points on the scale, {MIN_SCALE} to {MAX_SCALE} (default {DEFAULT_SCALE})",
        "low": f"words for the lowest point, e.g. 'not at all' (at most {MAX_END_LEN} characters)",
        "high": f"words for the highest point, e.g. 'extremely' (at most {MAX_END_LEN} "
        "characters)",
        "abstain": "yes (a Can't say button, the default) or no",
        "tolerance": "a gold answer is right within this many points of the gold rating "
        "(default 0: exact)",
    }

    def check_settings(self, raw: Mapping[str, str]) -> dict[str, Any]:
        unknown = sorted(set(raw) - set(self.settings_keys))
        if unknown:
            known = ", ".join(self.settings_keys)
            raise InvalidInput(f"rate campaigns take no setting {', '.join(unknown)} ({known})")
        points = _int_setting(raw, "scale", DEFAULT_SCALE, MIN_SCALE, MAX_SCALE)
        abstain = raw.get("abstain", "yes").strip().lower()
        if abstain not in _YES + _NO:
            raise InvalidInput(f"abstain must be yes or no, not {abstain!r}")
        return {
            "scale": points,
            "low": _end_setting(raw, "low"),
            "high": _end_setting(raw, "high"),
            "abstain": abstain in _YES,
            "tolerance": _int_setting(raw, "tolerance", 0, 0, points - 1),
        }

    def scale(self, campaign: CampaignRow) -> Scale:
        return Scale.of(campaign.settings)

    def takes_text(self, item: ItemRow) -> bool:
        return False

    def check_options(self, options: Sequence[str]) -> list[str]:
        if options:
            raise InvalidInput(
                "rate campaigns take no options: set scale=N (and low=..., high=...) instead"
            )
        return []

    def default_question(self) -> str:
        return DEFAULT_QUESTION

    def question(self, campaign: CampaignRow, item: ItemRow) -> str:
        s = self.scale(campaign)
        q = campaign.question or self.default_question()
        if s.low or s.high:
            low, high = s.low or "lowest", s.high or "highest"
            q += "\n" + ENDS.format(lo=1, low=low, hi=s.points, high=high)
        return f"{q}\n\n{item.text}" if item.kind == "text" and item.text else q

    def options(self, campaign: CampaignRow, item: ItemRow) -> list[Option]:
        s = self.scale(campaign)
        out = [Option(str(v), self._text(s, v)) for v in range(1, s.points + 1)]
        if s.abstain:
            out.append(Option(CANT_SAY, CANT_SAY_TEXT))
        return out

    def _text(self, s: Scale, v: int) -> str:
        end = s.low if v == 1 else s.high if v == s.points else ""
        return f"{v} · {end}" if end else str(v)

    def evidence_options(self, campaign: CampaignRow, item: ItemRow) -> list[str]:
        return [str(v) for v in range(1, self.scale(campaign).points + 1)]

    def normalize(self, campaign: CampaignRow, item: ItemRow, label: str) -> str:
        s = self.scale(campaign)
        text = label.strip()
        if s.abstain and text.lower().replace("'", "").replace(" ", "_") == CANT_SAY:
            return CANT_SAY
        if text.isascii() and text.isdigit() and 1 <= int(text) <= s.points:
            return str(int(text))
        raise InvalidInput(f"a rating is a whole number from 1 to {s.points}, not {label!r}")

    def is_correct(self, item: ItemRow, label: str) -> bool | None:
        return self._within(item, label, 0)

    def is_correct_in(self, campaign: CampaignRow, item: ItemRow, label: str) -> bool | None:
        """Gold with the campaign's `tolerance` (a rating within it of the gold rating)."""
        return self._within(item, label, self.scale(campaign).tolerance)

    def _within(self, item: ItemRow, label: str, tolerance: int) -> bool | None:
        if item.gold is None:
            return None
        if not (label.isdigit() and item.gold.strip().isdigit()):
            return label == item.gold.strip()
        return abs(int(label) - int(item.gold)) <= tolerance

    def describe(self, campaign: CampaignRow, item: ItemRow, label: str) -> str:
        if label == CANT_SAY:
            return CANT_SAY_TEXT
        if not label.isdigit():
            return label
        s = self.scale(campaign)
        end = s.low if int(label) == 1 else s.high if int(label) == s.points else ""
        return f"{label} ({end})" if end else label

    def is_evidence(self, campaign: CampaignRow, item: ItemRow, label: str) -> bool:
        return label.isdigit()

    def judge(
        self,
        campaign: CampaignRow,
        item: ItemRow,
        answers: Sequence[str],
        weights: Sequence[float],
    ) -> Verdict:
        """The weighted median, its band share and 1 - normalised MAD (module docstring)."""
        pairs = [(int(a), w) for a, w in zip(answers, weights, strict=True) if a.isdigit()]
        total = sum(w for _, w in pairs)
        if not pairs or total <= 0:
            return Verdict(None, 0.0, None)
        s = self.scale(campaign)
        median = weighted_median([v for v, _ in pairs], [w for _, w in pairs])
        near = sum(w for v, w in pairs if abs(v - median) <= s.band)
        mad = sum(w * abs(v - median) for v, w in pairs) / total
        agreement = max(0.0, 1.0 - mad / ((s.points - 1) / 2))
        return Verdict(str(median), min(1.0, near / total), agreement)

    def round_summary(self, campaign: CampaignRow, item: ItemRow, labels: Sequence[str]) -> str:
        """The closed round card's line: the plain median of the round's ratings."""
        values = [int(x) for x in labels if x.isdigit()]
        if not values:
            return ROUND_MEDIAN.format(median="–")
        median = weighted_median(values, [1.0] * len(values))
        return ROUND_MEDIAN.format(median=self.describe(campaign, item, str(median)))
