"""Inputs and output of the image renderers: plain frozen dataclasses, no Pillow types.

The engine builds these from store snapshots; the adapters send `RenderedImage.data` as a file
named `filename` and use `alt_text` as the attachment description (Discord) or in the caption
(Telegram). Constructors validate, so a bad value fails where it is made, naming the field.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

ALT_TEXT_MAX = 1000
"""Alt text is capped below Discord's 1,024-character attachment description limit."""


@dataclass(frozen=True, slots=True)
class RenderedImage:
    """An encoded image ready to upload: bytes, a filename whose suffix names the format."""

    data: bytes
    filename: str
    alt_text: str
    width: int
    height: int


def _check_count(owner: str, name: str, value: int) -> None:
    if value < 0:
        raise ValueError(f"{owner}.{name} must be >= 0, got {value}")


def _check_ratio(owner: str, name: str, value: float | None) -> None:
    if value is not None and not (math.isfinite(value) and 0.0 <= value <= 1.0):
        raise ValueError(f"{owner}.{name} must be a fraction in 0..1 or None, got {value}")


class Badge(NamedTuple):
    """One earned badge: `symbol` is an emoji or short text (used in alt text and captions;
    the image shows a coloured chip with initials, because the bundled font has no emoji).
    A plain `(symbol, name)` tuple is accepted wherever a Badge is.
    """

    symbol: str
    name: str


def _badge(index: int, value: tuple[str, str]) -> Badge:
    if len(value) != 2 or not all(isinstance(v, str) for v in value):
        raise ValueError(f"RankCard.badges[{index}] must be a (symbol, name) pair of str")
    return Badge(*value)


@dataclass(frozen=True, slots=True)
class RankCard:
    """Everything a rank card shows.

    The XP bar is `xp_into_level / xp_for_next_level`: XP earned since reaching `level`, out of
    the XP this level needs before `level + 1` (clamped to 0..1; a zero-XP level shows full).
    `rank` is None for a player without a ranked score; `rank_of` is the board size.
    `accuracy` (gold accuracy) and `agreement` (agreement with consensus) are fractions in 0..1
    and are shown only when not None. `avatar` is image bytes (PNG, JPEG...) or None; bytes
    that do not decode fall back to initials.
    """

    display_name: str
    level: int
    xp_into_level: int
    xp_for_next_level: int
    total_points: int
    rank: int | None = None
    rank_of: int | None = None
    streak_days: int = 0
    best_streak: int = 0
    badges: Sequence[tuple[str, str]] = ()
    accuracy: float | None = None
    agreement: float | None = None
    avatar: bytes | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        for name in ("level", "xp_into_level", "xp_for_next_level", "total_points"):
            _check_count("RankCard", name, getattr(self, name))
        for name in ("streak_days", "best_streak"):
            _check_count("RankCard", name, getattr(self, name))
        if self.rank is not None and self.rank < 1:
            raise ValueError(f"RankCard.rank must be >= 1 or None, got {self.rank}")
        if self.rank_of is not None and self.rank_of < 0:
            raise ValueError(f"RankCard.rank_of must be >= 0 or None, got {self.rank_of}")
        _check_ratio("RankCard", "accuracy", self.accuracy)
        _check_ratio("RankCard", "agreement", self.agreement)
        object.__setattr__(self, "badges", tuple(_badge(i, b) for i, b in enumerate(self.badges)))

    @property
    def badge_list(self) -> tuple[Badge, ...]:
        """The badges as `Badge` tuples, in the order given."""
        return tuple(Badge(*b) for b in self.badges)

    @property
    def level_progress(self) -> float:
        """Fraction of the current level done, in 0..1."""
        if self.xp_for_next_level <= 0:
            return 1.0
        return min(1.0, self.xp_into_level / self.xp_for_next_level)


@dataclass(frozen=True, slots=True)
class LeaderboardRow:
    """One line of a board; `is_viewer` marks the row of the player who asked."""

    rank: int
    name: str
    points: int
    level: int
    is_viewer: bool = False

    def __post_init__(self) -> None:
        if self.rank < 1:
            raise ValueError(f"LeaderboardRow.rank must be >= 1, got {self.rank}")
        _check_count("LeaderboardRow", "points", self.points)
        _check_count("LeaderboardRow", "level", self.level)


@dataclass(frozen=True, slots=True)
class LeaderboardCard:
    """A board: `rows` sorted best first (only the first 10 are drawn) and the viewer's own
    entry. The viewer's line is printed under the table when none of the drawn rows has
    `is_viewer` set; when one has, that row is highlighted instead.
    """

    title: str
    rows: Sequence[LeaderboardRow] = ()
    viewer: LeaderboardRow | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "rows", tuple(self.rows))


@dataclass(frozen=True, slots=True)
class CampaignProgress:
    """Item counts of a labeling campaign by state (each item is in exactly one state)."""

    name: str
    finalized: int
    in_review: int
    in_progress: int
    not_started: int

    def __post_init__(self) -> None:
        for name in ("finalized", "in_review", "in_progress", "not_started"):
            _check_count("CampaignProgress", name, getattr(self, name))

    @property
    def total(self) -> int:
        """All items of the campaign."""
        return self.finalized + self.in_review + self.in_progress + self.not_started
